"""How many full LKE scorings one core does per second (not a timed test).

    python -m tests.bench.bench_scoring [--seconds 3]

Scores a fully answered lke-2021 (every answer type, ratios that do not divide evenly, survey
indices with decimals) over and over and prints scorings/second and the ratio to the required
2,000/s. The process is pinned to one CPU where the OS allows it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal

from evaluations.framework_spec import CHOICE, COUNT, builtin_framework_path, load_framework_file
from evaluations.scoring import AnswerInput, score
from tests.bench.figures import record
from tests.bench.harness import pin_to_one_core

REQUIRED_PER_SECOND = 2000

# Realistic counts: agents/changes, violations, targets, complaints, asset reports, services.
COUNTS = {
    88: 10,
    89: 8,
    90: 8,
    91: 6,
    102: 12,
    103: 9,
    104: 9,
    105: 8,
    106: 7,
    110: 7,
    111: 1,
    112: 6,
    113: 1,
    114: 3,
    115: 0,
    116: 4,
    117: 5,
    118: 12,
    119: 40,
    120: 54,
    122: 20,
    123: 15,
}


def full_answers() -> dict[int, AnswerInput]:
    spec = load_framework_file(builtin_framework_path("lke-2021"))
    answers: dict[int, AnswerInput] = {}
    for i, q in enumerate(spec.questions):
        if q.kind == CHOICE:
            # Mostly the best or second-best option, so sub-area means are not round numbers.
            key = q.options[1 if i % 3 == 1 else 0].key
            answers[q.number] = AnswerInput(key, has_evidence=i % 2 == 0)
        elif q.kind == COUNT:
            answers[q.number] = AnswerInput(COUNTS[q.number], has_evidence=True)
        else:
            answers[q.number] = AnswerInput(Decimal("3.61") if q.number == 125 else Decimal("3.42"))
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per round (5 rounds)")
    args = parser.parse_args()

    where = pin_to_one_core()
    spec = load_framework_file(builtin_framework_path("lke-2021"))
    answers = full_answers()
    assert len(answers) == len(spec.questions) == 127
    breakdown = score(spec, answers)  # also builds the per-spec plan, outside the timing
    for _ in range(200):
        score(spec, answers)

    rates = []
    for _ in range(5):
        count = 0
        start = time.perf_counter()
        deadline = start + args.seconds / 5
        while True:
            for _ in range(100):
                score(spec, answers)
            count += 100
            now = time.perf_counter()
            if now >= deadline:
                break
        rates.append(count / (now - start))

    rate = statistics.median(rates)
    print(f"framework {spec.slug}: 127 questions answered, total {breakdown.total:.2f}")
    print(f"pinned: {where}")
    print(f"scorings/second (median of 5 rounds): {rate:,.0f}  ({1e6 / rate:.0f} us each)")
    print(f"rounds: {', '.join(f'{r:,.0f}' for r in rates)}")
    print(f"required {REQUIRED_PER_SECOND:,}/s: ratio {rate / REQUIRED_PER_SECOND:.2f}")
    record(
        "scoring: scorings per second, one core",
        round(rate),
        target=f">= {REQUIRED_PER_SECOND:,}",
        unit="/s",
        ok=rate >= REQUIRED_PER_SECOND,
    )


if __name__ == "__main__":
    main()

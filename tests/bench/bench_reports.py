"""How long one programme's exports take to build (not timed tests).

    python -m tests.bench.bench_reports [--rounds 5]

Builds the demo world in a fresh database of its own (PostgreSQL beside DATABASE_URL's,
named <name>_reportbench and dropped afterwards; otherwise SQLite in a temporary folder,
removed afterwards), then builds the demo programme's LKE workbook and its PDF report several times,
reads included. Prints the first (cold: fonts, templates) and the median time of each and
the ratio to its target: workbook < 1 s, PDF < 5 s. The process is pinned to one CPU where
the OS allows it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tests.bench.figures import record
from tests.bench.harness import bench_database, pin_to_one_core, setup_django

TARGETS = {"LKE workbook": 1.0, "PDF report": 5.0}


def timed(build, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="builds of each export")
    args, _rest = parser.parse_known_args()  # `python -m tests.bench reports` passes its own
    where = pin_to_one_core()
    with bench_database("reportbench") as (url, folder):
        measure(folder, url, args.rounds, where)


def measure(folder: Path, url: str, rounds: int, where: str) -> None:
    setup_django(folder, url)
    import logging

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import translation

    logging.disable(logging.INFO)  # WeasyPrint logs every layout step
    call_command("migrate", verbosity=0)
    from dashboards.demo import seed_demo
    from reports.pdf import report_pdf
    from reports.selectors import lke_report, pdf_data
    from reports.workbook import lke_workbook

    programme = seed_demo().programme
    sizes = {}

    def workbook():
        sizes["LKE workbook"] = len(lke_workbook(lke_report(programme)))

    def pdf():
        sizes["PDF report"] = len(report_pdf(pdf_data(programme)))

    print(f"programme {programme.key}: demo world, {settings.DATABASES['default']['ENGINE']}")
    print(f"pinned: {where}")
    with translation.override(settings.LANGUAGE_CODE):
        for label, build in (("LKE workbook", workbook), ("PDF report", pdf)):
            times = timed(build, rounds)
            median = statistics.median(times)
            target = TARGETS[label]
            print(
                f"{label}: first {times[0]:.2f} s, median {median:.2f} s of {len(times)}, "
                f"{sizes[label] / 1024:.0f} KB; target < {target:.0f} s: "
                f"ratio {target / max(times[0], median):.2f} (worst of first and median)"
            )
            worst = max(times[0], median)
            record(
                f"reports: {label}, worst of first and median",
                round(worst, 2),
                target=f"< {target:g} s",
                unit="s",
                ok=worst < target,
            )


if __name__ == "__main__":
    main()

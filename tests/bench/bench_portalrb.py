"""How long the national portal waits for an agency's list of 500 proposed units (not a
timed test).

    python -m tests.bench.bench_portalrb [--units 500] [--rounds 20]

Builds, in a fresh database of its own (PostgreSQL beside DATABASE_URL's, named
<name>_portalbench and dropped afterwards; otherwise SQLite in a temporary folder, removed
afterwards), an agency with that many confirmed proposed units, each holding a snapshot of
127 answers as a confirmation leaves it (the listing must not read them), then asks
`GET pengusulan/unit-wbk` with a token through the whole request stack (token, rate limit,
fetch log included). The process first imports the URLconf, as a web worker does when it
starts (zi_tracker/wsgi.py); that import's own time is printed apart. Prints the first and
the median time of the listing, its queries, and the ratio to the target (< 200 ms), pinned
to one CPU where the OS allows it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tests.bench.figures import record
from tests.bench.harness import bench_database, pin_to_one_core, setup_django

TARGET_SECONDS = 0.2
QUESTIONS = 127


def snapshot(n: int) -> list[dict]:
    """127 answers as `answers_snapshot` stores them: keys, counts, notes, evidence ids."""
    return [
        {
            "soal_id": number,
            "jawaban_unit": number % 7 if number % 3 == 0 else "ABCDE"[(number + n) % 5],
            "jawaban_tpi": "ABCDE"[(number + n + 1) % 5] if number % 2 else None,
            "catatan_unit": f"Catatan unit {n} soal {number}: dokumen dan SK terlampir.",
            "catatan_tpi": None if number % 4 else f"Catatan TPI soal {number}",
            "evidence": [n * 1000 + number] if number % 2 else [],
        }
        for number in range(1, QUESTIONS + 1)
    ]


def build_agency(units: int):
    from evaluations.loader import load_bundled_framework
    from pokja.models import Programme, Unit
    from portalrb import services
    from portalrb.models import Category, Proposal, ProposedUnit

    framework = load_bundled_framework("lke-2021")
    agency = Unit.objects.create(code="POLDA-BENCH", name="Polda Bench", kind=Unit.Kind.POLDA)
    children = Unit.objects.bulk_create(
        Unit(code=f"POLRES-BENCH-{n}", name=f"Polres Bench {n:03d}", parent=agency)
        for n in range(units)
    )
    programmes = Programme.objects.bulk_create(
        Programme(unit=unit, year=2026, framework=framework) for unit in children
    )
    proposal = Proposal.objects.create(agency=agency, year=2026)
    ProposedUnit.objects.bulk_create(
        (
            ProposedUnit(
                proposal=proposal,
                programme=programme,
                category=Category.WBK,
                confirmed_category=Category.WBK if n % 10 else Category.WBK_AFIRMASI,
                confirmed_name=programme.unit.name,
                confirmed_checks={"tlhp": True, "audit_opinion": None},
                snapshot=snapshot(n),
            )
            for n, programme in enumerate(programmes)
        ),
        batch_size=100,
    )
    Proposal.objects.filter(pk=proposal.pk).update(confirmed_at=proposal.updated_at)
    _token, raw = services.token_create(agency=agency, name="Bench", user=None)
    return raw


def measure(folder: Path, url: str, units: int, rounds: int, where: str) -> None:
    setup_django(folder, url)
    from importlib import import_module

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    raw = build_agency(units)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    settings.ZI_PORTALRB_RATE_LIMIT = rounds + 10
    settings.ALLOWED_HOSTS = ["*"]
    start = time.perf_counter()
    import_module(settings.ROOT_URLCONF)  # what zi_tracker/wsgi.py does as a worker starts
    urlconf = time.perf_counter() - start
    client = Client()
    path = settings.ZI_PORTALRB_BASE_PATH + "pengusulan/unit-wbk"
    headers = {"Authorization": f"Bearer {raw}"}
    times = []
    for n in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:200]
        if n == 1:
            counted = len(queries)
    listed = len(response.json()["units"])
    median = statistics.median(times)
    worst = max(times[0], median)
    print(f"{listed} units listed, {engine}; pinned: {where}")
    print(f"URLconf imported at the worker's start: {urlconf * 1000:.0f} ms (not counted)")
    print(
        f"unit-wbk: first {times[0] * 1000:.0f} ms, median {median * 1000:.0f} ms of "
        f"{len(times)}, {counted} queries; target < {TARGET_SECONDS * 1000:.0f} ms: ratio "
        f"{TARGET_SECONDS / worst:.2f} (worst of first and median)"
    )
    record(
        f"portalrb: list {listed} proposed units, worst of first and median",
        round(worst * 1000, 1),
        target=f"< {TARGET_SECONDS * 1000:.0f} ms",
        unit="ms",
        ok=worst < TARGET_SECONDS,
    )
    record(
        f"portalrb: list {listed} proposed units, median",
        round(median * 1000, 1),
        target=f"< {TARGET_SECONDS * 1000:.0f} ms",
        unit="ms",
        ok=median < TARGET_SECONDS,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    args, _rest = parser.parse_known_args()
    where = pin_to_one_core()
    with bench_database("portalbench") as (url, folder):
        measure(folder, url, args.units, args.rounds, where)


if __name__ == "__main__":
    main()

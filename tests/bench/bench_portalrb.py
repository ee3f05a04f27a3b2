"""How long the national portal waits for an agency's list of 500 proposed units (not a
timed test).

    python -m tests.bench.bench_portalrb [--units 500] [--rounds 20]

Builds an agency with that many confirmed proposed units in a fresh SQLite database of its
own (a temporary folder, removed afterwards), then asks `GET pengusulan/unit-wbk` with a
token through the whole request stack (token, rate limit, fetch log included). Prints the
first and the median time and the ratio to the target (< 200 ms), pinned to one CPU where
the OS allows it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 0.2


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["ZI_VAR_DIR"] = str(folder)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()


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
        ProposedUnit(
            proposal=proposal,
            programme=programme,
            category=Category.WBK,
            confirmed_category=Category.WBK if n % 10 else Category.WBK_AFIRMASI,
            confirmed_name=programme.unit.name,
        )
        for n, programme in enumerate(programmes)
    )
    Proposal.objects.filter(pk=proposal.pk).update(confirmed_at=proposal.updated_at)
    _token, raw = services.token_create(agency=agency, name="Bench", user=None)
    return raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    where = pin_to_one_core()
    with tempfile.TemporaryDirectory(prefix="zi-bench-portalrb-") as folder:
        setup_django(Path(folder))
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        raw = build_agency(args.units)
        settings.ZI_PORTALRB_RATE_LIMIT = args.rounds + 10
        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        url = settings.ZI_PORTALRB_BASE_PATH + "pengusulan/unit-wbk"
        headers = {"Authorization": f"Bearer {raw}"}
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content[:200]
        listed = len(response.json()["units"])
        median = statistics.median(times)
        print(f"{listed} units listed, {settings.DATABASES['default']['ENGINE']}; pinned: {where}")
        print(
            f"unit-wbk: first {times[0] * 1000:.0f} ms, median {median * 1000:.0f} ms of "
            f"{len(times)}; target < {TARGET_SECONDS * 1000:.0f} ms: ratio "
            f"{TARGET_SECONDS / max(times[0], median):.2f} (worst of first and median)"
        )


if __name__ == "__main__":
    main()

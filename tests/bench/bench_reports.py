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
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from tests.bench.figures import record

TARGETS = {"LKE workbook": 1.0, "PDF report": 5.0}


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def bench_database_url(folder: Path) -> tuple[str, bool]:
    """The bench's database URL, and whether it is a PostgreSQL database to create/drop."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        name = urlparse(url).path.lstrip("/") or "postgres"
        return urlparse(url)._replace(path=f"/{name}_reportbench").geturl(), True
    return f"sqlite:///{folder / 'bench.sqlite3'}", False


def _admin(url: str, sql: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def setup_django(folder: Path, url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["ZI_VAR_DIR"] = str(folder)
    os.environ["DJANGO_MEDIA_ROOT"] = str(folder / "media")
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()


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
    with tempfile.TemporaryDirectory(prefix="zi-bench-reports-") as folder:
        url, postgres = bench_database_url(Path(folder))
        name = urlparse(url).path.lstrip("/")
        if postgres:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _admin(url, f'CREATE DATABASE "{name}"')
        try:
            measure(Path(folder), url, args.rounds, where)
        finally:
            if postgres:
                from django.db import connections

                connections.close_all()
                _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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

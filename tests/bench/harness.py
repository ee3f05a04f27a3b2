"""What the benchmark modules share before they measure: a fresh database of their own,
Django set up on it in this process, one CPU.

A module's database is PostgreSQL beside DATABASE_URL's when that names a server, named
`<name>_<suffix>` (dropped first when an interrupted run left it, and dropped afterwards);
otherwise a SQLite file in a temporary folder, removed afterwards. Each module has a suffix
of its own: one module's clean-up cannot pull the database from under another's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def bench_database_url(suffix: str, folder: Path) -> str:
    """`<name>_<suffix>` beside DATABASE_URL's database, or a SQLite file in `folder`."""
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "postgres"
    return parsed._replace(path=f"/{name}_{suffix}").geturl()


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


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


def create_database(url: str) -> None:
    """A fresh PostgreSQL database; for SQLite nothing (migrate makes the file)."""
    if not is_postgres(url):
        return
    drop_database(url)
    _admin(url, f'CREATE DATABASE "{database_name(url)}"')


def drop_database(url: str) -> None:
    if not is_postgres(url):
        return
    if "django.db" in sys.modules:
        # Django in this process holds a connection to the database it is about to lose.
        from django.db import connections

        connections.close_all()
    _admin(url, f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


@contextmanager
def bench_database(
    suffix: str, *, reuse: bool = False, keep: bool = False
) -> Iterator[tuple[str, Path]]:
    """The URL of the bench's fresh database, and a temporary folder for its files.

    `reuse` measures a PostgreSQL database a run with `keep` left; a SQLite file is always
    new (its folder is removed afterwards).
    """
    with tempfile.TemporaryDirectory(prefix=f"zi-bench-{suffix}-") as folder:
        url = bench_database_url(suffix, Path(folder))
        if not reuse:
            create_database(url)
        try:
            yield url, Path(folder)
        finally:
            if not keep:
                drop_database(url)


def setup_django(folder: Path, url: str) -> None:
    """Django in this process on `url`, its files in `folder`, no Redis and no broker."""
    os.environ["DATABASE_URL"] = url
    os.environ["ZI_VAR_DIR"] = str(folder)
    os.environ["DJANGO_MEDIA_ROOT"] = str(folder / "media")
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

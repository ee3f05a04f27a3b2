"""The demo world of `seed_demo`, built once per test session and copied into each test.

Seeding the demo takes 20-40 s; a dozen tests read it. On PostgreSQL the first test that
asks for a variant (extra units, interface language) seeds it inside a savepoint, keeps a
COPY of every table the seeding changed (and the files it stored), and rolls back. Each test
then gets its own copy: the tables are replaced by the kept rows inside the test's own
transaction, so whatever a test changes is rolled back (or flushed, for transactional tests)
as usual and the next test starts from the same world. On SQLite each test seeds, as before.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

# Tables that hold rows in a migrated, otherwise empty database (a flush rebuilds the first
# two through post_migrate); the demo writes none of them.
_NOT_EMPTY_WHEN_CLEAN = {"django_content_type", "auth_permission", "django_migrations"}


@dataclass
class _Copy:
    tables: list[tuple[str, list[str], bytes]]  # table, columns, COPY text
    programme_pk: int
    extra_pks: list[int]
    media: Path


_copies: dict[tuple[int, str], _Copy] = {}
_media_root = Path(tempfile.mkdtemp(prefix="zi-demo-media-"))
atexit.register(shutil.rmtree, _media_root, ignore_errors=True)


def demo_world(*, units: int = 0):
    """The demo world as `seed_demo(units=units)` leaves an empty database."""
    from dashboards.demo import DemoResult, seed_demo
    from pokja.models import Programme

    if connection.vendor != "postgresql":
        return seed_demo(units=units)
    key = (units, translation.get_language() or settings.LANGUAGE_CODE)
    if key not in _copies:
        _copies[key] = _seed_and_keep(units=units, media=_media_root / f"{units}-{key[1]}")
    kept = _copies[key]
    _restore(kept)
    extra = Programme.objects.in_bulk(kept.extra_pks)
    return DemoResult(
        programme=Programme.objects.get(pk=kept.programme_pk),
        extra_programmes=[extra[pk] for pk in kept.extra_pks],
    )


class _Undo(Exception):
    pass


def _seed_and_keep(*, units: int, media: Path) -> _Copy:
    from dashboards.demo import seed_demo

    before = _checksums()
    dirty = sorted(
        name
        for name, value in before.items()
        if name not in _NOT_EMPTY_WHEN_CLEAN and not value.startswith("0:")
    )
    if dirty:
        raise RuntimeError(
            "the demo world must be the first thing a test writes; already written: "
            + ", ".join(dirty)
        )
    media.mkdir(parents=True, exist_ok=True)
    try:
        with transaction.atomic(), override_settings(MEDIA_ROOT=str(media)):
            result = seed_demo(units=units)
            after = _checksums()
            changed = [name for name, value in after.items() if before.get(name) != value]
            kept = _Copy(
                tables=[_copy_out(name) for name in changed],
                programme_pk=result.programme.pk,
                extra_pks=[p.pk for p in result.extra_programmes],
                media=media,
            )
            raise _Undo
    except _Undo:
        pass
    return kept


def _restore(kept: _Copy) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows go back exactly as seeded: no trigger (audit chain, refusals) or foreign-key
        # check runs for them, as in a restore from a dump.
        cursor.execute("SET session_replication_role = replica")
        for table, columns, data in kept.tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"DELETE FROM {quoted}")
            cursor.copy_expert(
                f"COPY {quoted} ({', '.join(map(connection.ops.quote_name, columns))}) FROM STDIN",
                io.BytesIO(data),
            )
        cursor.execute("SET session_replication_role = origin")
        for table, _columns, _data in kept.tables:
            for sequence in connection.introspection.get_sequences(cursor, table):
                column = connection.ops.quote_name(sequence["column"])
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"COALESCE((SELECT MAX({column}) FROM {quoted}), 1), "
                    f"(SELECT MAX({column}) FROM {quoted}) IS NOT NULL)",
                    [quoted, sequence["column"]],
                )
    if kept.media.exists():
        shutil.copytree(kept.media, settings.MEDIA_ROOT, dirs_exist_ok=True)


def _copy_out(table: str) -> tuple[str, list[str], bytes]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position",
            [table],
        )
        columns = [row[0] for row in cursor.fetchall()]
        buffer = io.BytesIO()
        quoted = connection.ops.quote_name(table)
        cursor.copy_expert(
            f"COPY {quoted} ({', '.join(map(connection.ops.quote_name, columns))}) TO STDOUT",
            buffer,
        )
    return table, columns, buffer.getvalue()


def _checksums() -> dict[str, str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        sums = {}
        for name in names:
            quoted = connection.ops.quote_name(name)
            cursor.execute(
                f"SELECT count(*)::text || ':' || md5(COALESCE("
                f"string_agg(t::text, ',' ORDER BY t::text), '')) FROM {quoted} t"
            )
            sums[name] = cursor.fetchone()[0]
    return sums

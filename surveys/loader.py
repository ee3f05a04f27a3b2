"""Loading survey instrument files into the database, idempotently.

Loading a file whose content is already stored changes nothing; a changed file becomes a new
version of the instrument, and surveys (with their responses) keep the version they run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from surveys.instrument_spec import (
    INSTRUMENTS_DIR,
    InstrumentError,
    InstrumentSpec,
    content_hash,
    load_instrument_file,
)
from surveys.models import Instrument
from zi_tracker.data_files import bundled_paths, resolve_data_file, store_version


@dataclass(frozen=True)
class LoadResult:
    instrument: Instrument
    created: bool


def bundled_instrument_paths() -> list[Path]:
    return bundled_paths(INSTRUMENTS_DIR)


def resolve_instrument_argument(value: str) -> Path:
    """A path to an instrument file, or the slug of a bundled instrument."""
    path = resolve_data_file(value, INSTRUMENTS_DIR)
    if path is None:
        names = ", ".join(p.stem for p in bundled_instrument_paths())
        raise InstrumentError(value, f"no bundled instrument of that name; bundled: {names}")
    return path


def _check_storable(spec: InstrumentSpec) -> None:
    # Answers and profiles are stored as JSON objects keyed by these codes; a key made of
    # digits only would be read as a list position by the database's JSON lookups.
    for code in (*spec.item_codes, *(field.code for field in spec.profile)):
        if code.isdigit():
            raise InstrumentError(
                f"{spec.slug}: {code}", "item and profile codes must not be whole numbers"
            )


def load_instrument_path(path: Path) -> LoadResult:
    spec = load_instrument_file(path)  # validates; raises InstrumentError naming the node
    _check_storable(spec)
    # Stored as plain JSON; parse_instrument reads numbers written either way.
    definition = json.loads(Path(path).read_text(encoding="utf-8"))
    digest = content_hash(spec)
    instrument, created = store_version(
        Instrument,
        slug=spec.slug,
        content_hash=digest,
        defer=("definition",),
        create=lambda version: Instrument.objects.create(
            slug=spec.slug,
            version=version,
            kind=spec.kind,
            title=spec.title.id[:200],
            lke_question=spec.lke_question,
            content_hash=digest,
            definition=definition,
        ),
    )
    return LoadResult(instrument, created=created)


def load_bundled_instruments() -> list[LoadResult]:
    return [load_instrument_path(path) for path in bundled_instrument_paths()]


def load_bundled_instrument(slug: str) -> Instrument:
    """The stored version of a bundled instrument's current file, loading it if needed."""
    return load_instrument_path(INSTRUMENTS_DIR / f"{slug}.json").instrument

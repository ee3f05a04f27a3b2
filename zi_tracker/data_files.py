"""Versioned data files (LKE frameworks, survey instruments): one way to find and store them.

A data file has a slug (its name) and content; its rows have ``slug``, ``version`` and
``content_hash`` with (slug, version) and (slug, content_hash) unique. Storing a file whose
content is stored already changes nothing (the stored version is returned, even an older one);
a changed file becomes the next version. Stored versions are never changed or removed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.db import IntegrityError, models, transaction

Row = TypeVar("Row", bound=models.Model)


def bundled_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def resolve_data_file(value: str, folder: Path) -> Path | None:
    """A path given on the command line, or the bundled file of that slug; None if neither."""
    candidate = Path(value)
    if candidate.suffix == ".json" or candidate.exists():
        return candidate
    bundled = folder / f"{value}.json"
    return bundled if bundled.exists() else None


def store_version(
    model: type[Row],
    *,
    slug: str,
    content_hash: str,
    create: Callable[[int], Row],
    defer: tuple[str, ...] = (),
) -> tuple[Row, bool]:
    """The stored row of this content, or a new version made by ``create(version)``.

    Returns (row, created). Two loaders of the same slug at once: the one that comes second
    waits on the first's lock and then finds its row; when there was no row to lock (the first
    version), the unique constraints refuse the second and it returns the first's row.
    """
    try:
        with transaction.atomic():
            existing = list(
                model.objects.select_for_update()
                .filter(slug=slug)
                .defer(*defer)
                .order_by("-version")
            )
            for row in existing:
                if row.content_hash == content_hash:
                    return row, False
            return create((existing[0].version + 1) if existing else 1), True
    except IntegrityError:
        stored = model.objects.filter(slug=slug, content_hash=content_hash).first()
        if stored is None:
            raise
        return stored, False

"""The programme a command works on, named as UNIT-CODE/YEAR."""

from __future__ import annotations

import re

from pokja.models import Programme

_PROGRAMME = re.compile(r"^(?P<unit>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)/(?P<year>\d{4})$")


class BadInput(Exception):
    """One line for stderr; the command exits with status 2."""


def programme_named(key: str) -> Programme:
    match = _PROGRAMME.match(key or "")
    if match is None:
        raise BadInput(f"--programme {key!r}: expected UNIT-CODE/YEAR, e.g. POLRES-ALPHA/2026")
    programme = (
        Programme.objects.select_related("unit", "framework")
        .filter(unit__code=match["unit"], year=int(match["year"]))
        .first()
    )
    if programme is None:
        raise BadInput(f"--programme {key}: no such programme")
    return programme

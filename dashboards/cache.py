"""Rendered dashboard parts kept in the cache under a key that names the data they show.

A page first reads, in one query, a version of everything its cached part depends on (the
newest audit entry of the programme: every change people make is audited; the stored score's
generation and computation; the survey results' computation; today's date, since lateness
moves at midnight). Any change gives a new key, so nothing is invalidated by hand and a stale
part is never served; an unchanged page costs that one query instead of some twenty and a
large template. A bounded lifetime covers what is not audited with the programme (a person's
display name).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils.translation import get_language

from audit.models import AuditEntry
from evaluations.models import ProgrammeScore
from pokja.models import Programme, programme_today
from surveys.models import Survey

LIFETIME = 15 * 60  # seconds
_TEMPLATES = Path(__file__).parent / "templates" / "dashboards" / "partials"
# The cached parts' own templates: a deployment that changes them starts new keys at once.
CODE_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(_TEMPLATES.glob("*.html")))
).hexdigest()[:12]


def programme_version(programme: Programme) -> str:
    """What the coordinator's dashboard shows of `programme` has this version (one query)."""
    row = (
        Programme.objects.filter(pk=programme.pk)
        .annotate(
            audit=Subquery(
                AuditEntry.objects.filter(programme_id=OuterRef("pk"))
                .order_by("-id")
                .values("id")[:1]
            ),
            score=Subquery(
                ProgrammeScore.objects.filter(programme_id=OuterRef("pk")).values_list(
                    "generation", flat=True
                )[:1]
            ),
            computed=Subquery(
                ProgrammeScore.objects.filter(programme_id=OuterRef("pk")).values("computed_at")[:1]
            ),
            survey_results=Subquery(
                Survey.objects.filter(programme_id=OuterRef("pk"))
                .order_by()
                .values("programme_id")
                .annotate(m=Max("results_computed_at"))
                .values("m")[:1]
            ),
        )
        .values_list("updated_at", "audit", "score", "computed", "survey_results")
        .get()
    )
    return "|".join(str(part) for part in (*row, programme_today()))


def overview_version(programmes: QuerySet[Programme]) -> str:
    """What the overview shows of `programmes` has this version (two queries): the newest
    audit entry anywhere (units, plans and programmes are audited), and the programmes' count,
    settings and stored scores."""
    audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    row = programmes.order_by().aggregate(
        n=Count("pk"),
        updated=Max("updated_at"),
        computed=Max("stored_score__computed_at"),
        generations=Sum("stored_score__generation"),
    )
    scope = hashlib.sha256(str(programmes.values("pk").query).encode()).hexdigest()
    return "|".join(str(part) for part in (audit, *row.values(), scope, programme_today()))


def cached_part(name: str, version: str, build: Callable[[], str]) -> str:
    """The part `name` at `version` in the active language, built and kept on a miss."""
    digest = hashlib.sha256(
        f"{name}|{CODE_VERSION}|{get_language()}|{version}".encode()
    ).hexdigest()
    key = f"dashboards:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, LIFETIME)
    return html

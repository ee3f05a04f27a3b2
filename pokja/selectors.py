"""Reads about the organisation that are more than one filter."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from pokja.models import Programme, Unit


def unit_ids_with_descendants(unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them, in one query."""
    ids = [int(i) for i in unit_ids]
    if not ids:
        return set()
    table = Unit._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE tree(id) AS ("  # noqa: S608 - only our own table name is interpolated
        f" SELECT id FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT u.id FROM {table} u JOIN tree ON u.parent_id = tree.id"
        f") SELECT id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {row[0] for row in cursor.fetchall()}


def unit_ancestor_ids(unit_id: int) -> set[int]:
    """The unit and every unit above it, in one query."""
    table = Unit._meta.db_table
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS ("  # noqa: S608 - only our own table name
        f" SELECT id, parent_id FROM {table} WHERE id = %s"
        f" UNION SELECT u.id, u.parent_id FROM {table} u JOIN up ON u.id = up.parent_id"
        f") SELECT id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit_id])
        return {row[0] for row in cursor.fetchall()}


def programmes_with_roles_for(user) -> QuerySet[Programme]:
    """Programmes in which the user holds a programme role (for navigation)."""
    return (
        Programme.objects.filter(roles__user=user)
        .select_related("unit")
        .distinct()
        .order_by("-year", "unit__name")
    )

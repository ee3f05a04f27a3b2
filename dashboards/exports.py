"""The multi-unit overview as a workbook: the same rows and columns as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dashboards.selectors.overview import Overview
from pokja.spreadsheets import xlsx_append, xlsx_bytes, xlsx_sheet, xlsx_workbook


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def overview_header(data: Overview) -> list[str]:
    return [
        _("unit code"),
        _("unit"),
        _("year"),
        _("target"),
        _("total"),
        *[name for _code, name in data.components],
        *[name for _code, name in data.parts],
        *[_("meets %(predicate)s") % {"predicate": code} for code in data.predicates],
        _("answered"),
        _("questions"),
        _("with evidence"),
        _("late items"),
        _("computed at"),
        _("out of date"),
    ]


def overview_table(data: Overview) -> list[list]:
    rows = []
    for row in data.rows:
        p, stored = row.programme, row.stored
        rows.append(
            [
                p.unit.code,
                p.unit.name,
                p.year,
                p.target,
                row.total,
                *row.cells,
                *[_yes_no(met) for _code, met in row.checks],
                stored.completeness.answered if stored else None,
                stored.completeness.total if stored else None,
                stored.completeness.with_evidence if stored else None,
                row.late,
                stored.computed_at if stored else None,
                _yes_no(stored.stale) if stored else "",
            ]
        )
    return rows


def overview_workbook(data: Overview) -> bytes:
    """One sheet, header first; text written as text (no formulas, whatever a unit is named)."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(workbook, _("Overview"))
    xlsx_append(sheet, overview_header(data))
    for values in overview_table(data):
        xlsx_append(sheet, values)
    return xlsx_bytes(workbook)

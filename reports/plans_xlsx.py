"""The action plans of a whole programme as one workbook: a summary per Pokja, then one sheet
per Pokja with its items (the per-Pokja export's columns, so a sheet can be re-imported into
its Pokja's plan)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pokja.models import ActionPlanItem, Pokja, Programme, programme_today
from pokja.plan_columns import export_header, export_row
from pokja.selectors import plan_items, plan_status_counts
from pokja.spreadsheets import Sheet, write_xlsx
from reports.workbook import Progress

Status = ActionPlanItem.Status


def plans_workbook(programme: Programme, *, progress: Progress | None = None) -> bytes:
    """The workbook (a fixed number of queries however many items there are)."""
    step = progress or (lambda percent: None)
    today = programme_today()
    pokjas = list(Pokja.objects.filter(programme=programme).order_by("number"))
    counts = plan_status_counts(programme, today=today)
    items = list(plan_items(programme=programme, today=today).prefetch_related("questions"))
    step(50)
    summary = Sheet(
        title=_("Summary"),
        header=[
            "Pokja",
            _("Name"),
            _("Items"),
            *(str(label) for label in Status.labels),
            _("Late"),
            _("Verified %"),
        ],
        rows=[
            [
                p.number,
                p.name,
                counts[p.pk].total,
                *(counts[p.pk].count(value) for value in Status.values),
                counts[p.pk].late,
                counts[p.pk].verified_percent,
            ]
            for p in pokjas
        ],
        widths=(8, 40),
    )
    header = export_header()
    sheets = [summary]
    for pokja in pokjas:
        rows = [export_row(item, today) for item in items if item.pokja_id == pokja.pk]
        sheets.append(
            Sheet(title=f"Pokja {pokja.number}", header=header, rows=rows, widths=(40, 40, 12))
        )
    return write_xlsx(sheets)

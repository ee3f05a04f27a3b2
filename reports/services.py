"""Writes of the reports app: LKE imports, export jobs and their clean-up. All audited.

An import writes through ``evaluations.services`` (``answer_set_unit``/``answer_set_tpi``), so
the same access checks, locks and audit entries apply as on the worksheet pages; the whole
file goes in one transaction, and one refused cell refuses the file.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from evaluations.services import answer_set_tpi, answer_set_unit, assessment_for
from pokja.models import Programme, User
from reports.lke_import import (
    TPI,
    UNIT,
    CellError,
    ImportPlan,
    ImportRefused,
    plan_import,
    read_answer_cells,
)

logger = logging.getLogger(__name__)


def lke_import_preview(*, actor: User | None, programme: Programme, data: bytes) -> ImportPlan:
    """What the workbook would change, with every refused cell. Writes nothing.

    Raises ImportRefused when the file is not a workbook in the LKE layout.
    """
    assessment_for(programme)
    cells = read_answer_cells(data, programme.framework.spec)
    return plan_import(programme, actor, cells)


def lke_import_apply(*, actor: User | None, programme: Programme, data: bytes) -> ImportPlan:
    """Write the workbook's answers and notes: all of them or, on any refused cell, none.

    The file is checked again inside the transaction (the worksheet may have changed since
    the preview). Raises ImportRefused with the refused cells; nothing is written then.
    """
    assessment_for(programme)
    cells = read_answer_cells(data, programme.framework.spec)
    with transaction.atomic():
        plan = plan_import(programme, actor, cells)
        if plan.errors:
            raise ImportRefused(plan.errors)
        spec = programme.framework.spec
        for (number, side), (value, note) in sorted(plan.targets.items()):
            setter = answer_set_unit if side == UNIT else answer_set_tpi
            try:
                setter(actor=actor, programme=programme, number=number, value=value, note=note)
            except (ValidationError, PermissionDenied) as exc:
                q = spec.question(number)
                column = q.excel.unit_answer if side == UNIT else q.excel.tpi_answer
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise ImportRefused(
                    [CellError(plan.sheet, q.excel.row, column, value, message)]
                ) from None
        if plan.changes:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=programme,
                programme_id=programme.pk,
                unit_id=programme.unit_id,
                note=_("LKE workbook imported: %(count)d values changed")
                % {"count": len(plan.changes)},
            )
    return plan


def plan_counts(plan: ImportPlan) -> dict[str, int]:
    """How many answers and notes each side changes (for messages)."""
    counts = {"unit": 0, "tpi": 0}
    for change in plan.changes:
        counts[UNIT if change.side == UNIT else TPI] += 1
    return counts


def export_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Exports finished before this moment are removed (``ZI_EXPORT_KEEP_DAYS``)."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.ZI_EXPORT_KEEP_DAYS)

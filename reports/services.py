"""Writes of the reports app: LKE imports, export jobs and their clean-up. All audited.

An import writes through ``evaluations.services`` (``answer_set_unit``/``answer_set_tpi``), so
the same access checks, locks and audit entries apply as on the worksheet pages; the whole
file goes in one transaction, and one refused cell refuses the file.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Collection

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_created, audit_record
from evaluations.services import (
    answer_evidence_add,
    answer_set_tpi,
    answer_set_unit,
    assessment_for,
)
from pokja.access import programme_access
from pokja.models import Programme, User
from reports.exports import BUILDERS
from reports.lke_import import (
    TPI,
    UNIT,
    CellError,
    ImportPlan,
    ImportRefused,
    plan_import,
    read_workbook,
)
from reports.lke_layout import TPI_ANSWER, UNIT_ANSWER
from reports.lke_reconcile import reconcile
from reports.models import ExportJob, export_folder, export_prefix
from surveys.services import official_figure_set
from zi_tracker.celery import TRANSIENT_DB_ERRORS, enqueue_on_commit

logger = logging.getLogger(__name__)


def lke_import_preview(*, actor: User | None, programme: Programme, data: bytes) -> ImportPlan:
    """What the workbook would change, with every refused cell. Writes nothing.

    Raises ImportRefused when the file is not a workbook in the LKE layout.
    """
    assessment_for(programme)
    spec = programme.framework.spec
    read = read_workbook(data, spec)
    plan = plan_import(programme, actor, read)
    try:
        plan.reconciliation = reconcile(spec, read)
    except Exception:  # a workbook's arithmetic we cannot follow must not stop its import
        logger.exception("LKE import: the workbook's scores could not be reconciled")
        plan.reconciliation = None
    return plan


def lke_import_apply(
    *,
    actor: User | None,
    programme: Programme,
    data: bytes,
    figures: Collection[int] = (),
) -> ImportPlan:
    """Write the workbook's answers, notes and evidence links: all of them or, on any refused
    cell, none. ``figures``: the survey-fed questions (125, 127) whose value in the file the
    person chose to enter as the official figure; the others are left as they are.

    The file is checked again inside the transaction (the worksheet may have changed since
    the preview). Raises ImportRefused with the refused cells; nothing is written then.
    """
    assessment_for(programme)
    read = read_workbook(data, programme.framework.spec)
    with transaction.atomic():
        plan = plan_import(programme, actor, read)
        if plan.errors:
            raise ImportRefused(plan.errors)
        for (number, side), (value, note) in sorted(plan.targets.items()):
            setter = answer_set_unit if side == UNIT else answer_set_tpi
            try:
                setter(actor=actor, programme=programme, number=number, value=value, note=note)
            except (ValidationError, PermissionDenied) as exc:
                column = read.columns.get(UNIT_ANSWER if side == UNIT else TPI_ANSWER)
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise ImportRefused(
                    [CellError(plan.sheet, read.row_of(number), column, value, message)]
                ) from None
        for link in plan.links:
            try:
                answer_evidence_add(
                    actor=actor,
                    programme=programme,
                    number=link.number,
                    url=link.url,
                    title=link.title,
                )
            except (ValidationError, PermissionDenied) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise ImportRefused(
                    [CellError(plan.sheet, link.row, link.column, link.url, message)]
                ) from None
        chosen = [offer for offer in plan.offers if offer.number in set(figures)]
        if chosen:
            access = programme_access(actor, programme) if actor is not None else None
            if access is not None and not (access.can_coordinate or access.can_manage):
                offer = chosen[0]
                raise ImportRefused(
                    [
                        CellError(
                            plan.sheet,
                            offer.row,
                            offer.column,
                            offer.index,
                            _(
                                "only the coordinator and the survey managers enter official "
                                "survey figures."
                            ),
                        )
                    ]
                )
            for offer in chosen:
                official_figure_set(
                    actor=actor,
                    programme=programme,
                    question=offer.number,
                    index=offer.index,
                    source=offer.source,
                )
        plan.offers = chosen
        if plan.changes or plan.links or chosen:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=programme,
                programme=programme,
                note=_(
                    "LKE workbook imported: %(count)d values changed, %(links)d evidence links "
                    "added, %(figures)d official survey figures entered"
                )
                % {"count": len(plan.changes), "links": len(plan.links), "figures": len(chosen)},
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


# --------------------------------------------------------------------------- export jobs

RUN_SOFT_LIMIT = 300  # seconds a build may take (the task's soft time limit)
# A run started longer ago than this has died with its worker (the task's hard limit is 30 s
# past the soft one): the repair gives the job back.
ABANDONED_AFTER = datetime.timedelta(seconds=RUN_SOFT_LIMIT * 2)
# A job still pending this long after it was asked for lost its task (the broker was away).
PENDING_GRACE = datetime.timedelta(minutes=2)


def export_job_create(
    *,
    actor: User,
    programme: Programme,
    kind: str,
    site_url: str = "",
    language: str | None = None,
) -> ExportJob:
    """Ask for an export of the programme; a worker builds it once this transaction commits,
    in ``language`` (the requester's; the active language when not given).

    ``site_url`` is the address the person asked on (``zi_tracker.http.site_url(request)``):
    the file's links back to this site start with it, so they open where the person reached
    the site. Raises PermissionDenied unless the person may export the programme's data.
    """
    from reports.tasks import run_export

    if kind not in ExportJob.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of export.")})
    if not programme_access(actor, programme).can_export:
        raise PermissionDenied(_("You may not export this programme's data."))
    languages = {code for code, _name in settings.LANGUAGES}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in languages:
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        job = ExportJob.objects.create(
            programme=programme,
            kind=kind,
            requested_by=actor,
            site_url=site_url[:200],
            language=language,
        )
        audit_created(
            job, ("programme", "kind", "language", "status"), actor=actor, programme=programme
        )
        enqueue_on_commit(run_export, job.pk)
    return job


def _job_failed(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build the job's file. Safe to run twice: only a pending job (or one whose run died
    long ago) is claimed, so a second run returns None and leaves it alone."""
    now = timezone.now()
    abandoned = now - ABANDONED_AFTER
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ExportJob.Status.PENDING)
            | Q(status=ExportJob.Status.RUNNING, started_at__lt=abandoned)
        )
        .update(status=ExportJob.Status.RUNNING, started_at=now, progress=1, error="")
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("programme__unit", "programme__framework").get(pk=job_id)
    builder = BUILDERS[job.kind]

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
            progress=max(1, min(99, percent))
        )

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            data = builder.build(job.programme, progress, job.site_url)
        except SoftTimeLimitExceeded:
            _job_failed(
                job_id,
                _("The export took longer than %(seconds)d seconds and was stopped.")
                % {"seconds": RUN_SOFT_LIMIT},
            )
            return None
        except TRANSIENT_DB_ERRORS:
            # The task retries: give the job back so that the retry claims it again.
            ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.PENDING)
            raise
        except Exception as exc:
            logger.exception("export %s (%s) failed", job_id, job.kind)
            _job_failed(
                job_id,
                _("The export failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"},
            )
            return None
        filename = builder.filename(job.programme)
        content = ContentFile(data) if isinstance(data, bytes) else File(data)
        try:
            size = content.size
            _remove_files_left_by_earlier_runs(job)
            job.file.save(filename, content, save=False)
        except OSError as exc:
            logger.exception("export %s could not be stored", job_id)
            _job_failed(job_id, _("The file could not be stored: %(error)s") % {"error": str(exc)})
            return None
        finally:
            content.close()
    updated = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE,
        progress=100,
        file=job.file.name,
        filename=filename,
        size=size,
        finished_at=timezone.now(),
    )
    if not updated:  # removed meanwhile: do not leave its file behind
        job.file.delete(save=False)
        return None
    job.refresh_from_db()
    return job


def _remove_files_left_by_earlier_runs(job: ExportJob) -> None:
    """A run that died after storing its file and before recording it left that file: this
    run's file replaces it (one file per job)."""
    storage = job.file.storage
    folder, prefix = export_folder(job), export_prefix(job)
    try:
        _folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if name.startswith(prefix):
            storage.delete(f"{folder}/{name}")


def export_jobs_repair(*, now: datetime.datetime | None = None) -> int:
    """Queue again the jobs whose task was lost (still pending ``PENDING_GRACE`` after they
    were asked for) or whose run died with its worker (running for ``ABANDONED_AFTER``); how
    many were queued. Each is built once: a run claims its job before building."""
    from reports.tasks import run_export

    now = now or timezone.now()
    # An abandoned run's job is given back first, so that the queued run may claim it.
    ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, started_at__lt=now - ABANDONED_AFTER
    ).update(status=ExportJob.Status.PENDING)
    pending = list(
        ExportJob.objects.filter(
            status=ExportJob.Status.PENDING, created_at__lt=now - PENDING_GRACE
        ).values_list("pk", flat=True)
    )
    for job_id in pending:
        enqueue_on_commit(run_export, job_id)
    return len(pending)


def export_jobs_remove_old(*, now: datetime.datetime | None = None) -> int:
    """Remove exports (their files and rows) requested before ``ZI_EXPORT_KEEP_DAYS`` ago."""
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=export_cutoff(now)).iterator():
        if job.file:
            try:
                job.file.delete(save=False)
            except OSError:
                logger.warning("could not remove export file %s", job.file.name, exc_info=True)
                continue
        job.delete()
        removed += 1
    return removed

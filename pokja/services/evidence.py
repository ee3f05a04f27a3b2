"""Evidence: a file or link stored once per programme, and attached to (or detached from)
what it supports: an action-plan item, an audit finding, an LKE answer. All audited.

`evidence_add` stores a new piece; `evidence_attach` / `evidence_detach` change what a row
with an `evidence` many-to-many (a plan item, a finding) is supported by. The workflows that
own those rows check who may change them first (`pokja.services.plans`,
`pokja.services.registers`, `evaluations.services` for answers).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from audit.services import AuditedChange, audited, audited_create, audited_update
from pokja.models import Evidence, Pokja, Programme, User
from pokja.uploads import check_upload

EVIDENCE_FIELDS = ("programme", "pokja", "kind", "title", "file", "original_name", "size", "url")


@transaction.atomic
def evidence_add_file(
    *,
    actor: User,
    programme: Programme,
    pokja: Pokja | None,
    uploaded: UploadedFile,
    title: str = "",
) -> Evidence:
    """Store an uploaded file after checking its size and real type.

    The same file uploaded again to the same programme is the same piece of evidence; a new
    title given with it renames it (audited) when it is the same Pokja's (or, for the
    programme's own documents, also the programme's). Another Pokja's evidence keeps its
    title: ``kept_title`` on the returned evidence then says so, for the page to tell.
    """
    checked = check_upload(uploaded)
    existing = (
        Evidence.objects.select_for_update()
        .filter(programme=programme, sha256=checked.sha256, kind="file")
        .first()
    )
    if existing is not None:
        new_title = title.strip()[:200]
        existing.kept_title = False
        if new_title and new_title != existing.title:
            if existing.pokja_id == (pokja.pk if pokja else None):
                audited_update(
                    existing,
                    EVIDENCE_FIELDS,
                    actor=actor,
                    changes={"title": new_title},
                    update_fields=["title"],
                    programme=programme,
                )
            else:
                existing.kept_title = True
        return existing
    evidence = Evidence(
        programme=programme,
        pokja=pokja,
        kind=Evidence.Kind.FILE,
        title=(title or checked.original_name)[:200],
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("upload", uploaded, save=False)
    return audited_create(evidence, EVIDENCE_FIELDS, actor=actor, programme=programme)


@transaction.atomic
def evidence_add_link(
    *, actor: User, programme: Programme, pokja: Pokja | None, url: str, title: str
) -> Evidence:
    evidence = Evidence(
        programme=programme,
        pokja=pokja,
        kind=Evidence.Kind.LINK,
        title=(title or url)[:200],
        url=url,
        uploaded_by=actor,
    )
    return audited_create(
        evidence,
        EVIDENCE_FIELDS,
        actor=actor,
        check=lambda row: row.full_clean(exclude=["file"]),
        programme=programme,
    )


def evidence_add(
    *,
    actor: User,
    programme: Programme,
    pokja: Pokja | None,
    uploaded: UploadedFile | None = None,
    url: str = "",
    title: str = "",
) -> Evidence:
    """A new piece of the programme's evidence: the file uploaded, or else the link."""
    if uploaded is not None:
        return evidence_add_file(
            actor=actor, programme=programme, pokja=pokja, uploaded=uploaded, title=title
        )
    return evidence_add_link(actor=actor, programme=programme, pokja=pokja, url=url, title=title)


def evidence_attach(
    *, actor: User, holder: models.Model, evidence: Evidence, note: str = ""
) -> AuditedChange:
    """`holder` (a row of a programme with an `evidence` many-to-many) is supported by
    `evidence` too; refused for another programme's evidence."""
    if evidence.programme_id != holder.programme_id:
        raise ValidationError({"evidence": _("Choose evidence of this programme.")})
    with audited(
        holder, ("evidence",), actor=actor, programme=holder.programme, note=note or evidence.title
    ) as change:
        holder.evidence.add(evidence)
    return change


def evidence_detach(*, actor: User, holder: models.Model, evidence: Evidence) -> AuditedChange:
    """`evidence` no longer supports `holder`; the evidence itself is kept."""
    with audited(
        holder, ("evidence",), actor=actor, programme=holder.programme, note=evidence.title
    ) as change:
        holder.evidence.remove(evidence)
    return change


__all__ = [
    "EVIDENCE_FIELDS",
    "evidence_add",
    "evidence_add_file",
    "evidence_add_link",
    "evidence_attach",
    "evidence_detach",
]

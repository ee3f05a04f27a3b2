"""Changes to a public page: every one audited, and every one moves the page's
``updated_at`` (which the page shows, and which names its cached content)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_created, audited_create, audited_delete, audited_update
from pokja.models import Evidence, Programme, User
from publicpage.models import BLOCK_FIELDS, ComplaintChannel, PublicPage, ServiceStandard

PAGE_FIELDS = ("published", *BLOCK_FIELDS, "pakta_document")
STANDARD_FIELDS = ("service", "requirements", "duration", "cost", "product")
CHANNEL_FIELDS = ("name", "contact", "hours")


def _locked_page(*, actor: User, programme: Programme) -> PublicPage:
    """The programme's page row, locked; created (off, audited) when it is the first change."""
    page = PublicPage.objects.select_for_update().filter(programme=programme).first()
    if page is None:
        page = PublicPage.objects.create(programme=programme)
        audit_created(page, PAGE_FIELDS, actor=actor, programme=programme)
    return page


def _clean(obj, fields) -> None:
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, str):
            setattr(obj, name, value.strip())
    obj.full_clean(exclude=["programme"])


@transaction.atomic
def public_page_update(
    *,
    actor: User,
    programme: Programme,
    published: bool,
    blocks: set[str],
    pakta_document: Evidence | None,
) -> PublicPage:
    """Set what is public: the page as a whole, each block, and the pakta file."""
    unknown = set(blocks) - set(BLOCK_FIELDS)
    if unknown:
        raise ValueError(f"unknown blocks {sorted(unknown)}")
    if pakta_document is not None and (
        pakta_document.programme_id != programme.pk or not pakta_document.is_file
    ):
        raise ValidationError({"pakta_document": _("Choose an uploaded file of this programme.")})
    page = _locked_page(actor=actor, programme=programme)
    changes = {name: name in blocks for name in BLOCK_FIELDS}
    changes |= {"published": published, "pakta_document": pakta_document}
    audited_update(page, PAGE_FIELDS, actor=actor, changes=changes, programme=programme)
    return page


def _touch(page: PublicPage) -> None:
    page.save(update_fields=["updated_at"])


def _add(model, field_names, *, actor: User, programme: Programme, fields: dict):
    """A row of the page's `model` (a service standard, a complaint channel), audited."""
    unknown = set(fields) - set(field_names)
    if unknown:
        raise ValueError(f"a {model._meta.model_name} has no {sorted(unknown)}")
    page = _locked_page(actor=actor, programme=programme)
    row = audited_create(
        model(programme=programme, **fields),
        field_names,
        actor=actor,
        check=lambda row: _clean(row, field_names),
        programme=programme,
    )
    _touch(page)
    return row


def _delete(row, field_names, *, actor: User) -> None:
    page = _locked_page(actor=actor, programme=row.programme)
    audited_delete(row, field_names, actor=actor, programme=row.programme)
    _touch(page)


@transaction.atomic
def service_standard_add(*, actor: User, programme: Programme, **fields) -> ServiceStandard:
    return _add(ServiceStandard, STANDARD_FIELDS, actor=actor, programme=programme, fields=fields)


@transaction.atomic
def service_standard_delete(*, actor: User, standard: ServiceStandard) -> None:
    _delete(standard, STANDARD_FIELDS, actor=actor)


@transaction.atomic
def complaint_channel_add(*, actor: User, programme: Programme, **fields) -> ComplaintChannel:
    return _add(ComplaintChannel, CHANNEL_FIELDS, actor=actor, programme=programme, fields=fields)


@transaction.atomic
def complaint_channel_delete(*, actor: User, channel: ComplaintChannel) -> None:
    _delete(channel, CHANNEL_FIELDS, actor=actor)

"""Changes to a public page: every one audited, and every one moves the page's
``updated_at`` (which the page shows, and which names its cached content)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_snapshot
from pokja.models import Evidence, Programme, User
from publicpage.models import BLOCK_FIELDS, ComplaintChannel, PublicPage, ServiceStandard

PAGE_FIELDS = ("published", *BLOCK_FIELDS, "pakta_document")
STANDARD_FIELDS = ("service", "requirements", "duration", "cost", "product")
CHANNEL_FIELDS = ("name", "contact", "hours")


def _scope(programme: Programme) -> dict:
    return {"programme_id": programme.pk, "unit_id": programme.unit_id}


def _locked_page(*, actor: User, programme: Programme) -> PublicPage:
    """The programme's page row, locked; created (off, audited) when it is the first change."""
    page = PublicPage.objects.select_for_update().filter(programme=programme).first()
    if page is None:
        page = PublicPage.objects.create(programme=programme)
        audit_change(
            actor=actor,
            obj=page,
            before=None,
            after=audit_snapshot(page, PAGE_FIELDS),
            **_scope(programme),
        )
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
    before = audit_snapshot(page, PAGE_FIELDS)
    page.published = published
    for name in BLOCK_FIELDS:
        setattr(page, name, name in blocks)
    page.pakta_document = pakta_document
    page.save()
    audit_change(
        actor=actor,
        obj=page,
        before=before,
        after=audit_snapshot(page, PAGE_FIELDS),
        **_scope(programme),
    )
    return page


def _touch(page: PublicPage) -> None:
    page.save(update_fields=["updated_at"])


@transaction.atomic
def service_standard_add(*, actor: User, programme: Programme, **fields) -> ServiceStandard:
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise ValueError(f"service_standard_add cannot set {sorted(unknown)}")
    page = _locked_page(actor=actor, programme=programme)
    standard = ServiceStandard(programme=programme, **fields)
    _clean(standard, STANDARD_FIELDS)
    standard.save()
    audit_change(
        actor=actor,
        obj=standard,
        before=None,
        after=audit_snapshot(standard, STANDARD_FIELDS),
        **_scope(programme),
    )
    _touch(page)
    return standard


@transaction.atomic
def service_standard_delete(*, actor: User, standard: ServiceStandard) -> None:
    programme = standard.programme
    page = _locked_page(actor=actor, programme=programme)
    audit_change(
        actor=actor,
        obj=standard,
        before=audit_snapshot(standard, STANDARD_FIELDS),
        after=None,
        **_scope(programme),
    )
    standard.delete()
    _touch(page)


@transaction.atomic
def complaint_channel_add(*, actor: User, programme: Programme, **fields) -> ComplaintChannel:
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise ValueError(f"complaint_channel_add cannot set {sorted(unknown)}")
    page = _locked_page(actor=actor, programme=programme)
    channel = ComplaintChannel(programme=programme, **fields)
    _clean(channel, CHANNEL_FIELDS)
    channel.save()
    audit_change(
        actor=actor,
        obj=channel,
        before=None,
        after=audit_snapshot(channel, CHANNEL_FIELDS),
        **_scope(programme),
    )
    _touch(page)
    return channel


@transaction.atomic
def complaint_channel_delete(*, actor: User, channel: ComplaintChannel) -> None:
    programme = channel.programme
    page = _locked_page(actor=actor, programme=programme)
    audit_change(
        actor=actor,
        obj=channel,
        before=audit_snapshot(channel, CHANNEL_FIELDS),
        after=None,
        **_scope(programme),
    )
    channel.delete()
    _touch(page)

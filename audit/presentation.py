"""Audit entries as people read them: field labels instead of names, choices by their label,
related objects by name, dates in the local format.

Related objects are looked up in one query per kind of object on the page (never per entry),
so a page costs the same whether it shows two entries or two hundred.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext

from audit.models import AuditEntry

EMPTY = "—"
MAX_VALUE_CHARS = 300


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


@dataclass
class EntryRow:
    entry: AuditEntry
    object_label: str
    changes: list[ChangeRow] = field(default_factory=list)
    # Who made the change as other pages name people (User.display_name).
    actor_name: str = ""

    @property
    def note(self) -> str:
        # Notes are stored in English (fixed text is part of the hash) and marked for
        # translation where they are written; unknown notes are shown as written.
        return gettext(self.entry.note) if self.entry.note else ""

    @property
    def is_create(self) -> bool:
        return self.entry.action == AuditEntry.Action.CREATE

    @property
    def is_delete(self) -> bool:
        return self.entry.action == AuditEntry.Action.DELETE


def model_for(object_type: str) -> type[models.Model] | None:
    app_label, _, model_name = object_type.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_for(object_type)
    return str(capfirst(model._meta.verbose_name)) if model else object_type


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(f) -> str:
    """A field's label; a relation named after its model and given no label of its own (its
    label would be Django's untranslated default) takes the model's name."""
    name = f.verbose_name
    related = getattr(f, "related_model", None)
    if not isinstance(name, Promise) and related is not None and f.name == related._meta.model_name:
        name = related._meta.verbose_name
    return str(capfirst(name))


def _related_ids(entries: Iterable[AuditEntry]) -> dict[type[models.Model], set]:
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = model_for(entry.object_type)
        for name, values in (entry.changes or {}).items():
            f = _field(model, name)
            if f is None or not f.is_relation or f.related_model is None:
                continue
            for value in values:
                for pk in value if isinstance(value, list) else [value]:
                    if isinstance(pk, int | str) and pk != "":
                        wanted[f.related_model].add(pk)
    return wanted


def _related_names(entries: list[AuditEntry]) -> dict[tuple[type[models.Model], str], str]:
    names = {}
    for model, ids in _related_ids(entries).items():
        # select_related() follows the required foreign keys that names are often built from.
        for obj in model._default_manager.select_related().filter(pk__in=ids)[:500]:
            names[(model, str(obj.pk))] = str(obj)
    return names


def _format_plain(value: Any) -> str:
    if isinstance(value, str):
        parsed_dt = parse_datetime(value) if "T" in value else None
        if parsed_dt is not None:
            if timezone.is_aware(parsed_dt):
                parsed_dt = timezone.localtime(parsed_dt)
            return date_format(parsed_dt, "j M Y H:i")
        return Truncator(value).chars(MAX_VALUE_CHARS)
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(value, dict | list):
        return Truncator(json.dumps(value, ensure_ascii=False)).chars(MAX_VALUE_CHARS)
    return str(value)


def format_value(f, value: Any, names: dict) -> str:
    """One stored value of field `f` (None when the field is unknown) as text."""
    if value is None or value == "" or value == []:
        return EMPTY
    if f is None:
        return _format_plain(value)
    if f.is_relation and f.related_model is not None:
        pks = value if isinstance(value, list) else [value]
        shown = [names.get((f.related_model, str(pk)), f"#{pk}") for pk in pks]
        return ", ".join(shown)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return yesno(value)
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        return _format_plain(value if "T" in value else value.replace(" ", "T"))
    if isinstance(f, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return date_format(parsed, "j F Y") if parsed else value
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return _format_plain(value)


SYSTEM = "system"  # the actor of background work (audit.services.audit_record)


def _person_name(user) -> str:
    return getattr(user, "display_name", "") or user.get_username()


def fallback_actor_name(username: str) -> str:
    # Background work, or an account removed since: the name the entry kept.
    return gettext("System") if username == SYSTEM else username


def actor_names(entries: Iterable[AuditEntry]) -> dict[int, str]:
    """The names of the people who made `entries`, by user id (one query)."""
    ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    if not ids:
        return {}
    users = get_user_model()._default_manager.filter(pk__in=ids)
    return {user.pk: _person_name(user) for user in users}


def actor_labels(usernames: Iterable[str]) -> dict[str, str]:
    """Usernames as the people's names (one query), e.g. for a filter's choices."""
    usernames = set(usernames)
    users = get_user_model()._default_manager.filter(username__in=usernames)
    labels = {user.get_username(): _person_name(user) for user in users}
    return {name: labels.get(name) or fallback_actor_name(name) for name in usernames}


def describe_entries(entries: Iterable[AuditEntry], *, changes: bool = True) -> list[EntryRow]:
    """The entries ready for a template, with a constant number of queries. Without
    `changes`, only who did what (a list of recent activity)."""
    entries = list(entries)
    names = _related_names(entries) if changes else {}
    people = actor_names(entries)
    rows = []
    for entry in entries:
        model = model_for(entry.object_type)
        row = EntryRow(
            entry=entry,
            object_label=object_type_label(entry.object_type),
            actor_name=people.get(entry.actor_id) or fallback_actor_name(entry.actor_username),
        )
        for name, values in (entry.changes or {}).items() if changes else ():
            f = _field(model, name)
            pair = [*values, None, None][:2] if isinstance(values, list) else [None, None]
            old, new = pair
            label = field_label(f) if f is not None else name
            row.changes.append(
                ChangeRow(label, format_value(f, old, names), format_value(f, new, names))
            )
        rows.append(row)
    return rows

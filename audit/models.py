"""The audit trail: an append-only, hash-chained record of every change users make.

Entries hold no foreign keys: the trail must outlive the users, programmes and objects it
speaks of, and deleting any of them must never alter or remove an entry.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    """Bulk changes are refused like single ones (the database refuses them too)."""

    def update(self, **kwargs):
        raise AuditAppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AuditAppendOnlyError("audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditAppendOnlyError("audit entries cannot be changed")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    programme_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # {"field": [old, new]} with JSON-native values.
    changes = models.JSONField(_("changes"), default=dict)
    note = models.TextField(_("note"), blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditAppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditAppendOnlyError("audit entries cannot be deleted")

    def hashed_content(self) -> bytes:
        content = {
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "programme_id": self.programme_id,
            "unit_id": self.unit_id,
            "changes": self.changes,
            "note": self.note,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.hashed_content()).hexdigest()


class AuditChainHead(models.Model):
    """One row: the hash of the newest entry, locked while an entry is appended.

    It also lets verification notice that the newest entries were removed.
    """

    last_entry_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self):
        return f"audit chain head at entry {self.last_entry_id}"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

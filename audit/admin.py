from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_repr", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions go to the audit trail like any other change."""

    audit_exclude: tuple[str, ...] = ("password", "last_login")

    def _audit_fields(self, obj):
        return [
            f.name
            for f in obj._meta.concrete_fields
            if f.name not in self.audit_exclude and not f.primary_key
        ]

    def _audit_scope(self, obj) -> dict:
        programme_id = getattr(obj, "programme_id", None)
        unit_id = getattr(obj, "unit_id", None)
        return {"programme_id": programme_id, "unit_id": unit_id}

    def save_model(self, request, obj, form, change):
        from audit.services import audit_change, audit_snapshot

        before = None
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = audit_snapshot(stored, self._audit_fields(stored)) if stored else None
        super().save_model(request, obj, form, change)
        audit_change(
            actor=request.user,
            obj=obj,
            before=before,
            after=audit_snapshot(obj, self._audit_fields(obj)),
            note="admin",
            **self._audit_scope(obj),
        )

    def delete_model(self, request, obj):
        from audit.services import audit_change, audit_snapshot

        audit_change(
            actor=request.user,
            obj=obj,
            before=audit_snapshot(obj, self._audit_fields(obj)),
            after=None,
            note="admin",
            **self._audit_scope(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

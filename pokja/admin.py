from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedModelAdmin
from pokja.models import Evidence, Pokja, Programme, ProgrammeRole, Unit, UnitRole, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "email", "position", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Work"), {"fields": ("full_name", "position", "phone")}),
    )


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


class PokjaInline(admin.TabularInline):
    model = Pokja
    extra = 0
    can_delete = False
    readonly_fields = ("number", "area_code", "name")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ("unit", "year", "framework", "target", "status")
    list_filter = ("year", "status", "target")
    search_fields = ("unit__code", "unit__name")
    inlines = [PokjaInline]
    raw_id_fields = ("pakta_document",)

    def has_add_permission(self, request):
        return False  # created with its six Pokja from the "New programme" page


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(AuditedModelAdmin):
    list_display = ("user", "programme", "kind", "pokja")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(UnitRole)
class UnitRoleAdmin(AuditedModelAdmin):
    list_display = ("user", "unit", "kind")
    raw_id_fields = ("user",)


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "pokja", "kind", "size", "uploaded_by", "uploaded_at")
    readonly_fields = [f.name for f in Evidence._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

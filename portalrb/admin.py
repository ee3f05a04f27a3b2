from django.contrib import admin

from portalrb.models import ApiToken, FetchLog, Proposal, ProposedUnit


class ProposedUnitInline(admin.TabularInline):
    model = ProposedUnit
    extra = 0
    fields = ("programme", "category", "confirmed_category", "confirmed_name", "confirmed_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "audit_opinion", "sakip_grade", "confirmed_at")
    list_filter = ("year",)
    readonly_fields = (
        "agency",
        "year",
        "audit_opinion",
        "sakip_grade",
        "confirmed_at",
        "confirmed_by",
    )
    inlines = [ProposedUnitInline]

    def has_add_permission(self, request):
        return False  # through the agency's proposal page (audited)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "prefix", "created_at", "last_used_at", "revoked_at")
    # The digest and everything else are read only: tokens are made and revoked on the
    # agency's page or with `manage.py portalrb_token` (audited).
    readonly_fields = (
        "agency",
        "name",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    exclude = ("digest",)

    def has_add_permission(self, request):
        return False


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = ("at", "agency", "endpoint", "unit_id", "status", "token")
    list_filter = ("status", "endpoint")
    readonly_fields = ("at", "agency", "token", "endpoint", "unit_id", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

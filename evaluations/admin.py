from django.contrib import admin

from evaluations.models import Answer, Assessment, AssessmentSection, Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "title", "loaded_at")
    readonly_fields = ("slug", "version", "title", "content_hash", "definition", "loaded_at")

    def has_add_permission(self, request):
        return False  # frameworks are loaded from their data files with load_framework


class _ReadOnly(admin.ModelAdmin):
    """Worksheets change only through the pages and services, which audit every change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentSectionInline(admin.TabularInline):
    model = AssessmentSection
    fields = ("code", "name", "status", "submitted_by", "reviewed_by", "finalized_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(_ReadOnly):
    list_display = ("programme", "framework", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("programme__unit", "framework")
    inlines = [AssessmentSectionInline]


@admin.register(Answer)
class AnswerAdmin(_ReadOnly):
    list_display = ("assessment", "number", "unit_value", "tpi_value", "unit_by", "tpi_by")
    list_filter = ("section_code",)
    list_select_related = ("assessment__programme__unit", "unit_by", "tpi_by")
    search_fields = ("assessment__programme__unit__code", "unit_note", "tpi_note")

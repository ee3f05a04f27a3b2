from django.contrib import admin

from reports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "programme", "kind", "status", "progress", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False  # exports are asked for on the programme's page, built by the workers

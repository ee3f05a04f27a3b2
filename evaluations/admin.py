from django.contrib import admin

from evaluations.models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "title", "loaded_at")
    readonly_fields = ("slug", "version", "title", "content_hash", "definition", "loaded_at")

    def has_add_permission(self, request):
        return False  # frameworks are loaded from their data files with load_framework

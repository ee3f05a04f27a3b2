from django.contrib import admin

from surveys.models import Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "title", "kind", "lke_question", "loaded_at")
    readonly_fields = (
        "slug",
        "version",
        "title",
        "kind",
        "lke_question",
        "content_hash",
        "definition",
        "loaded_at",
    )

    def has_add_permission(self, request):
        return False  # instruments are loaded from their data files with load_instruments

    def has_change_permission(self, request, obj=None):
        return False  # a loaded version never changes: surveys and responses rely on it

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text_title", "day", "read_at", "emailed_at"]
    list_filter = ["kind", "day"]
    search_fields = ["recipient__username", "recipient__full_name"]
    raw_id_fields = ["recipient", "programme"]
    list_select_related = ["recipient", "programme__unit"]

    @admin.display(description=_("title"))
    def text_title(self, notification: Notification) -> str:
        return notification.text.title


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest", "reminders", "event_emails"]
    raw_id_fields = ["user"]

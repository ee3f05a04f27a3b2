from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "day", "read_at", "emailed_at"]
    list_filter = ["kind", "day"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient", "programme"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest", "reminders"]
    raw_id_fields = ["user"]

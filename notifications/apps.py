from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications.events import notify_event
        from pokja.hooks import register_event_listener

        # An item returned or verified, a TPI note or review, a section returned to draft:
        # the people who must act are told (pokja.hooks lists the events and who sends them).
        register_event_listener(notify_event)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalrbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portalrb"
    verbose_name = _("National portal (PortalRB)")

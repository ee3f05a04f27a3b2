from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicPageConfig(AppConfig):
    name = "publicpage"
    verbose_name = _("Public page")

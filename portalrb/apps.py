from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalrbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portalrb"
    verbose_name = _("National portal (PortalRB)")

    def ready(self):
        from pokja.hooks import register_demo_seeder
        from portalrb.demo import seed_proposal

        # seed_demo (dashboards, below this app) adds the agency's confirmed demo proposal
        # through this hook: the demo's Polda proposes the demo unit for WBK.
        register_demo_seeder(seed_proposal)

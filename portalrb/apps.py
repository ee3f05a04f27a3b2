from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalrbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portalrb"
    verbose_name = _("National portal (PortalRB)")

    def ready(self):
        from pokja.hooks import register_demo_seeder, register_unit_role_block
        from pokja.models import UnitRole
        from portalrb.demo import seed_proposal
        from portalrb.navigation import home_block

        # seed_demo (dashboards, below this app) adds the agency's confirmed demo proposal
        # through this hook: the demo's Polda proposes the demo unit for WBK.
        register_demo_seeder(seed_proposal)
        # The home page of an agency ZI administrator leads to the agency's pages.
        register_unit_role_block(UnitRole.Kind.AGENCY, home_block)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PokjaConfig(AppConfig):
    name = "pokja"
    verbose_name = _("Organisation and working groups")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from pokja.signin import remember_chosen_language

        # Django's sign-in view has no other hook: the language chosen before signing in is
        # stored as the person's (pokja.services.person_language_set, audited).
        user_logged_in.connect(remember_chosen_language, dispatch_uid="remember_chosen_language")

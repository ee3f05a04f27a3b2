from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("LKE evaluation")

    def ready(self):
        from evaluations.services import score_mark_stale, score_note_committed_change
        from pokja.hooks import register_programme_change_listener, register_responses_listener

        # A programme's settings (e.g. whether it already holds WBK) change its predicate check.
        register_programme_change_listener(score_mark_stale)
        # Survey responses move the survey figures the score reads.
        register_responses_listener(score_note_committed_change)

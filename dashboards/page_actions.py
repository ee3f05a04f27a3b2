"""What the dashboards add to pokja's pages (registered in DashboardsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse

from dashboards.selectors import change_agent_answers
from pokja.hooks import register_page_action


def change_agents_to_lke(*, request, programme, access, keeper, **_objects) -> dict | None:
    """On the change-agent register: set LKE questions 88-91 from it (Pokja 1, coordinator)."""
    if keeper is None or not access.can_edit_pokja(keeper.pk):
        return None
    return {
        "template": "dashboards/partials/change_agents_lke.html",
        "state": change_agent_answers(programme),
        "url": reverse("change_agents_to_lke", kwargs=programme.url_kwargs()),
    }


def plan_drafts_link(*, request, programme, access, pokja, **_objects) -> dict:
    """On a Pokja's plan: the activities the LKE answers suggest."""
    return {
        "template": "dashboards/partials/plan_drafts_link.html",
        "url": reverse(
            "pokja_plan_drafts", kwargs={**programme.url_kwargs(), "number": pokja.number}
        ),
    }


def register() -> None:
    register_page_action("change_agents", change_agents_to_lke)
    register_page_action("pokja_plan", plan_drafts_link)

"""Where an agency administrator reaches the agency's pages from: a block on the home page
(through pokja.hooks, registered in apps.py) and an entry in the menu (`views.agency_menu`,
loaded by htmx so that no page runs a query for it)."""

from __future__ import annotations

from pokja.models import UnitRole, programme_today

MENU_LIMIT = 20  # agencies in the menu (site administrators may act for every one)


def home_block(*, role: UnitRole) -> dict:
    """The home page's block for an agency role: the agency's proposal of this year, its
    tokens and its fetch log (no query: the role's unit is loaded)."""
    return {
        "template": "portalrb/_home_agency.html",
        "agency": role.unit,
        "year": programme_today().year,
    }

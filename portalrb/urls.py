from django.urls import path

from portalrb import views

AGENCY = "agencies/<str:unit_code>/portal/"
PROPOSAL = AGENCY + "<int:year>/"

urlpatterns = [
    path("agencies/menu/", views.agency_menu, name="portalrb_menu"),
    path(AGENCY, views.agency_home, name="portalrb_agency"),
    path(PROPOSAL, views.proposal, name="portalrb_proposal"),
    path(PROPOSAL + "prerequisites/", views.prerequisites_set, name="portalrb_prerequisites"),
    path(
        PROPOSAL + "programmes/<int:programme_id>/",
        views.proposed_unit_set,
        name="portalrb_proposed_unit",
    ),
    path(PROPOSAL + "confirm/", views.proposal_confirm, name="portalrb_confirm"),
    path(AGENCY + "tokens/", views.tokens, name="portalrb_tokens"),
    path(
        AGENCY + "tokens/<int:token_id>/revoke/", views.token_revoke, name="portalrb_token_revoke"
    ),
    path(AGENCY + "fetches/", views.fetch_log, name="portalrb_fetch_log"),
]

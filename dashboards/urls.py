from django.urls import path

from dashboards import views

PROGRAMME = "programmes/<str:unit_code>/<int:year>/"
DRAFTS = PROGRAMME + "pokja/<int:number>/plan/drafts/"

urlpatterns = [
    path(PROGRAMME + "dashboard/", views.programme_dashboard, name="programme_dashboard"),
    path(
        PROGRAMME + "dashboard/score-status/",
        views.programme_score_status,
        name="programme_score_status",
    ),
    path(PROGRAMME + "dashboard/prerequisites/", views.proposal_record, name="proposal_record"),
    path(
        PROGRAMME + "pokja/<int:number>/dashboard/",
        views.pokja_dashboard_view,
        name="pokja_dashboard",
    ),
    path("overview/", views.units_overview, name="units_overview"),
    path("overview/export.xlsx", views.units_overview_export, name="units_overview_export"),
    path(PROGRAMME + "change-agents/lke/", views.change_agents_to_lke, name="change_agents_to_lke"),
    path(DRAFTS, views.pokja_plan_drafts, name="pokja_plan_drafts"),
    path(DRAFTS + "<int:question>/accept/", views.plan_draft_accept, name="plan_draft_accept"),
]

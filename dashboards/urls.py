from django.urls import path

from dashboards import views

PROGRAMME = "programmes/<str:unit_code>/<int:year>/"
DRAFTS = PROGRAMME + "pokja/<int:number>/plan/drafts/"

urlpatterns = [
    path(PROGRAMME + "change-agents/lke/", views.change_agents_to_lke, name="change_agents_to_lke"),
    path(DRAFTS, views.pokja_plan_drafts, name="pokja_plan_drafts"),
    path(DRAFTS + "<int:question>/accept/", views.plan_draft_accept, name="plan_draft_accept"),
]

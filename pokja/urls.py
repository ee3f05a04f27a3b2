from django.urls import path

from pokja.views import audit, people, plan_imports, plans, registers
from pokja.views import organisation as views

PROGRAMME = "programmes/<str:unit_code>/<int:year>/"
POKJA = PROGRAMME + "pokja/<int:number>/"
PLAN = POKJA + "plan/"
ITEM = PLAN + "<int:item_id>/"
FINDING = PROGRAMME + "tlhp/<int:finding_id>/"
AGENT = PROGRAMME + "change-agents/<int:agent_id>/"

urlpatterns = [
    path("programmes/new/", views.programme_create, name="programme_create"),
    path(PROGRAMME, views.programme_detail, name="programme_detail"),
    path(PROGRAMME + "settings/", views.programme_settings, name="programme_settings"),
    path(PROGRAMME + "roles/", views.programme_roles, name="programme_roles"),
    path(
        PROGRAMME + "roles/<int:role_id>/remove/",
        views.programme_role_remove,
        name="programme_role_remove",
    ),
    path(
        PROGRAMME + "roles/invitations/<int:invitation_id>/withdraw/",
        views.programme_invitation_withdraw,
        name="programme_invitation_withdraw",
    ),
    # Invitations to a role, as the invited person sees them.
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/badge/", views.invitation_badge, name="invitation_badge"),
    path(
        "invitations/<int:invitation_id>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path(POKJA, views.pokja_detail, name="pokja_detail"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    # Action plans
    path(PROGRAMME + "plans/", plans.programme_plans, name="programme_plans"),
    path(PLAN, plans.pokja_plan, name="pokja_plan"),
    path(PLAN + "new/", plans.plan_item_create, name="plan_item_create"),
    path(PLAN + "monitoring/", plans.pokja_plan_monitoring, name="pokja_plan_monitoring"),
    path(PLAN + "import/", plan_imports.pokja_plan_import, name="pokja_plan_import"),
    path(PLAN + "template.<str:fmt>", plans.pokja_plan_template, name="pokja_plan_template"),
    path(PLAN + "export.xlsx", plans.pokja_plan_export, name="pokja_plan_export"),
    path(ITEM, plans.plan_item_detail, name="plan_item_detail"),
    path(ITEM + "edit/", plans.plan_item_edit, name="plan_item_edit"),
    path(ITEM + "delete/", plans.plan_item_delete, name="plan_item_delete"),
    path(ITEM + "status/", plans.plan_item_status, name="plan_item_status"),
    path(ITEM + "evidence/", plans.plan_item_evidence_add, name="plan_item_evidence_add"),
    path(
        ITEM + "evidence/<int:evidence_id>/remove/",
        plans.plan_item_evidence_remove,
        name="plan_item_evidence_remove",
    ),
    path(ITEM + "comments/", plans.plan_item_comment, name="plan_item_comment"),
    path(ITEM + "monitoring/", plans.plan_item_monitoring, name="plan_item_monitoring"),
    # Audit findings (TLHP)
    path(PROGRAMME + "tlhp/", registers.findings, name="findings"),
    path(PROGRAMME + "tlhp/new/", registers.finding_create, name="finding_create"),
    path(FINDING, registers.finding_detail, name="finding_detail"),
    path(FINDING + "evidence/", registers.finding_evidence_add, name="finding_evidence_add"),
    path(
        FINDING + "evidence/<int:evidence_id>/remove/",
        registers.finding_evidence_remove,
        name="finding_evidence_remove",
    ),
    path(FINDING + "delete/", registers.finding_delete, name="finding_delete"),
    # Change agents
    path(PROGRAMME + "change-agents/", registers.change_agents, name="change_agents"),
    path(
        PROGRAMME + "change-agents/new/", registers.change_agent_create, name="change_agent_create"
    ),
    path(AGENT + "edit/", registers.change_agent_edit, name="change_agent_edit"),
    path(AGENT + "delete/", registers.change_agent_delete, name="change_agent_delete"),
    path(AGENT + "changes/new/", registers.agent_change_create, name="agent_change_create"),
    path(
        AGENT + "changes/<int:change_id>/edit/",
        registers.agent_change_edit,
        name="agent_change_edit",
    ),
    path(
        AGENT + "changes/<int:change_id>/delete/",
        registers.agent_change_delete,
        name="agent_change_delete",
    ),
]

# Who may do what and who did what: a unit's people and a programme's audit trail.
PERSON = "units/<str:unit_code>/people/<int:user_id>/"

urlpatterns += [
    path(
        PROGRAMME + "audit/",
        audit.audit_trail,
        name="audit_trail",
    ),
    path("units/<str:unit_code>/people/", people.unit_people, name="unit_people"),
    path(
        "units/<str:unit_code>/people/new/",
        people.unit_person_create,
        name="unit_person_create",
    ),
    path(PERSON, people.unit_person_detail, name="unit_person_detail"),
    path(PERSON + "roles/", people.unit_person_role_give, name="unit_person_role_give"),
    path(
        PERSON + "roles/<int:role_id>/remove/",
        people.unit_person_role_remove,
        name="unit_person_role_remove",
    ),
    path(
        PERSON + "unit-roles/<int:role_id>/remove/",
        people.unit_person_unit_role_remove,
        name="unit_person_unit_role_remove",
    ),
    path(PERSON + "active/", people.unit_person_set_active, name="unit_person_set_active"),
    path(
        PERSON + "password-reset/",
        people.unit_person_password_reset,
        name="unit_person_password_reset",
    ),
    path(PERSON + "unlock/", people.unit_person_unlock, name="unit_person_unlock"),
]

"""Who may do what and who did what: a unit's people and a programme's audit trail."""

from django.urls import path

from pokja import audit_views, people_views

PERSON = "units/<str:unit_code>/people/<int:user_id>/"

urlpatterns = [
    path(
        "programmes/<str:unit_code>/<int:year>/audit/",
        audit_views.audit_trail,
        name="audit_trail",
    ),
    path("units/<str:unit_code>/people/", people_views.unit_people, name="unit_people"),
    path(
        "units/<str:unit_code>/people/new/",
        people_views.unit_person_create,
        name="unit_person_create",
    ),
    path(PERSON, people_views.unit_person_detail, name="unit_person_detail"),
    path(PERSON + "roles/", people_views.unit_person_role_give, name="unit_person_role_give"),
    path(
        PERSON + "roles/<int:role_id>/remove/",
        people_views.unit_person_role_remove,
        name="unit_person_role_remove",
    ),
    path(
        PERSON + "unit-roles/<int:role_id>/remove/",
        people_views.unit_person_unit_role_remove,
        name="unit_person_unit_role_remove",
    ),
    path(PERSON + "active/", people_views.unit_person_set_active, name="unit_person_set_active"),
    path(
        PERSON + "password-reset/",
        people_views.unit_person_password_reset,
        name="unit_person_password_reset",
    ),
    path(PERSON + "unlock/", people_views.unit_person_unlock, name="unit_person_unlock"),
]

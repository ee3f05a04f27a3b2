from django.urls import path

from pokja import views

PROGRAMME = "programmes/<str:unit_code>/<int:year>/"

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
    path(PROGRAMME + "pokja/<int:number>/", views.pokja_detail, name="pokja_detail"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
]

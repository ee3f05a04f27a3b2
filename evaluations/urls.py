from django.urls import path

from evaluations import views

LKE = "programmes/<str:unit_code>/<int:year>/lke/"
QUESTION = LKE + "q/<int:number>/"

urlpatterns = [
    path(LKE, views.lke_overview, name="lke_overview"),
    path(LKE + "what-if/", views.lke_what_if, name="lke_what_if"),
    path(LKE + "finalize/", views.lke_finalize, name="lke_finalize"),
    path(QUESTION + "unit/", views.lke_answer_unit, name="lke_answer_unit"),
    path(QUESTION + "tpi/", views.lke_answer_tpi, name="lke_answer_tpi"),
    path(QUESTION + "evidence/upload/", views.lke_evidence_upload, name="lke_evidence_upload"),
    path(QUESTION + "evidence/link/", views.lke_evidence_link, name="lke_evidence_link"),
    path(QUESTION + "evidence/pick/", views.lke_evidence_pick, name="lke_evidence_pick"),
    path(
        QUESTION + "evidence/<int:evidence_id>/remove/",
        views.lke_evidence_remove,
        name="lke_evidence_remove",
    ),
    path(LKE + "<str:section>/", views.lke_section, name="lke_section"),
    path(LKE + "<str:section>/status/", views.lke_section_status, name="lke_section_status"),
]

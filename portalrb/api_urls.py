"""The portal's API, mounted at ZI_PORTALRB_BASE_PATH (zi_tracker/urls.py)."""

from django.urls import path

from portalrb import api

urlpatterns = [
    path("", api.openapi, name="portalrb_openapi"),
    path("openapi.yaml", api.openapi, name="portalrb_openapi_file"),
    path("pengusulan/unit-wbk", api.unit_wbk, name="portalrb_unit_wbk"),
    path("pengusulan/unit-wbbm", api.unit_wbbm, name="portalrb_unit_wbbm"),
    path("lke/jawaban-unit/<str:unit_id>", api.unit_answers, name="portalrb_unit_answers"),
    path("bukti/<str:signed>/", api.evidence_page, name="portalrb_evidence"),
    path("bukti/<str:signed>/<int:evidence_id>/", api.evidence_file, name="portalrb_evidence_file"),
]

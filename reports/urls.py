from django.urls import path

from reports import views

REPORTS = "programmes/<str:unit_code>/<int:year>/reports/"

urlpatterns = [
    path(REPORTS, views.reports_index, name="reports_index"),
    path(REPORTS + "new/", views.export_create, name="export_create"),
    path(REPORTS + "lke-import/", views.lke_import, name="lke_import"),
    path(REPORTS + "<int:job_id>/", views.export_status, name="export_status"),
    path(REPORTS + "<int:job_id>/download/", views.export_download, name="export_download"),
]

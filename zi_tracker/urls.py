from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from dashboards import views as dashboard_views

admin.site.site_header = "ZI Tracker"
admin.site.site_title = "ZI Tracker"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("favicon.ico", dashboard_views.favicon, name="favicon"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("pokja.urls")),
    path("", include("pokja.accountability_urls")),
    path("", include("evaluations.urls")),
    path("", include("surveys.urls")),
    path("", include("audit.urls")),
    path("", include("dashboards.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
]

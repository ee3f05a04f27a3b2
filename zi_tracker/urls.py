from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dashboards import views as dashboard_views
from pokja.views import account as account_views
from pokja.views.organisation import language_switch

handler500 = "zi_tracker.errors.server_error"

admin.site.site_header = "ZI Tracker"
admin.site.site_title = "ZI Tracker"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("favicon.ico", dashboard_views.favicon, name="favicon"),
    # Django's password reset with the application's limits and links (before Django's own).
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("pokja.urls")),
    path("", include("evaluations.urls")),
    path("", include("surveys.urls")),
    path("", include("dashboards.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("publicpage.urls")),
    path("", include("portalrb.urls")),
    path(settings.ZI_PORTALRB_BASE_PATH.lstrip("/"), include("portalrb.api_urls")),
]

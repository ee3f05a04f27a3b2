from django.urls import path

from surveys.views import public as public_views
from surveys.views import staff as views

SURVEYS = "programmes/<str:unit_code>/<int:year>/surveys/"
SURVEY = SURVEYS + "<int:survey_id>/"

urlpatterns = [
    # Public pages for respondents: no sign-in.
    path("s/<str:token>/", public_views.survey_public, name="survey_public"),
    path("s/<str:token>/done/", public_views.survey_thanks, name="survey_thanks"),
    # Pages of a programme.
    path(SURVEYS, views.survey_list, name="survey_list"),
    path(SURVEYS + "new/", views.survey_create, name="survey_create"),
    path(SURVEYS + "lke/<int:question>/official/", views.official_figure, name="official_figure"),
    path(SURVEY, views.survey_detail, name="survey_detail"),
    path(SURVEY + "edit/", views.survey_edit, name="survey_edit"),
    path(SURVEY + "preview/", views.survey_preview, name="survey_preview"),
    path(SURVEY + "codes/", views.survey_codes, name="survey_codes"),
    path(SURVEY + "poster/", views.survey_poster, name="survey_poster"),
    path(SURVEY + "qr.svg", views.survey_qr, name="survey_qr"),
    path(SURVEY + "import/", views.survey_import, name="survey_import"),
    path(
        SURVEY + "import/template.csv",
        views.survey_import_template,
        name="survey_import_template",
    ),
    path(
        SURVEY + "export/responses.<str:fmt>",
        views.survey_export_responses,
        name="survey_export_responses",
    ),
    path(
        SURVEY + "export/results.<str:fmt>",
        views.survey_export_results,
        name="survey_export_results",
    ),
]

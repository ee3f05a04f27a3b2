from django.urls import path

from publicpage import views

urlpatterns = [
    # The short, stable address printed on posters: /p/<UNIT>/<YEAR>/.
    path("p/<str:unit_code>/<int:year>/", views.public_page, name="public_page"),
    path("p/<str:unit_code>/<int:year>/pakta/", views.public_pakta, name="public_pakta"),
    path(
        "p/<str:unit_code>/<int:year>/badge.<str:fmt>",
        views.public_badge,
        name="public_badge",
    ),
    path(
        "programmes/<str:unit_code>/<int:year>/public-page/",
        views.public_page_settings,
        name="public_page_settings",
    ),
    path(
        "programmes/<str:unit_code>/<int:year>/public-page/preview/",
        views.public_page_preview,
        name="public_page_preview",
    ),
    path(
        "programmes/<str:unit_code>/<int:year>/public-page/standards/",
        views.public_standard_add,
        name="public_standard_add",
    ),
    path(
        "programmes/<str:unit_code>/<int:year>/public-page/standards/<int:standard_id>/delete/",
        views.public_standard_delete,
        name="public_standard_delete",
    ),
    path(
        "programmes/<str:unit_code>/<int:year>/public-page/channels/",
        views.public_channel_add,
        name="public_channel_add",
    ),
    path(
        "programmes/<str:unit_code>/<int:year>/public-page/channels/<int:channel_id>/delete/",
        views.public_channel_delete,
        name="public_channel_delete",
    ),
]

"""Who gets what from every URL of the project.

Every named URL pattern must have an entry here (or be listed in PUBLIC or EXEMPT); the
matrix test fails for a URL added without one. Each entry builds the URL from the standard
test world (tests.factories.World) and says the expected status for every role:

    anonymous   not signed in                 no_role    signed in, no role anywhere
    outsider    coordinator of another unit   koordinator, ketua1, anggota1 (Pokja 1),
    anggota2    member of Pokja 2             tpi, pimpinan, unit_admin, site_admin
    oversight   oversight role on the parent unit (read only)

Statuses: 302 for anonymous (sent to sign in); 404 when the person may not see the object
(its existence is not revealed); 403 when they may see it but not do this; 200 to read;
302 after a successful change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.factories import World

ROLES = (
    "anonymous",
    "no_role",
    "outsider",
    "koordinator",
    "ketua1",
    "anggota1",
    "anggota2",
    "tpi",
    "pimpinan",
    "unit_admin",
    "oversight",
    "site_admin",
)
VIEWERS = (
    "koordinator",
    "ketua1",
    "anggota1",
    "anggota2",
    "tpi",
    "pimpinan",
    "unit_admin",
    "oversight",
    "site_admin",
)


def statuses(default: int, **by_role: int) -> dict[str, int]:
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = 302
    expected.update(by_role)
    return expected


def read_by_viewers(**overrides: int) -> dict[str, int]:
    """Everyone who can see the programme reads (200); others get 404."""
    return statuses(404, **{**dict.fromkeys(VIEWERS, 200), **overrides})


def programme_kwargs(world: World) -> dict:
    return {"unit_code": world.unit.code, "year": world.programme.year}


@dataclass
class Case:
    kwargs: Callable[[World], dict]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda world: {})
    # Extra set-up on the world before the requests (e.g. an uploaded file to download).
    prepare: Callable[[World], None] | None = None


def _pakta_evidence(world: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pokja.services import evidence_add_file

    evidence = evidence_add_file(
        actor=world.coordinator,
        programme=world.programme,
        pokja=world.pokjas[1],
        uploaded=SimpleUploadedFile(
            "pakta.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf"
        ),
        title="Pakta",
    )
    return {"pk": evidence.pk}


def _role_of_anggota1(world: World) -> dict:
    role = world.programme.roles.get(user=world.anggota1)
    return {**programme_kwargs(world), "role_id": role.pk}


def _survey(world: World) -> dict:
    from tests.surveys.factories import make_survey

    survey = make_survey(world.programme)
    return {**programme_kwargs(world), "survey_id": survey.pk}


def _public_survey(world: World) -> dict:
    from tests.surveys.factories import make_survey

    return {"token": make_survey(world.programme).public_token}


# Survey settings, codes, posters and imports: the coordinator and the unit's administrators.
SURVEY_MANAGERS = read_by_viewers(
    **{r: 403 for r in VIEWERS if r not in ("koordinator", "unit_admin", "site_admin")}
)
# Exports of survey data: whoever may export the programme's data.
SURVEY_EXPORTERS = read_by_viewers(
    **{r: 403 for r in VIEWERS if r not in ("koordinator", "pimpinan", "unit_admin", "site_admin")}
)
# Respondents' pages: everyone, signed in or not. The survey's link answers with a redirect
# to the address of a new filled-in form (tests/surveys/test_submission.py follows it).
RESPONDENTS = statuses(200, anonymous=200)
RESPONDENTS_LINK = statuses(302)

MATRIX: dict[str, Case] = {
    "home": Case(lambda w: {}, statuses(200)),
    "programme_create": Case(lambda w: {}, statuses(403, unit_admin=200, site_admin=200)),
    "programme_detail": Case(programme_kwargs, read_by_viewers()),
    "programme_settings": Case(
        programme_kwargs,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("koordinator", "unit_admin", "site_admin")}
        ),
    ),
    "programme_roles": Case(
        programme_kwargs,
        read_by_viewers(**{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")}),
    ),
    "programme_role_remove": Case(
        _role_of_anggota1,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")},
            unit_admin=302,
            site_admin=302,
        ),
        method="post",
    ),
    "pokja_detail": Case(lambda w: {**programme_kwargs(w), "number": 1}, read_by_viewers()),
    "evidence_download": Case(_pakta_evidence, read_by_viewers()),
    "survey_list": Case(programme_kwargs, read_by_viewers()),
    "survey_create": Case(programme_kwargs, SURVEY_MANAGERS),
    "official_figure": Case(lambda w: {**programme_kwargs(w), "question": 125}, SURVEY_MANAGERS),
    "survey_detail": Case(_survey, read_by_viewers()),
    "survey_edit": Case(_survey, SURVEY_MANAGERS),
    "survey_preview": Case(_survey, SURVEY_MANAGERS),
    "survey_codes": Case(_survey, SURVEY_MANAGERS),
    "survey_poster": Case(_survey, SURVEY_MANAGERS),
    "survey_qr": Case(_survey, SURVEY_MANAGERS),
    "survey_import": Case(_survey, SURVEY_MANAGERS),
    "survey_import_template": Case(_survey, SURVEY_MANAGERS),
    "survey_export_responses": Case(lambda w: {**_survey(w), "fmt": "csv"}, SURVEY_EXPORTERS),
    "survey_export_results": Case(lambda w: {**_survey(w), "fmt": "xlsx"}, SURVEY_EXPORTERS),
    "survey_public": Case(_public_survey, RESPONDENTS_LINK),
    "survey_thanks": Case(_public_survey, RESPONDENTS),
}

# Reachable without signing in, answering 200 to everyone.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "healthz",
}

# Not walked: Django's own admin (staff only, tested by Django), views that need a token
# or are POST-only plumbing of Django itself.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {
    "logout",  # POST-only; signs out whoever asks
    "password_change",  # Django's own view, login required
    "password_change_done",
    "password_reset_confirm",  # needs a one-time token
    "set_language",  # Django's own view, sets a cookie
}

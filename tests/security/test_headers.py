"""Security headers: a strict Content-Security-Policy on every page, and the production set
(HSTS, secure cookies, HTTPS redirect) as a production process really sends them."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import build_world
from tests.permission_matrix import MATRIX, PUBLIC, ROLES
from tests.project.test_settings import PRODUCTION_ENV, ROOT, clean_environ
from zi_tracker.middleware import PERMISSIONS_POLICY

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value.strip() for name, _, value in parts}


# What a strict policy would block: the pages must not need any of it.
INLINE = [
    # Data blocks (json_script: type="application/json") are never executed, so the policy
    # has nothing to block there; any other script without src would be.
    (
        "inline <script>",
        re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I),
    ),
    ("<style> block", re.compile(r"<style[\s>]", re.I)),
    ("style attribute", re.compile(r"<[^>]+\sstyle\s*=", re.I)),
    ("event handler attribute", re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)),
    ("hx-on attribute", re.compile(r"\shx-on", re.I)),
]


# Views that declare their response public (the same bytes for everyone, nothing personal):
# the middleware keeps their caching for signed-in people too.
DECLARED_PUBLIC = {"public_badge"}


def check_page(
    label: str, response, *, signed_in: bool = False, declared_public: bool = False
) -> list[str]:
    problems = []
    if response.headers.get("Permissions-Policy") != PERMISSIONS_POLICY:
        problems.append(f"{label}: Permissions-Policy {response.headers.get('Permissions-Policy')}")
    cache = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    if declared_public:
        if "public" not in cache or "no-store" in cache:
            problems.append(f"{label}: declared public, but Cache-Control {sorted(cache)}")
    elif signed_in and not {"private", "no-store"} <= cache:
        problems.append(f"{label}: signed in, but Cache-Control {sorted(cache)}")
    csp = response.headers.get("Content-Security-Policy")
    if csp is None:
        problems.append(f"{label}: no Content-Security-Policy header")
    elif "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{label}: policy allows unsafe sources: {csp}")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{label}: X-Frame-Options {response.headers.get('X-Frame-Options')}")
    if response.headers.get("Referrer-Policy") != "same-origin":
        problems.append(f"{label}: Referrer-Policy {response.headers.get('Referrer-Policy')}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{label}: no X-Content-Type-Options: nosniff")
    if response.headers.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        for what, pattern in INLINE:
            match = pattern.search(html)
            if match:
                problems.append(f"{label}: {what}: {match.group(0)[:80]}")
    return problems


def test_the_policy_is_the_strict_one():
    response = Client().get(reverse("login"))
    assert directives(response.headers["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_every_page_of_the_project_carries_the_policy_for_every_role():
    """Walks every GET URL of the permission matrix with every role (200, 302, 403, 404)."""
    world = build_world()
    users = world.users_by_role()
    problems = []
    walked = 0
    for name, case in sorted(MATRIX.items()):
        if case.method != "get":
            continue
        for role in ROLES:
            with transaction.atomic():
                if case.prepare:
                    case.prepare(world)
                url = reverse(name, kwargs=case.kwargs(world))
                client = Client()
                if users[role] is not None:
                    client.force_login(users[role])
                response = client.get(url, data=case.data(world))
                problems += check_page(
                    f"{name} as {role} ({response.status_code})",
                    response,
                    signed_in=users[role] is not None,
                    declared_public=name in DECLARED_PUBLIC,
                )
                walked += 1
                transaction.set_rollback(True)
    for name in sorted(PUBLIC):
        problems += check_page(name, Client().get(reverse(name)))
    assert walked > 0
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_error_pages_carry_the_policy(client, world):
    client.force_login(world.coordinator)
    problems = check_page("404", client.get("/tidak-ada/"))
    problems += check_page(
        "403",
        client.get(reverse("programme_roles", kwargs={"unit_code": world.unit.code, "year": 2026})),
    )
    csrf_client = Client(enforce_csrf_checks=True)
    problems += check_page("403 csrf", csrf_client.post(reverse("login"), {}))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_uploaded_files_are_served_sandboxed_and_never_cached_by_others(client, world):
    from tests.permission_matrix import _pakta_evidence

    kwargs = _pakta_evidence(world)
    client.force_login(world.coordinator)
    response = client.get(reverse("evidence_download", kwargs=kwargs))
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "private" in response.headers["Cache-Control"]


PRODUCTION_SCRIPT = r"""
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
from pokja.models import User
User.objects.create_user("waka", password="Zona-Integritas-Prod-1")
host = {"HTTP_HOST": "zi.example.go.id"}
plain = Client().get("/accounts/login/", **host)
client = Client()
page = client.get("/accounts/login/", secure=True, **host)
signed_in = client.post(
    "/accounts/login/",
    {"username": "waka", "password": "Zona-Integritas-Prod-1"},
    secure=True,
    **host,
)
def cookie(response, name):
    c = response.cookies[name]
    return {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
            "samesite": c["samesite"]}
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "headers": dict(page.headers),
    "csrf": cookie(page, "csrftoken"),
    "signed_in": signed_in.status_code,
    "session": cookie(signed_in, "sessionid"),
}))
"""


def test_a_production_process_sends_hsts_and_secure_cookies(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env={
            **clean_environ(),
            **PRODUCTION_ENV,
            "ZI_VAR_DIR": str(tmp_path),
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://zi.example.go.id/accounts/login/"]
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert directives(headers["Content-Security-Policy"]) == EXPECTED_CSP
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert seen["csrf"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["signed_in"] == 302
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}


PERMISSIONS = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
}


def test_the_permissions_policy_refuses_the_powerful_features():
    policy = dict(part.strip().split("=", 1) for part in PERMISSIONS_POLICY.split(","))
    assert PERMISSIONS.items() <= policy.items()
    assert set(policy.values()) == {"()"}  # nothing is allowed, to no origin


@pytest.mark.django_db
def test_signed_in_pages_are_not_kept_and_public_ones_keep_their_caching(client, world):
    from tests.surveys.factories import make_survey

    survey = make_survey(world.programme)
    form = client.get(reverse("survey_public", kwargs={"token": survey.public_token}), follow=True)
    assert form.status_code == 200 and form["Cache-Control"] == "private"  # "back" keeps it
    thanks = client.get(reverse("survey_thanks", kwargs={"token": survey.public_token}))
    assert "no-store" not in thanks.get("Cache-Control", "")
    client.force_login(world.coordinator)
    home = client.get(reverse("home"))
    assert {"private", "no-store"} <= {d.strip() for d in home["Cache-Control"].split(",")}
    icon = client.get(reverse("favicon"))
    assert icon["Cache-Control"] == "public, max-age=86400"
    # Static files are answered by WhiteNoise before this middleware runs (their own caching).
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "zi_tracker.middleware.CacheAndPermissionsPolicyMiddleware"
    )
    client.logout()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_development_does_not_send_hsts():
    assert settings.SECURE_HSTS_SECONDS == 0
    assert "Strict-Transport-Security" not in Client().get(reverse("login")).headers

"""The portal's API under a base path of the operator's choosing (ZI_PORTALRB_BASE_PATH), and
HTTPS required once DJANGO_DEBUG=false: read at start-up, so checked in a process of its own."""

from __future__ import annotations

from tests.project.test_settings import PRODUCTION_ENV, run_django

ROUTES = (
    "from django.urls import reverse, resolve, Resolver404; "
    "print(reverse('portalrb_unit_wbk'), reverse('portalrb_unit_answers', args=['POLRES-A']), "
    "reverse('portalrb_openapi')); "
    "from django.conf import settings as s; print(s.ZI_PORTALRB_REQUIRE_HTTPS); "
    "\ntry:\n    resolve('/api/portalrb/pengusulan/unit-wbk'); print('default-still-served')"
    "\nexcept Resolver404:\n    print('default-not-served')"
)


def test_the_api_is_served_under_the_configured_base_path():
    result = run_django(ROUTES, ZI_PORTALRB_BASE_PATH="/integrasi/zi/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "/integrasi/zi/pengusulan/unit-wbk",
        "/integrasi/zi/lke/jawaban-unit/POLRES-A",
        "/integrasi/zi/",
        "False",  # development: plain HTTP allowed
        "default-not-served",
    ]


def test_https_is_required_with_debug_off():
    result = run_django(ROUTES, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[3] == "True"


def test_a_base_path_that_is_not_a_path_stops_start_up_naming_the_variable():
    result = run_django("pass", ZI_PORTALRB_BASE_PATH="api/portalrb")
    assert result.returncode != 0
    assert "ZI_PORTALRB_BASE_PATH" in result.stderr

"""With DJANGO_DEBUG=true (the default, `make run`), only the developer's own machine sees
Django's debug pages; a request from the network gets the real 404, 400 and 500 pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.error_urls")]

LAN = "192.168.1.20"
DEBUG_MARKS = ("DEBUG = True", "Traceback", "URLconf", "hunter2", "ALLOWED_HOSTS", "SECRET_KEY")


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def client(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, raise_request_exception=False, **extra)


def shows_debug(response) -> bool:
    html = response.content.decode()
    return any(mark in html for mark in DEBUG_MARKS)


def test_a_missing_page_is_the_real_404_for_the_network(world):
    response = client(LAN).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert not shows_debug(response)
    assert response["X-Frame-Options"] == "DENY"


def test_a_404_a_view_raises_is_the_real_one_for_the_network(world):
    visitor = client(LAN)
    visitor.force_login(world.coordinator)
    response = visitor.get(reverse("programme_detail", kwargs={"unit_code": "NOPE", "year": 2026}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and not shows_debug(response)


def test_a_server_error_is_the_real_500_for_the_network(world):
    response = client(LAN).get("/test-fails/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert not shows_debug(response) and "RuntimeError" not in response.content.decode()
    text = client(LAN, HTTP_ACCEPT="text/plain").get("/test-fails/")
    assert text.content.decode() == "Server error (500)"


def test_bad_requests_are_the_real_400_for_the_network(world):
    for response in (
        client(LAN).get("/test-suspicious/"),
        client(LAN, HTTP_HOST="evil.example").get("/"),  # a host ALLOWED_HOSTS refuses
    ):
        assert response.status_code == 400
        html = response.content.decode()
        assert "The request could not be understood" in html
        assert not shows_debug(response) and "DisallowedHost" not in html


def test_the_developers_own_machine_keeps_the_debug_pages(world):
    for address in ("127.0.0.1", "::1"):
        assert shows_debug(client(address).get("/tidak-ada/"))
        assert "hunter2" in client(address).get("/test-fails/").content.decode()
        refused_host = client(address, HTTP_HOST="evil.example").get("/")
        assert "DisallowedHost" in refused_host.content.decode()


def test_adding_the_slash_still_redirects_for_the_network(world):
    response = client(LAN).get("/accounts/login")
    assert response.status_code == 301 and response["Location"] == "/accounts/login/"


def test_without_debug_everyone_gets_the_real_pages(world, settings):
    settings.DEBUG = False
    for address in ("127.0.0.1", LAN):
        assert not shows_debug(client(address).get("/tidak-ada/"))
        assert not shows_debug(client(address).get("/test-fails/"))

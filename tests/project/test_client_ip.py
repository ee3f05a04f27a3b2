from django.test import RequestFactory

from zi_tracker.http import client_ip


def test_without_trusted_proxies_the_socket_address_counts(settings):
    settings.ZI_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.9"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.ZI_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"  # the spoofed first entry is ignored


def test_garbage_is_not_an_address(settings):
    settings.ZI_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == "10.0.0.1"
    request.META.pop("REMOTE_ADDR")
    settings.ZI_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) is None

"""Walk every URL pattern with every role and check the status (see permission_matrix)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import build_world
from tests.permission_matrix import EXEMPT, EXEMPT_PREFIXES, MATRIX, PUBLIC, ROLES


def _named_patterns(resolver=None, namespace="") -> set[str]:
    names = set()
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_an_entry_in_the_matrix():
    names = {n for n in _named_patterns() if not n.startswith(EXEMPT_PREFIXES)}
    missing = sorted(names - set(MATRIX) - PUBLIC - EXEMPT)
    assert not missing, f"URL patterns without an entry in tests/permission_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_role_as_expected(name):
    world = build_world()
    case = MATRIX[name]
    users = world.users_by_role()
    failures = []
    for role in ROLES:
        with transaction.atomic():
            url = reverse(name, kwargs=case.kwargs(world))
            client = Client()
            if users[role] is not None:
                client.force_login(users[role])
            response = getattr(client, case.method)(url, data=case.data(world))
            expected = case.expect[role]
            if response.status_code != expected:
                failures.append(f"{role}: {response.status_code} (expected {expected})")
            transaction.set_rollback(True)
    assert not failures, f"{name}: " + "; ".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_everyone(name):
    response = Client().get(reverse(name))
    assert response.status_code == 200

"""Walk every URL pattern with every role and check the status (see permission_matrix);
then change the ids in every object URL to another programme's (IDOR)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import build_world
from tests.permission_matrix import (
    EXEMPT,
    EXEMPT_PREFIXES,
    MATRIX,
    PROGRAMME_LOCAL_IDS,
    PUBLIC,
    ROLES,
    SCOPE_KEYS,
    mirror_world,
)


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


def _pattern_params(resolver=None, namespace="", inherited=frozenset()) -> dict[str, frozenset]:
    """URL name -> the names of its parameters (including those of enclosing includes)."""
    params = {}
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        own = inherited | frozenset(getattr(pattern.pattern, "converters", {}) or {})
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            params.update(_pattern_params(pattern, inner, own))
        elif isinstance(pattern, URLPattern) and pattern.name:
            params[f"{namespace}{pattern.name}"] = own
    return params


PARAMS = {name: params for name, params in _pattern_params().items() if name in MATRIX}
OBJECT_URLS = sorted(
    name
    for name, params in PARAMS.items()
    if params & SCOPE_KEYS and params - SCOPE_KEYS and name not in PROGRAMME_LOCAL_IDS
)
URLS_WITH_PARAMS = sorted(name for name, params in PARAMS.items() if params)


def _answer(case, kwargs: dict, data: dict, user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return getattr(client, case.method)(reverse(case_name(case), kwargs=kwargs), data=data)


def case_name(case) -> str:
    return next(name for name, c in MATRIX.items() if c is case)


def _foreign_variants(own: dict, theirs: dict) -> list[dict]:
    """This programme's URL with the other programme's ids: each alone, then all together."""
    keys = sorted(set(own) - SCOPE_KEYS)
    variants = [{**own, key: theirs[key]} for key in keys if theirs[key] != own[key]]
    together = {**own, **{key: theirs[key] for key in keys}}
    if len(keys) > 1 and together != own:
        variants.append(together)
    return variants


@pytest.mark.django_db
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_programmes_ids_in_this_programmes_url_are_refused(name):
    """404 for everyone signed in; 403 stays 403 where the role is refused before any object
    is looked at (the answer is then the same whatever the id, so it reveals nothing)."""
    world = build_world()
    mirror = mirror_world(world)
    case = MATRIX[name]
    users = world.users_by_role()
    failures = []
    tried = 0
    for role in ROLES:
        with transaction.atomic():
            if case.prepare:
                case.prepare(world)
                case.prepare(mirror)
            own = case.kwargs(world)
            theirs = (case.foreign or case.kwargs)(mirror)
            variants = _foreign_variants(own, theirs)
            assert variants, (
                f"{name}: the mirror world gave the same ids; if they are numbered within "
                "the programme, list the URL in PROGRAMME_LOCAL_IDS"
            )
            allowed = {302} if role == "anonymous" else {404}
            if case.expect[role] == 403:
                allowed.add(403)
            for kwargs in variants:
                response = _answer(case, kwargs, case.data(world), users[role])
                tried += 1
                if response.status_code not in allowed:
                    changed = {k: v for k, v in kwargs.items() if own.get(k) != v}
                    failures.append(
                        f"{role} with {changed}: {response.status_code} (expected {allowed})"
                    )
            transaction.set_rollback(True)
    assert tried
    assert not failures, f"{name}: " + "; ".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", URLS_WITH_PARAMS)
def test_the_other_programmes_urls_are_refused_to_this_worlds_people(name):
    """The other programme's own URLs: 404 for this world's people, except its coordinator
    (this world's outsider) and site administrators, who get what their role gets here.
    Pages that answer everyone alike (a survey's public link) answer alike there too."""
    world = build_world()
    mirror = mirror_world(world)
    case = MATRIX[name]
    users = world.users_by_role()
    public = len(set(case.expect.values())) == 1
    failures = []
    for role in ROLES:
        with transaction.atomic():
            if case.prepare:
                case.prepare(mirror)
            kwargs = (case.foreign or case.kwargs)(mirror)
            expected = {"anonymous": 302, "outsider": case.expect["koordinator"]}.get(
                role, case.expect[role] if role == "site_admin" else 404
            )
            if public:
                expected = case.expect[role]
            response = _answer(case, kwargs, case.data(mirror), users[role])
            if response.status_code != expected:
                failures.append(f"{role}: {response.status_code} (expected {expected})")
            transaction.set_rollback(True)
    assert not failures, f"{name}: " + "; ".join(failures)

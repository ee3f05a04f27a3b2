"""Random data posted to every form of the project never makes a page fail (no 500).

The forms are found, not listed: every GET page of the permission matrix a site
administrator opens (and the public pages, signed out) is fetched, its <form>s parsed, and
hypothesis fills their fields with values of the right shape and the wrong one: the form's
own choices, empty values, odd text (control characters, NUL, very long, HTML), huge and
negative numbers, malformed dates and files, and fields left out. Pages added later are
walked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import build_world
from tests.permission_matrix import MATRIX, PUBLIC

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 25
# Forms that end the session under test rather than process data.
SKIPPED_ACTIONS = {"logout"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    values: list[str] = field(default_factory=list)  # options, or the current value


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.action} (on {self.page}): {sorted(self.fields)}"


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = Form(self.page, action, (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.values.append(a.get("value", ""))
            return
        name = a["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            existing = self._form.fields.setdefault(name, Field(name, kind))
            if a.get("value") is not None:
                existing.values.append(a["value"])
        elif tag == "textarea":
            self._form.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select":
            self._select = self._form.fields.setdefault(name, Field(name, "select"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


LONG_TEXT = st.integers(min_value=300, max_value=6000).map(lambda n: "x" * n)
ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202e\ufeff",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '=HYPERLINK("x")',
        "\U0001f600" * 50,
        "../../etc/passwd",
        "2026-02-30",
        "31/12/2026",
        "9999-99-99",
        "-1",
        "0",
        "1e309",
        "NaN",
        "99999999999999999999999999",
        "on",
        "true",
    ]
)
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(
        ["x.pdf", "../x.pdf", "x.exe", "x", 'a b;c".pdf', "a" * 300 + ".png", "x.xlsx"]
    ),
    st.one_of(
        st.binary(max_size=2048),
        st.sampled_from([b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n"]),
    ),
)


def value_strategy(f: Field):
    own = st.sampled_from(f.values) if f.values else st.just("")
    if f.kind == "file":
        return FILES
    text = st.text(max_size=80)
    return st.one_of(own, own, text, ODD_TEXT, LONG_TEXT, NUMBERS)


def data_strategy(form: Form):
    entries = {
        name: st.one_of(st.none(), value_strategy(f)) for name, f in sorted(form.fields.items())
    }
    return st.fixed_dictionaries(entries).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


def _url_name(form: Form) -> str:
    try:
        return resolve(urlsplit(form.action).path).url_name or form.action
    except Resolver404:
        return form.action


def _discover(world) -> list[tuple[Form, object]]:
    """Each form of the project, with the user who saw it (None: signed out)."""
    found = []
    admin = Client()
    admin.force_login(world.site_admin)
    for name, case in sorted(MATRIX.items()):
        if case.method != "get" or case.expect["site_admin"] != 200:
            continue
        if case.prepare:
            case.prepare(world)
        page = reverse(name, kwargs=case.kwargs(world))
        response = admin.get(page)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            found += [
                (form, world.site_admin) for form in forms_on(page, response.content.decode())
            ]
    for name in sorted(PUBLIC):
        page = reverse(name)
        response = Client().get(page)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            found += [(form, None) for form in forms_on(page, response.content.decode())]
    # One of each kind: the remove buttons of twenty roles are one form.
    unique = {}
    for form, user in found:
        name = _url_name(form)
        if name not in SKIPPED_ACTIONS:
            unique.setdefault((form.method, name, tuple(sorted(form.fields))), (form, user))
    return list(unique.values())


def _fuzzer(form: Form, user):
    signed_in = Client()
    if user is not None:
        signed_in.force_login(user)  # one session, reused by each example's own client

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=data_strategy(form))
    def post_random_data(data):
        client = Client()
        client.cookies = signed_in.cookies.copy()
        with transaction.atomic():
            send = client.post if form.method == "post" else client.get
            response = send(form.action, data=data)
            assert response.status_code < 500, f"{form.label} with {data!r}"
            transaction.set_rollback(True)

    return post_random_data


def test_random_data_posted_to_every_form_never_fails_the_page():
    world = build_world()
    forms = _discover(world)
    assert len(forms) >= 12, [f.label for f, _ in forms]
    for form, user in forms:
        _fuzzer(form, user)()


def test_the_parser_finds_fields_options_and_actions():
    html = """
    <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="a" value="1"><select name="b"><option value="">-</option>
      <option value="k">K</option></select><textarea name="c"></textarea>
      <input type="file" name="d"><input type="radio" name="e" value="1">
      <input type="radio" name="e" value="2"></form>
    <form><input name="q"></form>
    """
    first, second = forms_on("/page/", html)
    assert (first.method, first.action) == ("post", "/x/")
    assert {n: (f.kind, f.values) for n, f in first.fields.items()} == {
        "a": ("text", ["1"]),
        "b": ("select", ["", "k"]),
        "c": ("textarea", []),
        "d": ("file", []),
        "e": ("radio", ["1", "2"]),
    }
    assert (second.method, second.action, list(second.fields)) == ("get", "/page/", ["q"])


def test_a_next_address_that_is_not_a_path_falls_back_to_the_page(client):
    # Found by the fuzz above: redirect() took "xxx" for the name of a URL pattern (a 500).
    from tests.permission_matrix import MATRIX

    world = build_world()
    case = MATRIX["plan_item_status"]
    client.force_login(world.ketua1)
    url = reverse("plan_item_status", kwargs=case.kwargs(world))
    for bad in ("xxx", "home", "//evil.example/x", "https://evil.example/"):
        response = client.post(url, {**case.data(world), "next": bad})
        assert response.status_code == 302
        assert response["Location"].startswith("/programmes/"), response["Location"]


def test_ids_beyond_the_integer_range_are_invalid_choices_not_a_500(client):
    # Found by the fuzz above on SQLite: an IN query with 2**63 raised OverflowError.
    from tests.permission_matrix import MATRIX

    world = build_world()
    case = MATRIX["plan_item_create"]
    client.force_login(world.ketua1)
    url = reverse("plan_item_create", kwargs=case.kwargs(world))
    for name in ("questions", "owners"):
        response = client.post(url, {name: str(2**63)})
        assert response.status_code == 200
        assert name in response.context["form"].errors

"""Hostile data sent to every form and every GET parameter never makes a page fail (no 500).

The forms and parameters are found, not listed: every GET page of the permission matrix a
site administrator opens (and the public pages, signed out) is fetched, its <form>s parsed,
and the GET parameters its view reads are recorded. Each form then gets its own values, and
each class of hostile value (empty, NUL and markup, formulas, astral characters, impossible
and out-of-range dates, year 0 and 10000, negative and huge numbers, very long text, a
megabyte, odd files) in every field at once and in its typed fields alone, fields left out
and repeated; each parameter gets the same classes, and repeated. Pages added later are
walked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.factories import build_world
from tests.permission_matrix import MATRIX, PUBLIC

pytestmark = pytest.mark.django_db

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


# Classes of hostile value, by the kind of field they are meant for. A form gets one request
# per class, every field taking a class of its own kind at once (a date field the next odd
# date while a number field takes the next odd number), so every field meets every class of
# its kind in a handful of requests instead of random combinations; the typed fields meet
# their classes with the other fields valid, so that the text reaches the services.
NUL_AND_MARKUP = "a\x00b\u202e\ufeff<script>alert(1)</script>' OR 1=1 --\U0001f600"
TYPED_KINDS = {"text", "textarea", "search", "email", "url", "tel", "password"}
TEXT_ALONE = {
    "nul, markup and astral characters": NUL_AND_MARKUP,
    "a formula": '=HYPERLINK("x")',
    "long text": "x" * 6000,
    "a megabyte": "x" * 1_000_000,
}
BY_KIND = {
    "date": ["2026-02-30", "9999-12-31", "0001-01-01", "0000-01-01", "10000-01-01"],
    "number": ["-1", "99999999999999999999999999", str(2**63), "NaN", "1e309"],
    "choice": ["", str(2**63), "-1", "zzz", "99999999999999999999999999"],
    # Typed and hidden fields hold ids, dates and numbers too.
    "text": ["", " ", "../../etc/passwd", "9999-12-31", "99999999999999999999999999"],
}
CHOICE_KINDS = {"select", "radio", "checkbox"}
FILES = [
    ("x.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("../x.pdf", b"PK\x03\x04"),
    ("x.exe", b"MZ\x90\x00"),
    ("x", b""),
    ('a b;c".pdf', b"\x89PNG\r\n\x1a\n"),
    ("a" * 300 + ".png", b"\x00" * 2048),
    ("x.xlsx", b"PK\x03\x04not a workbook"),
]


def _every_class() -> dict[str, str]:
    """Each distinct hostile value once, for the GET parameters, whatever they are (an
    address of a megabyte is refused by any server before the application)."""
    values = [*TEXT_ALONE.values(), *(v for kind in BY_KIND.values() for v in kind)]
    return {repr(v[:30]): v for v in dict.fromkeys(values) if len(v) < 10_000}


HOSTILE = _every_class()


def _kind(f: Field) -> str:
    if f.kind in CHOICE_KINDS:
        return "choice"
    if f.kind in ("date", "datetime-local", "month"):
        return "date"
    if f.kind in ("number", "range"):
        return "number"
    return "text"


def _own(f: Field) -> str:
    """A value the page itself offers (an option, the current value), else empty."""
    return next((v for v in f.values if v), f.values[0] if f.values else "")


def _file(index: int) -> SimpleUploadedFile:
    name, content = FILES[index % len(FILES)]
    return SimpleUploadedFile(name, content)


def requests_for(form: Form) -> list[tuple[str, dict]]:
    """(what is tried, data) for one form: its own values, fields left out, every field
    repeated (the last value hostile), each hostile class of its kind in every field, and the
    hostile texts in the typed fields alone."""
    fields = sorted(form.fields.items())

    def own(f):
        return _file(0) if f.kind == "file" else _own(f)

    tried = [
        ("own values", {n: own(f) for n, f in fields}),
        ("fields left out", {}),
        (
            "every field repeated, the last value hostile",
            {
                n: [_file(1), _file(2)] if f.kind == "file" else [_own(f), NUL_AND_MARKUP]
                for n, f in fields
            },
        ),
    ]
    rounds = max([len(BY_KIND[_kind(f)]) for _n, f in fields] + [0])
    if any(f.kind == "file" for _n, f in fields):
        rounds = max(rounds, len(FILES) - 2)
    for r in range(rounds):
        data = {}
        for n, f in fields:
            if f.kind == "file":
                data[n] = _file(r + 3)
            else:
                values = BY_KIND[_kind(f)]
                data[n] = values[r % len(values)]
        tried.append((f"hostile values, round {r + 1}", data))
    if any(f.kind in TYPED_KINDS for _n, f in fields):
        for label, value in TEXT_ALONE.items():
            tried.append(
                (
                    f"{label} in the typed fields",
                    {n: value if f.kind in TYPED_KINDS else own(f) for n, f in fields},
                )
            )
    return tried


class RecordingQueryDict(QueryDict):
    """request.GET that notes the parameters a view reads ("*": it walks all of them)."""

    reads: set[str] | None = None

    def _note(self, key):
        if RecordingQueryDict.reads is not None:
            RecordingQueryDict.reads.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def items(self):
        self._note("*")
        return super().items()

    def keys(self):
        self._note("*")
        return super().keys()

    def lists(self):
        self._note("*")
        return super().lists()

    def _unread(self, method, *args):
        # Copying or re-encoding the address (page links) reads no parameter.
        reads, RecordingQueryDict.reads = RecordingQueryDict.reads, None
        try:
            return method(*args)
        finally:
            RecordingQueryDict.reads = reads

    def __deepcopy__(self, memo):
        return self._unread(super().__deepcopy__, memo)

    def urlencode(self, safe=None):
        return self._unread(super().urlencode, safe)


@dataclass
class QueryPage:
    """A page that reads GET parameters, with the user who opens it (None: signed out)."""

    url_name: str
    url: str
    user: object
    parameters: set[str]

    @property
    def label(self) -> str:
        return f"GET {self.url} ({self.url_name}): {sorted(self.parameters)}"


# A page that walks every parameter (the what-if's q<number>) gets these names.
ANY_PARAMETER = ("q1", "q125", "q999999", "page", "x")


def query_requests(page: QueryPage) -> list[tuple[str, dict]]:
    names = sorted(
        (page.parameters - {"*"}) | (set(ANY_PARAMETER) if "*" in page.parameters else set())
    )
    tried = [(label, dict.fromkeys(names, value)) for label, value in HOSTILE.items()]
    tried.append(("every parameter repeated", {n: ["1", NUL_AND_MARKUP, "x" * 300] for n in names}))
    return tried


def _url_name(form: Form) -> str:
    try:
        return resolve(urlsplit(form.action).path).url_name or form.action
    except Resolver404:
        return form.action


@dataclass
class Found:
    forms: list[tuple[Form, object]]
    query_pages: list[QueryPage]


def _open(client, page: str, user, url_name: str, found: list, pages: list):
    RecordingQueryDict.reads = set()
    try:
        response = client.get(page)
    finally:
        reads, RecordingQueryDict.reads = RecordingQueryDict.reads, None
    if reads:
        pages.append(QueryPage(url_name, page, user, reads))
    if response.headers.get("Content-Type", "").startswith("text/html"):
        found += [(form, user) for form in forms_on(page, response.content.decode())]


def _discover(world, monkeypatch) -> Found:
    """Each form of the project, and each page reading GET parameters, with the user who saw
    it (None: signed out)."""
    import django.core.handlers.wsgi

    monkeypatch.setattr(django.core.handlers.wsgi, "QueryDict", RecordingQueryDict)
    found, pages = [], []
    admin = Client()
    admin.force_login(world.site_admin)
    for name, case in sorted(MATRIX.items()):
        if case.method != "get" or case.expect["site_admin"] >= 400:
            continue
        if case.prepare:
            case.prepare(world)
        _open(admin, reverse(name, kwargs=case.kwargs(world)), world.site_admin, name, found, pages)
    for name in sorted(PUBLIC):
        _open(Client(), reverse(name), None, name, found, pages)
    # One of each kind: the remove buttons of twenty roles are one form.
    unique = {}
    for form, user in found:
        name = _url_name(form)
        if name not in SKIPPED_ACTIONS:
            unique.setdefault((form.method, name, tuple(sorted(form.fields))), (form, user))
    return Found(list(unique.values()), pages)


def _send(client, method: str, url: str, tried: list[tuple[str, dict]], label: str):
    send = client.post if method == "post" else client.get
    signed_in = client.cookies.copy()
    for what, data in tried:
        client.cookies = signed_in.copy()  # a request that signs out or rotates ends there
        with transaction.atomic():
            response = send(url, data=data)
            assert response.status_code < 500, f"{label}, {what}: {data!r:.300}"
            transaction.set_rollback(True)


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# What the walk must find, at least: if it stops finding these, it walks nothing useful.
EXPECTED_FORMS = {
    ("post", "plan_item_create"),
    ("post", "finding_create"),
    ("post", "agent_change_create"),
    ("post", "survey_create"),
    ("post", "lke_what_if"),
    ("post", "unit_person_create"),
    ("post", "login"),
    ("get", "audit_trail"),
    ("get", "units_overview"),
    ("get", "findings"),
    ("get", "unit_people"),
}
EXPECTED_PARAMETERS = {
    "audit_trail": {"text", "actor", "object_type", "action", "date_from", "date_to", "page"},
    "units_overview": {"q", "unit", "year", "target", "meets", "late", "sort"},
    "findings": {"status"},
    "pokja_plan": {"status", "owner", "late", "sub_area", "page"},
    "unit_people": {"q", "status", "page"},
    "survey_create": {"instrument"},
    "lke_overview": {"layer", "*"},
    "survey_public": {"f"},
}


def test_hostile_data_sent_to_every_form_and_parameter_never_fails_the_page(monkeypatch):
    world = build_world()
    found = _discover(world, monkeypatch)
    monkeypatch.undo()
    kinds = {(form.method, _url_name(form)) for form, _user in found.forms}
    assert kinds >= EXPECTED_FORMS, sorted(EXPECTED_FORMS - kinds)
    read = {page.url_name: page.parameters for page in found.query_pages}
    for name, parameters in EXPECTED_PARAMETERS.items():
        assert parameters <= read.get(name, set()), (name, read.get(name))
    # Every form the views bind to the address is read by a page the walk opens.
    from tests.security.test_text_bounds import project_forms
    from zi_tracker.forms import QueryForm

    for form_class in project_forms():
        if issubclass(form_class, QueryForm):
            fields = set(form_class.base_fields)
            assert any(fields <= p for p in read.values()), form_class.__name__

    clients: dict[object, Client] = {}
    for form, user in found.forms:
        client = clients.setdefault(user, _client_for(user))
        _send(client, form.method, form.action, requests_for(form), form.label)
    for page in found.query_pages:
        client = clients.setdefault(page.user, _client_for(page.user))
        _send(client, "get", page.url, query_requests(page), page.label)


def test_each_field_meets_every_hostile_class_of_its_kind():
    form = Form("/p/", "/p/", "post")
    form.fields = {
        "title": Field("title", "text"),
        "kind": Field("kind", "select", ["", "a"]),
        "day": Field("day", "date"),
        "count": Field("count", "number"),
        "file": Field("file", "file"),
    }
    tried = requests_for(form)
    seen = {name: [data.get(name) for _label, data in tried] for name in form.fields}
    for name, kind in (("title", "text"), ("kind", "choice"), ("day", "date"), ("count", "number")):
        assert all(value in seen[name] for value in BY_KIND[kind]), name
        assert [_own(form.fields[name]), NUL_AND_MARKUP] in seen[name], name
    sent = [f for v in seen["file"] if v for f in (v if isinstance(v, list) else [v])]
    assert len({(f.name, f.size) for f in sent}) == len(FILES)
    alone = dict(tried)
    for label, value in TEXT_ALONE.items():
        data = alone[f"{label} in the typed fields"]
        assert (data["title"], data["kind"]) == (value, "a")
    assert alone["fields left out"] == {}
    assert len(tried) <= 3 + 5 + len(TEXT_ALONE)


def test_the_recorder_notes_the_parameters_a_view_reads():
    RecordingQueryDict.reads = set()
    try:
        query = RecordingQueryDict("a=1&b=2")
        RecordingQueryDict.reads = set()  # what building it touched
        query.get("a")
        assert "c" not in query
        query.getlist("d")
        query.copy().urlencode()
        assert RecordingQueryDict.reads == {"a", "c", "d"}
        dict(query.items())
        assert "*" in RecordingQueryDict.reads
    finally:
        RecordingQueryDict.reads = None


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

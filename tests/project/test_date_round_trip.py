"""Every date a form shows comes back unchanged when the form is saved untouched, in both
languages.

The forms are found, not listed: every Form class of the project's apps is walked, and one
with a date or datetime field must have a case below (a new form with a date fails here until
it has one). Each case opens the form's page as a browser would, reads the form (a date input
whose value a browser cannot read is empty to it, exactly as Chromium treats it), submits what
it read, and compares every stored value with what was there before.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django import forms
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from figures.date_fields import DateField, DateInput, DateTimeField, DateTimeInput
from tests.factories import World, make_plan_item
from tests.permission_matrix import programme_kwargs

pytestmark = pytest.mark.django_db

PROJECT_APPS = (
    "figures",
    "audit",
    "pokja",
    "evaluations",
    "surveys",
    "dashboards",
    "notifications",
    "reports",
)
LANGUAGES = ("id", "en")

# What a browser keeps of an <input>'s value attribute (the HTML value sanitization
# algorithm): anything else is the empty string, and the field shows empty.
VALID_VALUE = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
}


def project_form_classes() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    found, queue = [], [forms.BaseForm]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def date_fields_of(cls) -> dict[str, forms.Field]:
    return {
        name: f
        for name, f in cls.base_fields.items()
        if isinstance(f, forms.DateField | forms.DateTimeField)
    }


def dotted(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# --------------------------------------------------------------------------- a browser's view


@dataclass
class ParsedForm:
    action: str
    method: str
    names: set[str]
    data: list[tuple[str, str]]
    date_values: dict[str, str]  # the value attribute of each date/datetime input, as sent


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._select: tuple[str, list[tuple[str, bool]], bool, bool] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = ParsedForm(
                a.get("action") or self.page, (a.get("method") or "get").lower(), set(), [], {}
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))
            return
        name = a.get("name")
        if not name:
            return
        self._form.names.add(name)
        disabled = "disabled" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            value = a.get("value") or ""
            if kind in VALID_VALUE:
                self._form.date_values[name] = value
                if not VALID_VALUE[kind].fullmatch(value):
                    value = ""
            if disabled or kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.data.append((name, a.get("value", "on")))
                return
            self._form.data.append((name, value))
        elif tag == "select":
            self._select = (name, [], "multiple" in a, disabled)
        elif tag == "textarea" and not disabled:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, multiple, disabled = self._select
            if not disabled:
                chosen = [v for v, selected in options if selected]
                if not chosen and options and not multiple:
                    chosen = [options[0][0]]
                self._form.data.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # A browser drops the newline that follows <textarea>.
            self._form.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_holding(html: str, page: str, names: set[str]) -> ParsedForm:
    parser = _Parser(page)
    parser.feed(html)
    for form in parser.forms:
        if names <= form.names:
            return form
    raise AssertionError(f"no form on {page} has the fields {sorted(names)}")


def browser(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def as_post(data: list[tuple[str, str]]) -> dict[str, list[str]]:
    posted: dict[str, list[str]] = {}
    for name, value in data:
        posted.setdefault(name, []).append(value)
    return posted


# --------------------------------------------------------------------------- the cases

# Stored on saving whatever was sent: leave them out of the comparison.
TOUCHED_BY_EVERY_SAVE = {"updated_at", "recorded_at"}


@dataclass
class EditCase:
    """A page that edits a stored object: saved untouched, nothing stored changes."""

    user: Callable[[World], object]
    page: Callable[[World], tuple[str, object]]  # (page URL, the object it edits)
    fields: tuple[str, ...]


def _programme_settings(world: World):
    from pokja.models import Programme

    Programme.objects.filter(pk=world.programme.pk).update(
        pencanangan_date=datetime.date(2018, 3, 21)
    )
    return reverse("programme_settings", kwargs=programme_kwargs(world)), world.programme


def _plan_item(world: World):
    item = make_plan_item(
        world.programme,
        1,
        actor=world.ketua1,
        start_date=datetime.date(2026, 2, 13),
        due_date=datetime.date(2026, 11, 27),
    )
    kwargs = {**programme_kwargs(world), "number": 1, "item_id": item.pk}
    return reverse("plan_item_edit", kwargs=kwargs), item


def _finding(world: World):
    from pokja.services import finding_create

    finding = finding_create(
        actor=world.coordinator,
        programme=world.programme,
        source="apip",
        report_date=datetime.date(2026, 3, 14),
        title="Kas kecil tanpa bukti",
        recommendation="Lengkapi bukti pertanggungjawaban",
        follow_up_status="sesuai",
        follow_up="Bukti dilengkapi",
        follow_up_due=datetime.date(2026, 5, 29),
        settled_on=datetime.date(2026, 4, 17),
    )
    kwargs = {**programme_kwargs(world), "finding_id": finding.pk}
    return reverse("finding_detail", kwargs=kwargs), finding


def _agent(world: World):
    from pokja.services import change_agent_create

    agent = change_agent_create(
        actor=world.ketua1,
        programme=world.programme,
        name="Bripka Siregar",
        appointed_on=datetime.date(2025, 12, 19),
    )
    kwargs = {**programme_kwargs(world), "agent_id": agent.pk}
    return reverse("change_agent_edit", kwargs=kwargs), agent


def _agent_change(world: World):
    from pokja.services import change_agent_change_create, change_agent_create

    agent = change_agent_create(actor=world.ketua1, programme=world.programme, name="Siregar")
    change = change_agent_change_create(
        actor=world.ketua1, agent=agent, title="Antrean daring", made_on=datetime.date(2026, 4, 23)
    )
    kwargs = {**programme_kwargs(world), "agent_id": agent.pk, "change_id": change.pk}
    return reverse("agent_change_edit", kwargs=kwargs), change


def _survey(world: World):
    from tests.surveys.factories import make_survey

    survey = make_survey(
        world.programme, start=datetime.date(2026, 1, 13), end=datetime.date(2026, 12, 30)
    )
    kwargs = {**programme_kwargs(world), "survey_id": survey.pk}
    return reverse("survey_edit", kwargs=kwargs), survey


EDIT_CASES: dict[str, EditCase] = {
    "pokja.forms.ProgrammeSettingsForm": EditCase(
        lambda w: w.coordinator, _programme_settings, ("pencanangan_date",)
    ),
    "pokja.forms.PlanItemForm": EditCase(
        lambda w: w.ketua1, _plan_item, ("start_date", "due_date")
    ),
    "pokja.forms.FindingForm": EditCase(
        lambda w: w.coordinator, _finding, ("report_date", "follow_up_due", "settled_on")
    ),
    "pokja.forms.ChangeAgentForm": EditCase(lambda w: w.ketua1, _agent, ("appointed_on",)),
    "pokja.forms.ChangeAgentChangeForm": EditCase(lambda w: w.ketua1, _agent_change, ("made_on",)),
    "surveys.forms.SurveyForm": EditCase(
        lambda w: w.coordinator, _survey, ("start_date", "end_date")
    ),
}
# Forms that create (no stored date to keep) or filter (nothing stored): their own tests below.
OTHER_CASES = {
    "pokja.forms.ProgrammeCreateForm": "test_programme_create_stores_the_date_as_typed",
    "pokja.forms.AuditFilterForm": "test_audit_filter_keeps_its_dates",
}


def test_every_form_with_a_date_has_a_round_trip_case():
    with_dates = [dotted(c) for c in project_form_classes() if date_fields_of(c)]
    assert with_dates, "the walk found no form with a date: it is broken"
    missing = sorted(set(with_dates) - set(EDIT_CASES) - set(OTHER_CASES))
    assert not missing, f"forms with dates and no round-trip case: {missing}"
    stale = sorted((set(EDIT_CASES) | set(OTHER_CASES)) - set(with_dates))
    assert not stale, f"cases for forms that no longer have dates: {stale}"


def test_every_date_field_is_the_shared_one():
    """One date field and one datetime field for the whole application (ISO values, ranges)."""
    wrong = []
    for cls in project_form_classes():
        for name, f in date_fields_of(cls).items():
            if isinstance(f, forms.DateTimeField):
                ok = isinstance(f, DateTimeField) and isinstance(f.widget, DateTimeInput)
            else:
                ok = isinstance(f, DateField) and isinstance(f.widget, DateInput)
            if not ok:
                wrong.append(f"{dotted(cls)}.{name}: {type(f).__name__}/{type(f.widget).__name__}")
    assert not wrong, wrong


def _stored(obj) -> dict:
    fresh = type(obj).objects.get(pk=obj.pk)
    values = model_to_dict(fresh)
    for field in fresh._meta.concrete_fields:
        values[field.attname] = getattr(fresh, field.attname)
    return {k: v for k, v in values.items() if k not in TOUCHED_BY_EVERY_SAVE}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_name", sorted(EDIT_CASES))
def test_saving_a_form_untouched_changes_nothing(world, form_name, language):
    case = EDIT_CASES[form_name]
    page, obj = case.page(world)
    before = _stored(obj)
    assert all(before[f] is not None for f in case.fields), "the case must store every date"
    client = browser(case.user(world), language)
    response = client.get(page)
    assert response.status_code == 200
    form = form_holding(response.content.decode(), page, set(case.fields))
    for name in case.fields:
        assert form.date_values[name] == before[name].isoformat(), (
            f"{form_name}.{name} in {language}: a browser cannot read "
            f"value={form.date_values[name]!r}"
        )
    assert form.method == "post"
    response = client.post(form.action, as_post(form.data))
    errors = getattr(response, "context", None) and response.context.get("form")
    assert response.status_code == 302, (
        f"{form_name} in {language} refused an untouched save: "
        f"{errors.errors.as_data() if errors else response.status_code}"
    )
    assert _stored(obj) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_create_stores_the_date_as_typed(world, language):
    from pokja.models import Programme

    page = reverse("programme_create")
    client = browser(world.unit_admin, language)
    response = client.get(page)
    form = form_holding(response.content.decode(), page, {"pencanangan_date", "year"})
    data = as_post(form.data)
    data.update(
        unit=[str(world.unit.pk)],
        year=["2027"],
        framework=[str(world.programme.framework_id)],
        target=["WBK"],
        pencanangan_date=["2026-03-21"],  # what a browser sends, in either language
    )
    response = client.post(form.action, data)
    assert response.status_code == 302, response.context["form"].errors.as_data()
    created = Programme.objects.get(unit=world.unit, year=2027)
    assert created.pencanangan_date == datetime.date(2026, 3, 21)
    response = browser(world.unit_admin, language).get(
        reverse("programme_settings", kwargs=created.url_kwargs())
    )
    assert 'value="2026-03-21"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_audit_filter_keeps_its_dates(world, language):
    page = reverse("audit_trail", kwargs=programme_kwargs(world))
    client = browser(world.coordinator, language)
    response = client.get(page, {"date_from": "2026-01-13", "date_to": "2026-12-30"})
    form = form_holding(response.content.decode(), page, {"date_from", "date_to"})
    assert form.date_values == {"date_from": "2026-01-13", "date_to": "2026-12-30"}
    again = client.get(page, as_post(form.data))
    refiltered = form_holding(again.content.decode(), page, {"date_from", "date_to"})
    assert refiltered.date_values == form.date_values

"""Every text a person types has a length nobody reaches; past it, a message naming the field,
nothing saved and nothing audited (issue 18, item 8). The what-if takes a bounded input."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from pokja.forms import ChangeAgentChangeForm, FindingForm
from pokja.models import Programme
from tests.factories import build_world, make_plan_item
from tests.permission_matrix import MATRIX
from zi_tracker.forms import (
    LONG_TEXT_LENGTH,
    TEXT_LENGTH_CEILING,
    BoundedTextMixin,
    QueryForm,
)

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000
# Modules that define forms besides each app's forms.py (found by the walk below).
EXTRA_FORM_MODULES = ()


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class the project defines: each app's forms module and the extra ones."""
    root = str(settings.BASE_DIR)
    names = list(EXTRA_FORM_MODULES)
    for config in apps.get_app_configs():
        if config.path.startswith(root) and ".venv" not in config.path:
            names.append(f"{config.name}.forms")
    found = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_the_walk_finds_the_forms_of_every_app():
    names = {cls.__name__ for cls in project_forms()}
    assert {
        "PlanItemForm",
        "FindingForm",
        "ChangeAgentChangeForm",
        "SurveyForm",
        "AnswerForm",
        "PersonCreateForm",
        "AuditFilterForm",
        "OverviewFilterForm",
        "PreferenceForm",
        "ExportForm",
    } <= names


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda cls: cls.__qualname__)
def test_every_text_field_of_every_form_is_bounded(form_class):
    assert issubclass(form_class, BoundedTextMixin), (
        f"{form_class.__qualname__} derives from zi_tracker.forms.Form / ModelForm"
    )
    for name, field in form_class.base_fields.items():
        # A UUID's format bounds it.
        if isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
            assert field.max_length is not None, f"{form_class.__qualname__}.{name}"
            assert field.max_length <= TEXT_LENGTH_CEILING, f"{form_class.__qualname__}.{name}"


def test_every_form_reading_the_address_is_a_query_form():
    # The filter forms are the ones the views bind to request.GET.
    names = {cls.__name__ for cls in project_forms() if issubclass(cls, QueryForm)}
    assert names == {
        "AuditFilterForm",
        "OverviewFilterForm",
        "PlanFilterForm",
        "PeopleFilterForm",
        "FindingFilterForm",
        "SurveyStartQuery",
    }


@pytest.fixture
def world(db):
    return build_world()


def _plan_data(world, **changes):
    return {
        "title": "Survei internal budaya kerja",
        "sub_area": world.programme.framework.sub_areas.get(code="MP.P.iv").pk,
        "start_date": "2026-04-01",
        "due_date": "2026-05-31",
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("description", "Description"),
        ("expected_output", "Expected output"),
        ("success_indicator", "Success indicator"),
    ],
)
def test_a_megabyte_in_a_plan_item_is_refused_and_neither_saved_nor_audited(
    client, world, field, label
):
    item = make_plan_item(world.programme, 1, actor=world.ketua1, sub_area_code="MP.P.iv")
    before = (item.description, item.expected_output, item.success_indicator)
    client.force_login(world.ketua1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    entries = AuditEntry.objects.count()
    url = reverse(
        "plan_item_edit",
        kwargs={**world.programme.url_kwargs(), "number": 1, "item_id": item.pk},
    )
    response = client.post(url, _plan_data(world, **{field: MEGABYTE}))
    assert response.status_code == 200
    [message] = response.context["form"].errors[field]
    assert message == f"{label}: at most 5,000 characters (this text has 1,000,000)."
    item.refresh_from_db()
    assert (item.description, item.expected_output, item.success_indicator) == before
    assert AuditEntry.objects.count() == entries
    # At the bound the text is taken.
    response = client.post(url, _plan_data(world, **{field: "y" * LONG_TEXT_LENGTH}))
    assert response.status_code == 302
    item.refresh_from_db()
    assert len(getattr(item, field)) == LONG_TEXT_LENGTH


# The register forms bound their dates by the programme's year (nothing else is read).
PROGRAMME = Programme(year=2026)


def test_the_message_names_the_field_in_indonesian_with_indonesian_numbers():
    with translation.override("id"):
        form = FindingForm(data={"recommendation": MEGABYTE}, programme=PROGRAMME)
        form.is_valid()
        [message] = form.errors["recommendation"]
        label = str(form.fields["recommendation"].label)
    assert message == f"{label}: paling banyak 5.000 karakter (teks ini 1.000.000)."


def test_a_megabyte_finding_recommendation_or_agent_change_is_refused():
    finding = FindingForm(data={"recommendation": MEGABYTE}, programme=PROGRAMME)
    assert not finding.is_valid() and "recommendation" in finding.errors
    change = ChangeAgentChangeForm(
        data={"title": "x", "description": MEGABYTE}, programme=PROGRAMME
    )
    assert not change.is_valid() and "description" in change.errors


def _what_if_url(world):
    return reverse("lke_what_if", kwargs=MATRIX["lke_what_if"].kwargs(world))


def test_the_what_if_refuses_a_megabyte_answer_without_echoing_it(client, world):
    client.force_login(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(_what_if_url(world), {"q1": MEGABYTE})
    assert response.status_code == 400
    assert len(response.content) < 20_000
    assert "Question 1: an answer has at most 20 characters." in response.content.decode()
    overview = reverse("lke_overview", kwargs=MATRIX["lke_overview"].kwargs(world))
    assert client.get(overview, {"q1": MEGABYTE}).status_code == 400


def test_the_what_if_refuses_more_answers_than_the_worksheet_has(client, world):
    client.force_login(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post(_what_if_url(world), {f"q{n}": "A" for n in range(1, 202)})
    assert response.status_code == 400
    assert "Paling banyak 200 jawaban dapat dicoba sekaligus." in response.content.decode()


def test_the_what_if_still_tries_every_question_at_once(client, world):
    client.force_login(world.coordinator)
    response = client.post(_what_if_url(world), {f"q{n}": "" for n in range(1, 128)})
    assert response.status_code == 200

"""Every date a user enters has a plausible range, and a stored date outside it breaks no page.

`POST .../settings/ pencanangan_date=9999-12-31` was accepted, and every dashboard was then a
500 (the "a year of building ZI" date overflowed); 0001-01-01 was accepted too, and so were
both in plan items, findings, change agents and surveys.
"""

from __future__ import annotations

import datetime
import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from figures.date_fields import DateField, programme_date_range, years_after
from tests.factories import make_plan_item
from tests.permission_matrix import programme_kwargs
from tests.project.test_date_round_trip import (
    EDIT_CASES,
    LANGUAGES,
    _stored,
    as_post,
    browser,
    form_holding,
)

pytestmark = pytest.mark.django_db

EXTREMES = ("9999-12-31", "0001-01-01")
# A programme of 2026 (the world's): ten years before, two after.
RANGE_TEXT = {"id": ("1 Jan 2016", "31 Des 2028"), "en": ("1 Jan 2016", "31 Dec 2028")}


def test_the_range_of_a_programme():
    assert programme_date_range(2026) == (datetime.date(2016, 1, 1), datetime.date(2028, 12, 31))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", EXTREMES)
def test_the_field_refuses_a_date_outside_its_range_naming_field_and_range(language, value):
    field = DateField(label="Tanggal X", earliest=datetime.date(2016, 1, 1))
    field.set_range(*programme_date_range(2026))
    with translation.override(language), pytest.raises(ValidationError) as refused:
        field.clean(value)
    earliest, latest = RANGE_TEXT[language]
    (message,) = refused.value.messages
    assert message.startswith("Tanggal X: ")
    assert earliest in message and latest in message


def test_the_widget_offers_only_the_range():
    field = DateField(label="X")
    field.set_range(*programme_date_range(2026))
    rendered = field.widget.render("x", datetime.date(2026, 3, 21))
    assert 'min="2016-01-01"' in rendered and 'max="2028-12-31"' in rendered
    assert 'value="2026-03-21"' in rendered


def test_years_after_never_overflows():
    assert years_after(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    assert years_after(datetime.date(9999, 12, 31), 1) is None
    assert years_after(datetime.date(1, 1, 1), 1) == datetime.date(2, 1, 1)


def _label(form_name: str, field: str, language: str) -> str:
    import importlib

    module, _, name = form_name.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    with translation.override(language):
        return str(cls.base_fields[field].label)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_name", sorted(EDIT_CASES))
def test_every_form_refuses_an_implausible_date_and_saves_nothing(world, form_name, language):
    case = EDIT_CASES[form_name]
    page, obj = case.page(world)
    before = _stored(obj)
    client = browser(case.user(world), language)
    read = form_holding(client.get(page).content.decode(), page, set(case.fields))
    earliest, latest = RANGE_TEXT[language]
    for field in case.fields:
        for value in EXTREMES:
            data = as_post(read.data)
            data[field] = [value]
            response = client.post(read.action, data)
            assert response.status_code == 200, f"{form_name}.{field}={value} was accepted"
            text = response.content.decode()
            message = f"{html.escape(_label(form_name, field, language))}: "
            assert message in text, f"{form_name}.{field}: no message naming the field"
            assert earliest in text and latest in text, f"{form_name}.{field}: no range"
            assert _stored(obj) == before


@pytest.mark.parametrize("value", EXTREMES)
def test_a_new_programme_refuses_an_implausible_declaration_date(world, value):
    from pokja.models import Programme

    response = browser(world.unit_admin, "en").post(
        reverse("programme_create"),
        {
            "unit": world.unit.pk,
            "year": 2027,
            "framework": world.programme.framework_id,
            "target": "WBK",
            "pencanangan_date": value,
        },
    )
    assert response.status_code == 200
    assert (
        "Date of the declaration (pencanangan): enter a date from 1 Jan 2017 to 31 Dec 2029."
        in (response.content.decode())
    )
    assert not Programme.objects.filter(unit=world.unit, year=2027).exists()


@pytest.mark.parametrize("value", EXTREMES)
def test_the_plan_import_refuses_an_implausible_date_row_by_row(world, value):
    from pokja.models import ActionPlanItem

    workbook = Workbook()
    sheet = workbook.active
    sub_area = world.programme.framework.sub_areas.filter(area__code="MP").order_by("order")[0]
    sheet.append(["judul", "sub_area", "tanggal_mulai", "tanggal_selesai"])
    sheet.append(["Sosialisasi", sub_area.code, "2026-02-01", value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "rencana.xlsx"
    kwargs = {**programme_kwargs(world), "number": 1}
    response = browser(world.ketua1, "en").post(
        reverse("pokja_plan_import", kwargs=kwargs), {"file": buffer}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "enter a date from 1 Jan 2016 to 31 Dec 2028." in text
    assert not ActionPlanItem.objects.filter(pokja__programme=world.programme).exists()


@pytest.mark.parametrize("stored", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)])
def test_dates_stored_before_the_range_break_no_page(world, stored):
    """Dates saved before the range existed (or by a script) still render everywhere."""
    from pokja.models import (
        ActionPlanItem,
        AuditFinding,
        ChangeAgent,
        ChangeAgentChange,
        Programme,
    )
    from surveys.models import Survey
    from tests.project.test_date_round_trip import _agent_change, _finding, _survey

    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    _finding(world)
    _agent_change(world)
    _survey(world)
    Programme.objects.filter(pk=world.programme.pk).update(pencanangan_date=stored)
    ActionPlanItem.objects.filter(pk=item.pk).update(start_date=stored, due_date=stored)
    AuditFinding.objects.update(report_date=stored, follow_up_due=stored, settled_on=stored)
    ChangeAgent.objects.update(appointed_on=stored)
    ChangeAgentChange.objects.update(made_on=stored)
    Survey.objects.update(start_date=stored, end_date=stored)
    survey = Survey.objects.get()
    base = programme_kwargs(world)
    pages = [
        reverse("home"),
        reverse("programme_dashboard", kwargs=base),
        reverse("programme_detail", kwargs=base),
        reverse("programme_settings", kwargs=base),
        reverse("pokja_dashboard", kwargs={**base, "number": 1}),
        reverse("pokja_plan", kwargs={**base, "number": 1}),
        reverse("programme_plans", kwargs=base),
        reverse("plan_item_detail", kwargs={**base, "number": 1, "item_id": item.pk}),
        reverse("plan_item_edit", kwargs={**base, "number": 1, "item_id": item.pk}),
        reverse("findings", kwargs=base),
        reverse("change_agents", kwargs=base),
        reverse("survey_list", kwargs=base),
        reverse("survey_detail", kwargs={**base, "survey_id": survey.pk}),
    ]
    for language in LANGUAGES:
        client = browser(world.coordinator, language)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, f"{page} in {language}: {response.status_code}"
        response = browser(world.oversight, language).get(reverse("units_overview"))
        assert response.status_code == 200

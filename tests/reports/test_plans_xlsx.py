"""The action plans of a programme as one workbook."""

from __future__ import annotations

import pytest

from reports.plans_xlsx import plans_workbook
from tests.factories import make_plan_item
from tests.reports.conftest import open_workbook

pytestmark = pytest.mark.django_db


def test_one_sheet_per_pokja_and_a_summary(programme, coordinator, django_assert_num_queries):
    make_plan_item(programme, 1, actor=coordinator, title="=HYPERLINK(1)")
    queries = 6  # pokjas, counts, items, their owners and questions: none per item
    with django_assert_num_queries(queries):
        plans_workbook(programme)
    make_plan_item(programme, 1, actor=coordinator, title="Apel pagi")
    make_plan_item(programme, 3, actor=coordinator, title="Diklat SDM")
    with django_assert_num_queries(queries):
        data = plans_workbook(programme)
    workbook = open_workbook(data)
    assert workbook.sheetnames == ["Summary", *(f"Pokja {n}" for n in range(1, 7))]
    summary = list(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in summary] == [(1, 2), (2, 0), (3, 1), (4, 0), (5, 0), (6, 0)]
    pokja1 = list(workbook["Pokja 1"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in pokja1] == ["=HYPERLINK(1)", "Apel pagi"]
    assert workbook["Pokja 1"]["A2"].data_type == "s"  # text, never a formula
    assert [r[0] for r in workbook["Pokja 3"].iter_rows(min_row=2, values_only=True)] == [
        "Diklat SDM"
    ]

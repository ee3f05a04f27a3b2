"""The PDF evaluation report: it renders, has its pages, and says the key numbers as text."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats

from evaluations.scoring import display
from evaluations.selectors import programme_breakdown
from evaluations.services import answer_evidence_add_link, answer_set_unit
from pokja.services import finding_create
from reports.pdf import area_findings, render_report, report_pdf
from reports.selectors import pdf_data
from tests.factories import make_plan_item

pytestmark = pytest.mark.django_db


def page_texts(document) -> list[str]:
    """The text laid out on each page (WeasyPrint's boxes: what the PDF draws)."""

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from texts(child)

    return [" ".join(texts(page._page_box)) for page in document.pages]


def shown(value) -> str:
    return formats.number_format(value)


def test_the_demo_report_renders_with_its_key_numbers(demo):
    programme = demo.programme
    data = pdf_data(programme)
    document = render_report(data)
    pages = page_texts(document)
    assert 4 <= len(pages) <= 12
    text = " ".join(" ".join(pages).split())
    effective = programme_breakdown(programme)
    unit = programme_breakdown(programme, "unit")
    # Cover: unit, year, framework, total.
    assert programme.unit.name in pages[0] and str(programme.year) in pages[0]
    assert "lke-2021" in pages[0]
    assert f"Total score: {shown(display(effective.total))} / 100" in " ".join(pages[0].split())
    assert f"alone score {shown(display(unit.total))}" in text
    for area in effective.areas.values():
        assert f"{area.pokja}. {area.name} — {shown(display(area.total))} / {area.weight}" in text
    for predicate in effective.predicates.values():
        for s in predicate.shortfalls:
            if s.required is not None:
                assert f"{s.label}: {shown(s.actual)} / {shown(s.required)}" in text
    # Surveys, plans, audit findings, signatures.
    for figure in data.report.layers.figures.values():
        assert shown(display(figure.index)) in text
    assert f"Total {data.plan_totals.total} " in text
    tlhp = data.tlhp
    assert f"{tlhp.settled} of {tlhp.owed} findings owed are settled" in text
    assert data.coordinator.display_name in pages[-1] and data.head.display_name in pages[-1]
    assert report_pdf(data).startswith(b"%PDF-")


def test_findings_name_the_weakest_questions_and_the_missing_evidence(programme, coordinator):
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Tidak")
    answer_set_unit(actor=coordinator, programme=programme, number=2, value="B")
    answer_set_unit(actor=coordinator, programme=programme, number=3, value="Ya")
    answer_evidence_add_link(
        actor=coordinator, programme=programme, number=3, url="https://a.test/3", title="SK"
    )
    mp = next(f for f in area_findings(pdf_data(programme)) if f.code == "MP")
    # q1 (0) first, unanswered ones (0) by number, q2 (0.5) after them; q3 (1) never.
    numbers = [q.number for q in mp.weakest]
    assert numbers[0] == 1 and 3 not in numbers
    assert len(numbers) == 5
    assert [n for n, _text in mp.missing][:3] == [1, 2, 4]
    assert mp.missing_total == 17  # 18 MP questions, one with evidence


def test_the_report_data_reads_a_fixed_number_of_queries(
    programme, coordinator, django_assert_num_queries
):
    queries = 10  # none per answer, plan item or finding
    with django_assert_num_queries(queries):
        pdf_data(programme)
    for n in range(1, 4):
        make_plan_item(programme, n, actor=coordinator)
        finding_create(
            actor=coordinator,
            programme=programme,
            source="apip",
            report_date=datetime.date(2026, 3, n),
            title=f"Temuan {n}",
            recommendation="Tindak lanjuti",
        )
        answer_set_unit(
            actor=coordinator, programme=programme, number=n, value="B" if n == 2 else "Ya"
        )
    with django_assert_num_queries(queries):
        data = pdf_data(programme)
    assert len(data.findings) == 3 and data.plan_totals.total == 3

"""The PDF evaluation report: it renders, has its pages, and says the key numbers as text."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import formats

from evaluations.scoring import display
from evaluations.selectors import predicate_views, programme_breakdown
from evaluations.services import answer_evidence_add, answer_set_unit
from evaluations.wording import shortfall_text
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
    assert f"Total score: {shown(display(effective.total))} / 100.00" in " ".join(pages[0].split())
    assert f"alone score {shown(display(unit.total))}" in text
    for area in effective.areas.values():
        assert (
            f"{area.pokja}. {area.name} — {shown(display(area.total))} / {shown(display(area.weight))}"
            in text
        )
    views, _gains = predicate_views(
        data.report.spec,
        effective,
        data.report.layers.layer("effective"),
        data.report.layers.survey_fed,
    )
    for view in views:
        for row in view.rows:  # worded as the pages word them
            assert " ".join(shortfall_text(row, view.code).split()) in text
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
    answer_evidence_add(
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


SAYS = {
    "id": [
        "Nilai total: 64,37 / 100,00",
        "Manajemen Perubahan 4,47 dari 8,00 (55,88%); WBK memerlukan 60% = 4,80 (+0,33)",
        "Indeks Persepsi Kualitas Pelayanan (IPKP), survei eksternal (q127) 14,37; "
        "WBBM memerlukan 15,75 (+1,38)",
        "Unit belum berpredikat WBK.",
        "1. Manajemen Perubahan — 4,47 / 8,00 (55,88%)",
    ],
    "en": [
        "Total score: 64.37 / 100.00",
        "Manajemen Perubahan 4.47 of 8.00 (55.88%); WBK needs 60% = 4.80 (+0.33)",
        "Indeks Persepsi Kualitas Pelayanan (IPKP), survei eksternal (q127) 14.37; "
        "WBBM needs 15.75 (+1.38)",
        "The unit does not yet hold WBK.",
        "1. Manajemen Perubahan — 4.47 / 8.00 (55.88%)",
    ],
}
# The framework's criterion labels are the data's wording for the command line, never a page's.
NEVER = ["holds WBK", "IPKP score (q127)", "Pelayanan prima, IPKP", "IPAK score"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_report_speaks_the_export_language_and_draws_its_survey_chart(demo, language):
    from xml.etree import ElementTree

    from django.utils import translation

    from figures.formatting import number
    from reports.pdf import report_html, survey_bars

    with translation.override(language):
        data = pdf_data(demo.programme)
        document = render_report(data)
        html = report_html(data)
        bars = survey_bars(data)
        values = [number(bar.index) for bar in bars]
    text = " ".join(" ".join(page_texts(document)).split())
    for phrase in SAYS[language]:
        assert phrase in text, phrase
    for phrase in NEVER:
        assert phrase not in text, phrase
    if language == "id":
        assert "Total score" not in text and "Predicate check" not in text
    # The survey chart: an SVG built on the server, laid out on its page.
    replaced = [
        box
        for page in document.pages
        for box in _boxes(page._page_box)
        if type(getattr(box, "replacement", None)).__name__ == "SVGImage"
    ]
    assert len(replaced) == 1 and replaced[0].width > 100
    markup = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    svg = ElementTree.fromstring(markup)  # noqa: S314 - the markup this test just built
    ns = "{http://www.w3.org/2000/svg}"
    for element in list(svg.iter())[1:]:  # the root's width is the page's 100%
        for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
            if name in element.attrib:
                float(element.attrib[name])  # geometry is never written "127,8"
    bar_rects = [r for r in svg.iter(f"{ns}rect") if r.get("fill", "").startswith("url(")]
    assert len(bar_rects) == len(bars) == 2
    for rect, bar in zip(bar_rects, bars, strict=True):
        # its length to scale: index / 4 of the 300 units of the bar area
        assert abs(float(rect.get("width")) - float(bar.index) / 4 * 300) < 0.1
    labels = [
        " ".join(t.text for t in text_el.iter(f"{ns}tspan"))
        for text_el in svg.iter(f"{ns}text")
        if text_el.find(f"{ns}tspan") is not None
    ]
    assert labels == [bar.label for bar in bars]  # whole, over as many lines as they need
    shown = [t.text for t in svg.iter(f"{ns}text") if t.find(f"{ns}tspan") is None]
    for value in values:
        assert value in shown  # "3,65" whole beside its bar, never ",65" and "3"


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)

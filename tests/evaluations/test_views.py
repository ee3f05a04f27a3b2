"""The worksheet pages: what each role sees and may do, saving in place, evidence, what-if."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from evaluations.models import Answer, AnswerEvidence, Assessment
from evaluations.selectors import programme_answers
from evaluations.services import (
    answer_evidence_add,
    answer_set_tpi,
    answer_set_unit,
    section_transition,
)
from surveys.loader import load_bundled_instruments
from surveys.services import official_figure_set
from tests.evaluations.test_shortfalls import best, worst
from tests.factories import make_foreign_evidence
from tests.surveys.factories import lke_surveys

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def url(world, name, **extra):
    return reverse(name, kwargs={"unit_code": world.unit.code, "year": 2026, **extra})


def fill(programme, values: dict) -> None:
    for number, value in values.items():
        answer_set_unit(actor=None, programme=programme, number=number, value=value)


def htmx(client, path, data=None, **extra):
    return client.post(path, data or {}, HTTP_HX_REQUEST="true", **extra)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).strip()


# --------------------------------------------------------------------------- the area page


def test_a_member_sees_the_widget_each_question_type_needs(client, world):
    client.force_login(world.anggota1)
    page = text(client.get(url(world, "lke_section", section="MP")))
    # a choice: radio buttons with the option texts, and the criteria
    assert 'type="radio" name="value" value="A" id="q-2-unit-1"' in page
    assert "Jika dengan prosedur/mekanisme yang jelas dan mewakili seluruh unsur" in page
    assert "Ya, jika Tim telah dibentuk di dalam unit kerja." in page  # q1's criteria
    # a count: a number field
    assert (
        'type="number" min="0" step="1" inputmode="numeric" name="value" id="q-88-unit-value"'
        in page
    )
    # weights and scores of the sub-areas
    assert 'data-testid="score-MP.R.i">0.00<' in page
    assert "weight 2.00" in page
    # their own area: unit forms, no TPI forms
    assert 'data-testid="unit-form-1"' in page and 'data-testid="tpi-form-1"' not in page
    assert 'data-testid="upload-form-1"' in page


def test_counts_show_the_percentage_of_their_item(client, world):
    fill(world.programme, {88: 4, 89: 3})
    client.force_login(world.anggota1)
    page = text(client.get(url(world, "lke_section", section="MP")))
    # q89 / q88 = 3 / 4 = 75.00%, shown under both counts
    assert page.count('data-testid="ratio-88">75.00%<') == 1
    assert page.count('data-testid="ratio-89">75.00%<') == 1
    assert 'data-testid="ratio-90">not yet computed (a count is missing)<' in page
    # MP.R.i (2): 2 x (0.75 + 0) / 2 = 0.75
    assert 'data-testid="score-MP.R.i">0.75<' in page


def test_survey_indices_are_read_only_with_their_source(client, world):
    # q125 has an official figure; q127 is fed by a survey instrument that nobody answered.
    load_bundled_instruments()
    official_figure_set(
        actor=world.coordinator,
        programme=world.programme,
        question=125,
        index=Decimal("3.61"),
        source="Survei TPN 2026",
    )
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "lke_section", section="hasil")))
    assert 'data-testid="survey-index-125">3.61<' in page
    assert 'data-testid="survey-source-125">official figure (TPN/BPS)<' in page
    assert "Survei TPN 2026" in page
    assert "No survey figure yet" in page  # q127
    assert 'data-testid="unit-form-125"' not in page and 'data-testid="unit-form-127"' not in page
    assert 'data-testid="unit-form-126"' in page  # the coordinator answers q126
    # q125 = 3.61 / 4 x 17.5 = 15.79375 -> 15.79
    assert 'data-testid="score-ipak">15.79<' in page
    response = client.post(url(world, "lke_answer_unit", number=125), {"value": "4"})
    assert response.status_code == 302
    assert Answer.objects.get(assessment__programme=world.programme, number=125).unit_value == ""


@pytest.mark.parametrize(
    ("role", "unit_forms", "tpi_forms"),
    [
        ("coordinator", True, False),
        ("ketua1", True, False),
        ("anggota1", True, False),
        ("anggota2", False, False),
        ("tpi", False, True),
        ("pimpinan", False, False),
        ("site_admin", True, True),
    ],
)
def test_each_role_gets_the_columns_it_may_fill(client, world, role, unit_forms, tpi_forms):
    client.force_login(getattr(world, role))
    page = client.get(url(world, "lke_section", section="MP")).content.decode()
    assert ('data-testid="unit-form-2"' in page) is unit_forms
    assert ('data-testid="upload-form-2"' in page) is unit_forms
    assert ('data-testid="tpi-form-2"' in page) is tpi_forms


def test_the_coordinator_sees_who_changed_what(client, world):
    answer_set_unit(actor=world.anggota1, programme=world.programme, number=2, value="B")
    section_transition(actor=world.ketua1, programme=world.programme, code="MP", action="submit")
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "lke_section", section="MP")))
    history = re.search(r'data-testid="section-history">(.*?)</details>', page).group(1)
    # People by their names, as on every other page.
    assert f">{world.anggota1.display_name}</strong> changed" in history and "B" in history
    assert f">{world.ketua1.display_name}</strong> changed" in history and "Submitted" in history
    client.force_login(world.anggota1)
    assert (
        'data-testid="section-history"'
        not in client.get(url(world, "lke_section", section="MP")).content.decode()
    )


def test_unknown_sections_and_questions_are_404(client, world):
    client.force_login(world.coordinator)
    assert client.get(url(world, "lke_section", section="XX")).status_code == 404
    assert client.post(url(world, "lke_answer_unit", number=500), {"value": "A"}).status_code == 404


# --------------------------------------------------------------------------- saving in place


def test_saving_in_place_returns_the_new_sub_area_and_area_scores(client, world):
    client.force_login(world.anggota1)
    response = htmx(
        client, url(world, "lke_answer_unit", number=2), {"value": "B", "note": "Rapat"}
    )
    assert response.status_code == 200
    page = text(response)
    assert page.startswith('<article class="card lke-question mb-2" id="q-2"')
    assert 'data-testid="question-saved">Question 2 saved.<' in page
    # MP.P.i (0.5): 0.5 x (0 + 0.5) / 2 = 0.125 -> 0.13, out of band with the section's score
    assert (
        '<div id="sa-MP-P-i-head" class="lke-block-head rounded px-2 py-1 mb-2" hx-swap-oob="true">'
        in page
    )
    assert 'data-testid="score-MP.P.i">0.13<' in page
    assert 'id="section-summary"' in page and 'data-testid="section-score">0.13<' in page
    assert 'id="part-pemenuhan"' in page
    row = Answer.objects.get(assessment__programme=world.programme, number=2)
    assert (row.unit_value, row.unit_note, row.unit_by) == ("B", "Rapat", world.anggota1)


def test_saving_a_count_updates_the_percentage_of_its_partner(client, world):
    fill(world.programme, {88: 4})
    client.force_login(world.coordinator)
    page = text(htmx(client, url(world, "lke_answer_unit", number=89), {"value": "2"}))
    # 2 / 4 = 50.00%: the card of q89, and q88's percentage out of band
    assert 'data-testid="ratio-89">50.00%<' in page
    assert '<p id="ratio-q88-unit" class="small mb-0 mt-1" hx-swap-oob="true">' in page
    assert 'data-testid="ratio-88">50.00%<' in page


def test_each_side_shows_the_percentage_of_its_own_counts(client, world):
    """The unit answers 8 targets and 7 reached (87.50%); the TPI re-answers 6 reached alone:
    the unit's side still reads 7/8, the TPI's side has no figure of its own (its q105 is
    missing) and says what is in force: 6/8 = 75.00%. Never the TPI's figure as the unit's."""
    fill(world.programme, {105: 8, 106: 7})
    client.force_login(world.tpi)
    page = text(htmx(client, url(world, "lke_answer_tpi", number=106), {"value": "6"}))
    assert 'data-testid="ratio-106">87.50%<' in page
    assert 'data-testid="ratio-tpi-106">not yet computed (a count is missing)<' in page
    assert 'data-testid="ratio-in-force-106">75.00%<' in page
    # q105's card is updated out of band on both sides.
    assert '<p id="ratio-q105-unit" class="small mb-0 mt-1" hx-swap-oob="true">' in page
    assert 'data-testid="ratio-105">87.50%<' in page
    # With the TPI's own q105 (7): 6/7 = 85.714...% -> 85.71% on the TPI's side only.
    page = text(htmx(client, url(world, "lke_answer_tpi", number=105), {"value": "7"}))
    assert 'data-testid="ratio-tpi-105">85.71%<' in page
    assert 'data-testid="ratio-105">87.50%<' in page
    assert "ratio-in-force-105" not in page  # the TPI's own figure is the one in force


def test_without_javascript_the_form_posts_and_redirects(client, world):
    client.force_login(world.anggota1)
    response = client.post(url(world, "lke_answer_unit", number=1), {"value": "Ya"})
    assert response.status_code == 302
    assert response["Location"] == url(world, "lke_section", section="MP") + "#q-1"
    page = client.get(response["Location"]).content.decode()
    assert "Question 1 saved." in page


def test_a_bad_value_is_explained_on_the_question_and_nothing_is_saved(client, world):
    client.force_login(world.anggota1)
    page = text(htmx(client, url(world, "lke_answer_unit", number=88), {"value": "-3"}))
    assert (
        'data-testid="question-error">Question 88: “-3” is not allowed; allowed: a whole number, 0 or more.<'
        in page
    )
    assert programme_answers(world.programme, "unit")[88].value is None
    response = client.post(url(world, "lke_answer_unit", number=2), {"value": "Z"}, follow=True)
    assert "Question 2: “Z” is not allowed; allowed: one of A, B, C." in text(response)


def test_a_locked_section_refuses_with_a_clear_message(client, world):
    fill(world.programme, {1: "Ya"})
    section_transition(actor=world.ketua1, programme=world.programme, code="MP", action="submit")
    client.force_login(world.anggota1)
    page = text(client.get(url(world, "lke_section", section="MP")))
    assert 'data-testid="unit-form-1"' not in page  # read only now
    assert "The unit's answers here are locked by the section's status." in page
    page = text(htmx(client, url(world, "lke_answer_unit", number=1), {"value": "Tidak"}))
    assert (
        "Manajemen Perubahan is submitted: the unit&#x27;s answers, notes and evidence are locked."
        in page
    )
    assert programme_answers(world.programme)[1].value == "Ya"
    # the TPI still fills its columns
    client.force_login(world.tpi)
    assert (
        htmx(client, url(world, "lke_answer_tpi", number=1), {"value": "Tidak"}).status_code == 200
    )
    assert programme_answers(world.programme)[1].value == "Tidak"


def test_a_member_of_another_pokja_cannot_change_the_area(client, world):
    client.force_login(world.anggota2)
    assert client.post(url(world, "lke_answer_unit", number=1), {"value": "Ya"}).status_code == 403
    assert htmx(client, url(world, "lke_answer_unit", number=1), {"value": "Ya"}).status_code == 403
    assert client.post(url(world, "lke_answer_tpi", number=1), {"value": "Ya"}).status_code == 403
    assert programme_answers(world.programme)[1].value is None


def test_tpi_answers_win_and_are_marked(client, world):
    fill(world.programme, {2: "A"})
    client.force_login(world.tpi)
    page = text(
        htmx(client, url(world, "lke_answer_tpi", number=2), {"value": "C", "note": "Tanpa SK"})
    )
    assert 'data-testid="tpi-wins-2"' in page
    # MP.P.i: the TPI's C (0) is in force -> 0.00
    assert 'data-testid="score-MP.P.i">0.00<' in page
    assert 'data-testid="unit-value-2"' in page  # the TPI reads the unit's answer
    row = Answer.objects.get(assessment__programme=world.programme, number=2)
    assert (row.unit_value, row.tpi_value, row.tpi_note) == ("A", "C", "Tanpa SK")


# --------------------------------------------------------------------------- status


def test_the_chair_submits_and_the_tpi_reviews_through_the_page(client, world):
    client.force_login(world.ketua1)
    page = client.get(url(world, "lke_section", section="MP")).content.decode()
    assert 'name="action" value="submit"' in page
    response = client.post(
        url(world, "lke_section_status", section="MP"), {"action": "submit"}, follow=True
    )
    assert "Manajemen Perubahan is now: Submitted." in text(response)
    client.force_login(world.tpi)
    page = client.get(url(world, "lke_section", section="MP")).content.decode()
    assert 'value="review"' in page and 'value="return"' in page and 'value="submit"' not in page
    client.post(url(world, "lke_section_status", section="MP"), {"action": "review", "note": "OK"})
    assert Assessment.objects.get().sections.get(code="MP").status == "reviewed"
    # a member may not change the status at all
    client.force_login(world.anggota1)
    assert (
        client.post(
            url(world, "lke_section_status", section="MP"), {"action": "reopen"}
        ).status_code
        == 403
    )
    # an action that does not fit the status is explained, not a 500
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "lke_section_status", section="MP"), {"action": "submit"}, follow=True
    )
    assert "is reviewed by tpi, so “Submit” is not possible now." in text(response)


def test_finalising_from_the_overview_needs_every_section_reviewed(client, world):
    client.force_login(world.coordinator)
    response = client.post(url(world, "lke_finalize"), follow=True)
    assert "Not yet reviewed by the TPI: Manajemen Perubahan" in text(response)
    assert Assessment.objects.get().status == "draft"


# --------------------------------------------------------------------------- evidence


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("sk-tim.pdf", PDF, ".pdf"),
        ("foto-apel.png", PNG, ".png"),
        ("notulen.docx", docx(), ".docx"),
    ],
)
def test_evidence_uploads_of_each_kind(client, world, name, content, extension):
    client.force_login(world.anggota1)
    upload = SimpleUploadedFile(name, content)
    page = text(
        htmx(
            client, url(world, "lke_evidence_upload", number=1), {"file": upload, "title": "Bukti"}
        )
    )
    assert 'data-testid="evidence-count-1">1<' in page
    assert "Bukti" in page and "“Bukti” attached." in page
    evidence = world.programme.evidence.get()
    assert (evidence.extension, evidence.pokja, evidence.uploaded_by) == (
        extension,
        world.pokjas[1],
        world.anggota1,
    )
    assert programme_answers(world.programme)[1].has_evidence
    # the section's "with evidence" count moved, out of band
    assert "with evidence 1" in page


def test_uploads_are_checked_by_content_and_size(client, world, settings):
    client.force_login(world.anggota1)
    fake = SimpleUploadedFile("laporan.pdf", b"just some text, not a PDF at all" * 4)
    page = text(htmx(client, url(world, "lke_evidence_upload", number=1), {"file": fake}))
    assert "This kind of file is not accepted." in page
    assert '<details class="lke-add-evidence" open>' in page  # the form stays open
    settings.ZI_EVIDENCE_MAX_MB = 1
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (1024 * 1024 + 10))
    page = text(htmx(client, url(world, "lke_evidence_upload", number=1), {"file": big}))
    assert "the limit is 1 MB" in page
    page = text(htmx(client, url(world, "lke_evidence_upload", number=1), {"title": "no file"}))
    assert "This field is required." in page
    assert not world.programme.evidence.exists()


def test_links_picking_and_detaching(client, world):
    client.force_login(world.anggota1)
    page = text(
        htmx(
            client,
            url(world, "lke_evidence_link", number=3),
            {"url": "https://polri.go.id/rencana-kerja-zi", "title": "Rencana kerja ZI"},
        )
    )
    assert 'href="https://polri.go.id/rencana-kerja-zi"' in page
    page = text(htmx(client, url(world, "lke_evidence_link", number=3), {"url": "not a link"}))
    assert "Enter a valid URL." in page
    link = world.programme.evidence.get()
    # the same piece picked for another question
    picker = text(client.get(url(world, "lke_evidence_pick", number=4), HTTP_HX_REQUEST="true"))
    assert f'<option value="{link.pk}">Rencana kerja ZI (link, Pokja 1)</option>' in picker
    page = text(htmx(client, url(world, "lke_evidence_pick", number=4), {"evidence": link.pk}))
    assert 'data-testid="evidence-count-4">1<' in page
    # already attached: no longer offered
    picker = text(client.get(url(world, "lke_evidence_pick", number=4), HTTP_HX_REQUEST="true"))
    assert "The programme has no other evidence yet." in picker
    # evidence of another programme cannot be picked
    foreign = make_foreign_evidence(world)
    page = text(htmx(client, url(world, "lke_evidence_pick", number=5), {"evidence": foreign.pk}))
    assert "Choose a piece of evidence from the list." in page
    assert (
        client.post(url(world, "lke_evidence_remove", number=4, evidence_id=foreign.pk)).status_code
        == 404
    )
    page = text(htmx(client, url(world, "lke_evidence_remove", number=4, evidence_id=link.pk)))
    assert 'data-testid="evidence-count-4">0<' in page
    assert AnswerEvidence.objects.filter(answer__number=3).count() == 1
    # without JavaScript the picker is a page of its own
    full = client.get(url(world, "lke_evidence_pick", number=4))
    assert full.status_code == 200 and "Evidence for question 4" in text(full)


# --------------------------------------------------------------------------- the overview


def scenario(programme):
    """Everything best but q126 E and PW PEMENUHAN at its worst (see test_shortfalls)."""
    values = best()
    values[126] = "E"
    for number in range(51, 69):
        values[number] = worst(number)
    for number in (125, 127):
        values.pop(number)  # fed by the surveys
    fill(programme, values)


def test_the_overview_shows_breakdown_shortfalls_completeness_and_missing_evidence(client, world):
    scenario(world.programme)
    lke_surveys(world.programme)  # IPAK and IPKP 4
    answer_evidence_add(
        actor=world.coordinator,
        programme=world.programme,
        number=1,
        url="https://e.go.id/1",
        title="1",
    )
    answer_set_tpi(actor=world.tpi, programme=world.programme, number=2, value="B")
    client.force_login(world.pimpinan)
    response = client.get(url(world, "lke_overview"))
    page = text(response)
    # total: 100 - 5 (q126) - 7.5 (PW pemenuhan) - 0.125 (the TPI's B for q2 in MP.P.i:
    # 0.5 x (1 - 0.5) / 2) = 87.375 -> 87.38; the unit's own answers alone: 87.50
    assert 'data-testid="total">87.38<' in page
    assert (
        '<th scope="row" class="fw-normal">Unit self-assessment</th><td class="text-end">87.50</td>'
        in page
    )
    assert 'data-testid="component-pengungkit">52.38 <' in page  # 52.375
    assert 'data-testid="hasil-capaian_kinerja">0.00 <' in page
    shortfalls = re.findall(r'data-testid="shortfall-WBK"[^>]*>(.*?)</li>', page)
    # Each step names the answer it needs; the link tries them (q51 and q52 at their best).
    assert [re.sub(r"<[^>]+>", "", s).strip() for s in shortfalls] == [
        "Birokrasi yang bersih dan akuntabel 17.50; WBK needs 18.25 (+0.75) "
        "Closed by the best answer to 1 question: q126 = A (+5.00) Try these answers",
        "Capaian kinerja lebih baik dari capaian kinerja sebelumnya (q126) 0.00; "
        "WBK needs 2.50 (+2.50) "
        "Closed by the best answer to 1 question: q126 = A (+5.00) Try these answers",
        "Penguatan Pengawasan 7.50 of 15.00 (50.00%); WBK needs 60% = 9.00 (+1.50) "
        "Closed by the best answers to 2 questions: q51 = A (+0.75); q52 = A (+0.75) "
        "Try these answers",
    ]
    assert 'href="/programmes/POLRES-ALPHA/2026/lke/?q51=A&amp;q52=A#what-if"' in page
    assert 'href="/programmes/POLRES-ALPHA/2026/lke/PW/#q-51"' in page
    assert "The unit does not yet hold WBK." in page
    # completeness per Pokja: MP has 18 questions, one with evidence, one reviewed by the TPI
    mp = re.search(r'data-testid="completeness-MP">(.*?)</tr>', page).group(1)
    assert "18 / 18" in mp and "1 / 18" in mp
    # 125 questions need evidence (q125, q127 come from the surveys); one has it
    assert 'data-testid="missing-evidence-count">124<' in page
    assert 'href="/programmes/POLRES-ALPHA/2026/lke/MP/#q-2"' in page


def test_overview_and_section_pages_run_constant_queries_as_data_grows(
    client, world, django_assert_num_queries
):
    client.force_login(world.coordinator)
    overview_url, section_url = url(world, "lke_overview"), url(world, "lke_section", section="MP")
    client.get(overview_url)  # the first visit creates the worksheet

    def counts():
        queries = {}
        for name, path in (("overview", overview_url), ("section", section_url)):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            queries[name] = len(captured)
        return queries

    before = counts()
    fill(world.programme, {n: ("Ya" if n in (1, 3, 9) else "A") for n in range(1, 13)})
    fill(world.programme, {88: 4, 89: 4, 90: 2, 91: 1})
    for number in range(1, 13):
        answer_evidence_add(
            actor=world.coordinator,
            programme=world.programme,
            number=number,
            url=f"https://example.go.id/{number}",
            title=f"Bukti {number}",
        )
        answer_set_tpi(
            actor=world.tpi,
            programme=world.programme,
            number=number,
            value="Ya" if number in (1, 3, 9) else "B",
        )
    after = counts()
    # Once its history has entries, the section page names the objects their values point
    # to (the evidence) and the people who made them: two more queries, however many entries.
    assert before == {"overview": 13, "section": 16}
    assert after == {"overview": 13, "section": 18}
    # session, user, programme, access (3), worksheet, answers, sections, Pokja, navigation,
    # the survey figures feeding q125/q127, and when the stored score was computed
    with django_assert_num_queries(13):
        client.get(overview_url)
    # ... and the section's answer rows with their people and evidence, its latest status
    # changes (shown to everyone), and its history with the names of who made it
    with django_assert_num_queries(18):
        client.get(section_url)
    fill(world.programme, {n: ("Tidak" if n in (1, 3, 9) else "C") for n in range(1, 13)})
    assert counts() == after


# --------------------------------------------------------------------------- what-if


def test_what_if_moves_the_score_and_stores_nothing(client, world):
    scenario(world.programme)
    lke_surveys(world.programme)  # IPAK and IPKP 4
    client.force_login(world.coordinator)
    stored = list(
        Answer.objects.order_by("pk").values_list("pk", "unit_value", "tpi_value", "unit_note")
    )
    entries = AuditEntry.objects.count()
    page = text(htmx(client, url(world, "lke_what_if"), {"q126": "A", "q51": "A", "q52": "A"}))
    # 87.50 + 5 + 0.75 + 0.75 = 94.00; WBK is met, WBBM still needs PW (9.00 of 11.25)
    assert 'data-testid="what-if-total">94.00<' in page
    assert "(+6.50)" in page
    assert re.search(r'data-testid="meets-WBK">meets the score thresholds<', page)
    assert "q126 E → A" in page
    assert "Penguatan Pengawasan 9.00 of 15.00 (60.00%); WBBM needs 75% = 11.25 (+2.25)" in page
    assert (
        list(
            Answer.objects.order_by("pk").values_list("pk", "unit_value", "tpi_value", "unit_note")
        )
        == stored
    )
    assert AuditEntry.objects.count() == entries
    # the real page is unchanged
    assert 'data-testid="total">87.50<' in text(client.get(url(world, "lke_overview")))


def test_what_if_explains_bad_values_and_resets(client, world):
    client.force_login(world.coordinator)
    page = text(htmx(client, url(world, "lke_what_if"), {"q88": "-1", "q2": "Q"}))
    assert "Question 88: “-1” is not allowed; allowed: a whole number, 0 or more." in page
    assert "Question 2: “Q” is not allowed; allowed: one of A, B, C." in page
    assert 'data-testid="what-if-result"' not in page
    reset = client.get(url(world, "lke_overview"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="what-if")
    assert text(reset).startswith('<section id="what-if"')
    assert "what-if-errors" not in reset.content.decode()
    # without JavaScript the what-if answers with the whole overview
    full = client.post(url(world, "lke_what_if"), {"q1": "Ya"})
    assert full.status_code == 200 and 'data-testid="what-if-total">' in full.content.decode()


def test_the_admin_shows_worksheets_read_only(client, world):
    answer_set_unit(actor=world.coordinator, programme=world.programme, number=1, value="Ya")
    client.force_login(world.site_admin)
    assessment = Assessment.objects.get()
    assert client.get(reverse("admin:evaluations_assessment_changelist")).status_code == 200
    response = client.get(reverse("admin:evaluations_assessment_change", args=[assessment.pk]))
    assert response.status_code == 200 and "Manajemen Perubahan" in response.content.decode()
    assert client.get(reverse("admin:evaluations_answer_changelist")).status_code == 200
    assert client.get(reverse("admin:evaluations_answer_add")).status_code == 403


def test_the_overview_shows_each_answer_layer_on_request(client, world):
    fill(world.programme, {1: "Ya", 2: "A"})
    answer_set_tpi(actor=world.tpi, programme=world.programme, number=2, value="C")
    client.force_login(world.coordinator)
    # MP.P.i (0.5): unit (1 + 1) / 2 -> 0.50; in force (1 + 0) / 2 -> 0.25; TPI alone 0 / 2 -> 0
    for layer, total in (("unit", "0.50"), ("tpi", "0.00"), ("effective", "0.25"), ("x", "0.25")):
        page = text(client.get(url(world, "lke_overview"), {"layer": layer}))
        assert f'data-testid="total">{total}<' in page, layer
        assert re.search(r'data-testid="area-MP">.*?' + re.escape(total) + " <", page)
    page = text(client.get(url(world, "lke_overview"), {"layer": "unit"}))
    assert 'class="nav-link py-1 active" aria-current="page" href="?layer=unit"' in page


def test_the_sections_latest_status_change_and_its_note_are_shown_to_its_readers(
    client, world, django_assert_num_queries
):
    from evaluations.selectors import section_status_moves
    from evaluations.services import section_transition

    p = world.programme
    section_transition(actor=world.ketua1, programme=p, code="MP", action="submit")
    section_transition(actor=world.tpi, programme=p, code="MP", action="review", note="Lengkap")
    section = p.lke_assessment.sections.get(code="MP")
    with django_assert_num_queries(2):  # the entries, the people's names
        moves = section_status_moves(section)
    assert [(m.actor, m.old, m.new, m.note) for m in moves] == [
        (world.tpi.display_name, "submitted", "reviewed", "Lengkap"),
        (world.ketua1.display_name, "draft", "submitted", ""),
    ]
    for user in (world.anggota1, world.pimpinan, world.anggota2):
        client.force_login(user)
        page = client.get(url(world, "lke_section", section="MP")).content.decode()
        assert f"Reviewed by TPI: by {world.tpi.display_name}" in page
        assert 'data-testid="status-move-note"' in page and "Lengkap" in page
        assert "Earlier status changes" in page

"""The stored worksheet: assessment rows, answers by layer, rights, locks and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from audit.services import audit_verify_chain
from evaluations import services
from evaluations.models import Answer, AnswerEvidence, Assessment, AssessmentSection, Status
from evaluations.scoring import AnswerInput, display
from evaluations.selectors import programme_answers, programme_breakdown
from evaluations.services import (
    WorksheetLocked,
    answer_evidence_add,
    answer_evidence_attach,
    answer_evidence_detach,
    answer_set_tpi,
    answer_set_unit,
    assessment_finalize,
    assessment_for,
    section_transition,
)
from surveys.loader import load_bundled_instruments
from surveys.models import SurveyResponse
from surveys.services import official_figure_set
from tests.factories import make_foreign_evidence
from tests.surveys.factories import lke_surveys

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def entries_for(obj):
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("id")
    )


def test_assessment_is_created_once_with_one_row_per_question(world):
    assessment = assessment_for(world.programme)
    assert assessment_for(world.programme) == assessment
    assert Assessment.objects.count() == 1
    assert assessment.framework == world.programme.framework
    numbers = list(assessment.answers.values_list("number", flat=True))
    assert numbers == sorted(numbers) and len(numbers) == 127 and numbers[0] == 1
    assert list(assessment.sections.values_list("code", "pokja_number", "status")) == [
        ("MP", 1, "draft"),
        ("TL", 2, "draft"),
        ("SDM", 3, "draft"),
        ("AK", 4, "draft"),
        ("PW", 5, "draft"),
        ("PP", 6, "draft"),
        ("hasil", None, "draft"),
    ]
    assert Answer.objects.get(assessment=assessment, number=126).section_code == "hasil"
    assert Answer.objects.get(assessment=assessment, number=57).section_code == "PW"
    assert len(entries_for(assessment)) == 1


def test_answers_are_normalised_stored_and_read_back_by_layer(world):
    p = world.programme
    answer_set_unit(actor=world.anggota1, programme=p, number=1, value="ya", note=" SK tim ")
    answer_set_unit(actor=world.coordinator, programme=p, number=88, value="4")
    answer_set_unit(actor=world.coordinator, programme=p, number=89, value=3)
    answer_set_tpi(
        actor=world.tpi, programme=p, number=1, value="Tidak", note="SK belum ditandatangani"
    )
    row = Answer.objects.get(assessment__programme=p, number=1)
    assert (row.unit_value, row.unit_note, row.unit_by) == ("Ya", "SK tim", world.anggota1)
    assert (row.tpi_value, row.tpi_note, row.tpi_by) == (
        "Tidak",
        "SK belum ditandatangani",
        world.tpi,
    )
    assert row.unit_at is not None and row.tpi_at is not None
    unit = programme_answers(p, "unit")
    tpi = programme_answers(p, "tpi")
    effective = programme_answers(p)
    assert set(unit) == set(range(1, 128))
    assert unit[1] == AnswerInput("Ya", False) and unit[88] == AnswerInput(4, False)
    assert tpi[1] == AnswerInput("Tidak", False) and tpi[88] == AnswerInput(None, False)
    assert effective[1].value == "Tidak" and effective[89].value == 3
    # MP.P.i (0.5): unit (1 + 0) / 2 x 0.5 = 0.25; effective: the TPI's "Tidak" wins -> 0.
    # MP.R.i (2): q89/q88 = 3/4 and q91/q90 unanswered -> 2 x (0.75 + 0) / 2 = 0.75.
    assert programme_breakdown(p, "unit").sub_areas["MP.P.i"].score == Decimal("0.25")
    assert programme_breakdown(p).sub_areas["MP.P.i"].score == 0
    assert programme_breakdown(p).sub_areas["MP.R.i"].score == Decimal("0.75")
    assert programme_breakdown(p, "tpi").areas["MP"].total == 0
    with pytest.raises(ValueError, match="unknown layer"):
        programme_answers(p, "pokja")


def test_clearing_an_answer_and_saving_unchanged_values(world):
    p = world.programme
    answer_set_unit(actor=world.anggota1, programme=p, number=2, value="B")
    row = Answer.objects.get(assessment__programme=p, number=2)
    count = AuditEntry.objects.count()
    answer_set_unit(actor=world.ketua1, programme=p, number=2, value="b")  # same answer
    assert AuditEntry.objects.count() == count
    assert Answer.objects.get(pk=row.pk).unit_by == world.anggota1
    answer_set_unit(actor=world.ketua1, programme=p, number=2, value="")
    assert programme_answers(p, "unit")[2].value is None
    assert entries_for(row)[-1].changes == {"unit_value": ["B", ""]}


@pytest.mark.parametrize(
    ("number", "value", "message"),
    [
        (2, "Z", "Question 2: “Z” is not allowed; allowed: one of A, B, C."),
        (88, "-1", "Question 88: “-1” is not allowed; allowed: a whole number, 0 or more."),
        (88, "1.5", "Question 88: “1.5” is not allowed; allowed: a whole number, 0 or more."),
        (300, "A", "Question 300 does not exist in this worksheet."),
    ],
)
def test_bad_values_are_refused_with_the_question_named(world, number, value, message):
    with pytest.raises(ValidationError) as info:
        answer_set_unit(
            actor=world.coordinator, programme=world.programme, number=number, value=value
        )
    assert message in str(info.value)


def test_survey_questions_take_the_figure_in_force_and_refuse_answers(world):
    p = world.programme
    # q125 has an official figure; q127 is fed by a survey instrument that nobody answered.
    load_bundled_instruments()
    official_figure_set(
        actor=world.coordinator, programme=p, question=125, index=Decimal("3.61"), source="TPN/BPS"
    )
    answers = programme_answers(p)
    assert answers[125].value == Decimal("3.61") and answers[127].value is None
    assert programme_answers(p, "tpi")[125].value == Decimal("3.61")
    # q125 = 3.61 / 4 x 17.5 = 15.79375 -> 15.79
    assert display(programme_breakdown(p).hasil_items["ipak"].score) == Decimal("15.79")
    for number in (125, 127):
        with pytest.raises(ValidationError, match="takes its value from the surveys"):
            answer_set_unit(actor=world.coordinator, programme=p, number=number, value="3")
        with pytest.raises(ValidationError, match="takes its value from the surveys"):
            answer_set_tpi(actor=world.tpi, programme=p, number=number, value="3")


def test_saving_an_answer_reads_no_survey_response(world):
    """Which questions the surveys feed is read from the instruments: an answer saved does
    not aggregate the surveys' responses (as many as respondents there are)."""
    lke_surveys(world.programme)  # both surveys in force, 30 respondents each
    with CaptureQueriesContext(connection) as queries:
        answer_set_unit(actor=world.coordinator, programme=world.programme, number=1, value="Ya")
    response_table = SurveyResponse._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if response_table in q["sql"]]
    with pytest.raises(ValidationError, match="takes its value from the surveys"):
        answer_set_unit(actor=world.coordinator, programme=world.programme, number=125, value="3")


ROLE_CASES = [
    # (role, question, unit allowed, tpi allowed)
    ("coordinator", 1, True, False),
    ("coordinator", 126, True, False),
    ("ketua1", 1, True, False),
    ("anggota1", 1, True, False),
    ("anggota1", 13, False, False),  # TL belongs to Pokja 2
    ("anggota1", 126, False, False),  # HASIL is the coordinator's
    ("anggota2", 13, True, False),
    ("anggota2", 1, False, False),
    ("tpi", 1, False, True),
    ("pimpinan", 1, False, False),
    ("unit_admin", 1, False, False),
    ("site_admin", 1, True, True),
    ("outsider", 1, False, False),
]


@pytest.mark.parametrize(("role", "number", "unit_ok", "tpi_ok"), ROLE_CASES)
def test_who_may_answer_what(world, role, number, unit_ok, tpi_ok):
    user = getattr(world, role)
    value = "A" if number != 1 else "Ya"
    for setter, allowed in ((answer_set_unit, unit_ok), (answer_set_tpi, tpi_ok)):
        if allowed:
            setter(actor=user, programme=world.programme, number=number, value=value)
        else:
            with pytest.raises(PermissionDenied):
                setter(actor=user, programme=world.programme, number=number, value=value)


def test_every_change_is_audited_with_old_and_new_values(world):
    p = world.programme
    answer_set_unit(actor=world.anggota1, programme=p, number=4, value="B", note="Rapat 1")
    answer_set_unit(actor=world.anggota1, programme=p, number=4, value="A", note="Rapat 2")
    answer_set_tpi(actor=world.tpi, programme=p, number=4, value="C", note="Kurang bukti")
    row = Answer.objects.get(assessment__programme=p, number=4)
    changes = [(e.actor_username, e.action, e.changes) for e in entries_for(row)]
    assert changes == [
        ("anggota1", "update", {"unit_note": ["", "Rapat 1"], "unit_value": ["", "B"]}),
        ("anggota1", "update", {"unit_note": ["Rapat 1", "Rapat 2"], "unit_value": ["B", "A"]}),
        ("tpi", "update", {"tpi_note": ["", "Kurang bukti"], "tpi_value": ["", "C"]}),
    ]
    assert entries_for(row)[0].programme_id == p.pk
    assert audit_verify_chain().ok


def test_evidence_files_links_and_existing_pieces(world):
    p = world.programme
    upload = SimpleUploadedFile("sk-tim.pdf", PDF, content_type="application/pdf")
    evidence = answer_evidence_add(
        actor=world.anggota1, programme=p, number=1, uploaded=upload, title="SK Tim Pokja"
    )
    assert evidence.pokja == world.pokjas[1] and evidence.title == "SK Tim Pokja"
    link = answer_evidence_add(
        actor=world.anggota1, programme=p, number=1, url="https://example.go.id/foto", title="Foto"
    )
    # the same piece supports a second answer
    answer_evidence_attach(actor=world.anggota1, programme=p, number=2, evidence=evidence)
    assert programme_answers(p, "unit")[1].has_evidence
    assert programme_answers(p, "unit")[2].has_evidence
    row = Answer.objects.get(assessment__programme=p, number=1)
    assert set(row.evidence.all()) == {evidence, link}
    answer_evidence_detach(actor=world.anggota1, programme=p, number=1, evidence=link)
    assert list(row.evidence.all()) == [evidence]
    assert [e.changes for e in entries_for(row)] == [
        {"evidence": [[], [evidence.pk]]},
        {"evidence": [[evidence.pk], sorted([evidence.pk, link.pk])]},
        {"evidence": [sorted([evidence.pk, link.pk]), [evidence.pk]]},
    ]
    with pytest.raises(PermissionDenied):
        answer_evidence_attach(actor=world.anggota2, programme=p, number=1, evidence=link)


def test_evidence_of_another_programme_cannot_be_attached(world):
    foreign = make_foreign_evidence(world)
    with pytest.raises(ValidationError, match="another programme"):
        answer_evidence_attach(
            actor=world.coordinator, programme=world.programme, number=1, evidence=foreign
        )
    assert not AnswerEvidence.objects.exists()


def test_a_bad_upload_stores_nothing(world):
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" * 100, content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        answer_evidence_add(
            actor=world.anggota1, programme=world.programme, number=1, uploaded=upload
        )
    assert "not accepted" in str(info.value)
    assert not world.programme.evidence.exists()


def test_submitted_area_locks_the_unit_but_not_the_tpi(world):
    p = world.programme
    answer_set_unit(actor=world.anggota1, programme=p, number=1, value="Ya")
    with pytest.raises(PermissionDenied):  # members do not submit, their chair does
        section_transition(actor=world.anggota1, programme=p, code="MP", action="submit")
    section = section_transition(actor=world.ketua1, programme=p, code="MP", action="submit")
    assert section.status == Status.SUBMITTED and section.submitted_by == world.ketua1
    with pytest.raises(WorksheetLocked) as info:
        answer_set_unit(actor=world.anggota1, programme=p, number=1, value="Tidak")
    assert "Manajemen Perubahan is submitted" in str(info.value)
    with pytest.raises(WorksheetLocked):
        answer_evidence_add(
            actor=world.coordinator, programme=p, number=1, url="https://example.go.id", title="x"
        )
    assert not p.evidence.exists()  # refused before anything was stored
    answer_set_unit(actor=world.anggota2, programme=p, number=13, value="A")  # TL still open
    answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Tidak")
    section_transition(actor=world.tpi, programme=p, code="MP", action="review")
    with pytest.raises(WorksheetLocked, match="reviewed by the TPI"):
        answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya")
    # the unit's value is unchanged, the TPI's is in force
    assert programme_answers(p)[1].value == "Tidak"
    assert programme_answers(p, "unit")[1].value == "Ya"


def test_returning_to_draft_unlocks_and_everything_is_audited(world):
    p = world.programme
    section_transition(actor=world.coordinator, programme=p, code="MP", action="submit")
    section_transition(
        actor=world.tpi, programme=p, code="MP", action="return", note="Lengkapi bukti q3"
    )
    answer_set_unit(actor=world.anggota1, programme=p, number=4, value="A")
    section = AssessmentSection.objects.get(assessment__programme=p, code="MP")
    assert [(e.actor_username, e.changes, e.note) for e in entries_for(section)] == [
        ("koordinator", {"status": ["draft", "submitted"]}, ""),
        ("tpi", {"status": ["submitted", "draft"]}, "Lengkapi bukti q3"),
    ]


def test_transitions_follow_the_workflow(world):
    p = world.programme
    with pytest.raises(WorksheetLocked, match="is draft"):
        section_transition(actor=world.tpi, programme=p, code="MP", action="review")
    with pytest.raises(PermissionDenied):
        section_transition(actor=world.ketua2, programme=p, code="MP", action="submit")
    with pytest.raises(PermissionDenied):  # HASIL is submitted by the coordinator
        section_transition(actor=world.ketua1, programme=p, code="hasil", action="submit")
    with pytest.raises(ValidationError, match="Unknown action"):
        section_transition(actor=world.coordinator, programme=p, code="MP", action="approve")
    with pytest.raises(ValidationError, match="no section"):
        section_transition(actor=world.coordinator, programme=p, code="XX", action="submit")
    section_transition(actor=world.coordinator, programme=p, code="MP", action="submit")
    with pytest.raises(PermissionDenied):
        section_transition(actor=world.coordinator, programme=p, code="MP", action="review")
    section_transition(actor=world.tpi, programme=p, code="MP", action="review")
    with pytest.raises(PermissionDenied):
        section_transition(actor=world.tpi, programme=p, code="MP", action="finalize")
    section_transition(actor=world.coordinator, programme=p, code="MP", action="finalize")
    assessment = Assessment.objects.get(programme=p)
    assert assessment.status == Status.DRAFT  # the lowest of its sections
    with pytest.raises(WorksheetLocked, match="is final"):
        answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya")
    with pytest.raises(PermissionDenied):
        section_transition(actor=world.coordinator, programme=p, code="MP", action="unlock")
    section_transition(actor=world.site_admin, programme=p, code="MP", action="unlock")
    with pytest.raises(WorksheetLocked, match="reviewed by the TPI"):
        answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya")
    section_transition(actor=world.tpi, programme=p, code="MP", action="reopen")
    answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya")


def test_finalising_the_assessment_needs_every_section_reviewed(world):
    p = world.programme
    codes = ["MP", "TL", "SDM", "AK", "PW", "PP", "hasil"]
    for code in codes[:-1]:
        section_transition(actor=world.coordinator, programme=p, code=code, action="submit")
        section_transition(actor=world.tpi, programme=p, code=code, action="review")
    with pytest.raises(PermissionDenied):
        assessment_finalize(actor=world.tpi, programme=p)
    with pytest.raises(WorksheetLocked, match="Not yet reviewed by the TPI: Hasil"):
        assessment_finalize(actor=world.coordinator, programme=p)
    section_transition(actor=world.coordinator, programme=p, code="hasil", action="submit")
    assert Assessment.objects.get(programme=p).status == Status.SUBMITTED
    section_transition(actor=world.tpi, programme=p, code="hasil", action="review")
    assert Assessment.objects.get(programme=p).status == Status.REVIEWED
    assessment = assessment_finalize(actor=world.coordinator, programme=p)
    assert assessment.status == Status.FINAL and assessment.is_final
    for number, setter, user in [
        (1, answer_set_unit, world.coordinator),
        (1, answer_set_tpi, world.tpi),
        (126, answer_set_unit, world.coordinator),
    ]:
        with pytest.raises(WorksheetLocked, match="is final"):
            setter(actor=user, programme=p, number=number, value="A" if number == 126 else "Ya")


def test_system_actor_is_not_checked_but_locks_still_hold(world):
    p = world.programme
    answer_set_unit(actor=None, programme=p, number=1, value="Ya")
    section_transition(actor=None, programme=p, code="MP", action="submit")
    with pytest.raises(WorksheetLocked):
        services.answer_set_unit(actor=None, programme=p, number=1, value="Tidak")
    entry = entries_for(Answer.objects.get(assessment__programme=p, number=1))[0]
    assert entry.actor_username == "system"


def test_breakdown_reads_in_constant_queries_as_answers_and_evidence_grow(
    world, django_assert_num_queries
):
    p = world.programme
    assessment_for(p)
    p.framework.spec  # noqa: B018 - the programme's framework is loaded with it in the views
    # One query for both answer layers, one for the survey figures in force
    # (surveys.selectors.lke_survey_figures; no survey has responses here).
    with django_assert_num_queries(2):
        empty = programme_breakdown(p)
    for number in range(1, 13):
        answer_set_unit(
            actor=world.coordinator,
            programme=p,
            number=number,
            value="Ya" if number in (1, 3, 9) else "A",
        )
        answer_evidence_add(
            actor=world.coordinator,
            programme=p,
            number=number,
            url=f"https://example.go.id/bukti/{number}",
            title=f"Bukti {number}",
        )
        answer_set_tpi(
            actor=world.tpi, programme=p, number=number, value="Ya" if number in (1, 3, 9) else "B"
        )
    with django_assert_num_queries(2):
        full = programme_breakdown(p)
    assert full.areas["MP"].completeness.with_evidence == 12
    assert full.total > empty.total


def test_a_programme_on_a_second_framework_gets_its_own_worksheet(world):
    from pathlib import Path

    from evaluations.loader import load_framework_path
    from tests.factories import make_programme

    mini = load_framework_path(Path(__file__).parent / "data" / "mini-framework.json").framework
    programme = make_programme(framework=mini, year=2030)
    assert [p.area_code for p in programme.pokjas.all()] == ["X", "Y"]
    assessment = assessment_for(programme)
    assert assessment.answers.count() == 16
    assert list(assessment.sections.values_list("code", flat=True)) == ["X", "Y", "hasil"]
    # q15 is an index on 1..4 that no survey feeds: the coordinator enters it.
    with pytest.raises(
        ValidationError, match=r"Question 15: “5” is not allowed; allowed: a number from 1 to 4\."
    ):
        answer_set_unit(actor=None, programme=programme, number=15, value="5")
    answer_set_unit(actor=None, programme=programme, number=15, value="3,25")
    answer_set_unit(actor=None, programme=programme, number=1, value="Ya")
    answer_set_unit(actor=None, programme=programme, number=7, value=4)
    answer_set_unit(actor=None, programme=programme, number=8, value=3)
    b = programme_breakdown(programme)
    assert b.framework == "mini-2030"
    # skm (25): (3.25 - 1) / 3 = 0.75 -> 18.75; X.P.i (12.5) x (1 + 0) / 2 = 6.25; X.R.i 20 x 3/4
    assert b.hasil_items["skm"].score == Decimal("18.75")
    assert b.sub_areas["X.P.i"].score == Decimal("6.25")
    assert b.sub_areas["X.R.i"].score == Decimal("15")
    with pytest.raises(ValidationError, match="Question 17 does not exist"):
        answer_set_unit(actor=None, programme=programme, number=17, value="A")
    # the lke-2021 worksheet is untouched by the mini one
    assert assessment_for(world.programme).answers.count() == 127


@pytest.mark.postgres
def test_concurrent_first_visits_create_one_worksheet(transactional_db):
    from tests.factories import make_programme
    from tests.threads import at_once

    programme = make_programme()
    results, errors = at_once(lambda: assessment_for(programme).pk, 4)
    assert not errors
    assert len(set(results)) == 1
    assert Assessment.objects.count() == 1
    assert Answer.objects.count() == 127

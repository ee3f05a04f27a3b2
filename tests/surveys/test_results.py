"""Results computed in the database: hand-computed indices, targets, counts, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.indices import lke_score
from surveys.models import Survey
from surveys.selectors import lke_question_weights, survey_report
from surveys.services import survey_results_refresh, survey_update
from tests.surveys.factories import add_responses, make_survey, rows_with_total, uniform

pytestmark = pytest.mark.django_db
D = Decimal

U = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")


def skm_rows(*rows: tuple[int | None, ...]) -> list[dict[str, int | None]]:
    return [dict(zip(U, row, strict=True)) for row in rows]


def test_ikm_by_hand_from_stored_responses(programme):
    survey = make_survey(programme, "skm-2017")
    add_responses(
        survey,
        skm_rows(
            (4, 4, 4, 4, 4, 4, 4, 4, 4),
            (3, 3, 3, 3, 3, 3, 3, 3, 3),
            (4, 3, 4, 3, 4, 3, 4, 3, 4),
            (2, 3, 3, 3, 3, 4, 3, 2, 3),
        ),
    )
    report = survey_report(survey)
    # NRR: U1 13/4, U2 13/4, U3 14/4, U4 13/4, U5 14/4, U6 14/4, U7 14/4, U8 12/4, U9 14/4
    assert [item.mean for item in report.items] == [
        D("3.25"),
        D("3.25"),
        D("3.5"),
        D("3.25"),
        D("3.5"),
        D("3.5"),
        D("3.5"),
        D("3"),
        D("3.5"),
    ]
    # IKM = (30.25 / 9) x 25 = 84.0277... -> 84.03, B (76.61 - 88.30), Baik
    ikm = report.result.ikm
    assert (ikm.shown, ikm.quality, ikm.category.id) == (D("84.03"), "B", "Baik")
    assert report.index_shown == D("3.36")
    assert report.result.lke_score is None  # SKM feeds no LKE question


@pytest.mark.parametrize(
    ("respondents", "total", "shown", "quality", "category"),
    [
        # 25 x 1379 / 450 = 76.6111 -> 76.61: the lowest B
        (50, 1379, "76.61", "B", "Baik"),
        # 25 x 5515 / 1800 = 76.5972 -> 76.60: the highest C
        (200, 5515, "76.60", "C", "Kurang Baik"),
        # 25 x 3179 / 900 = 88.3055 -> 88.31: the lowest A
        (100, 3179, "88.31", "A", "Sangat Baik"),
        # 25 x 7947 / 2250 = 88.30 exactly: the highest B
        (250, 7947, "88.30", "B", "Baik"),
        # 25 x 2925 / 1800 = 40.625 -> 40.63: D
        (200, 1800 + 1125, "40.63", "D", "Tidak Baik"),
    ],
)
def test_ikm_at_the_band_boundaries(programme, respondents, total, shown, quality, category):
    survey = make_survey(programme, "skm-2017")
    add_responses(survey, rows_with_total(U, respondents, total))
    ikm = survey_report(survey).result.ikm
    assert (str(ikm.shown), ikm.quality, ikm.category.id) == (shown, quality, category)


def test_an_empty_answer_is_left_out_of_its_element(programme):
    survey = make_survey(programme, "skm-2017")
    add_responses(survey, skm_rows((4, 4, 4, 4, 4, 4, 4, 4, 4), (2, None, 2, 2, 2, 2, 2, 2, 2)))
    report = survey_report(survey)
    u2 = report.items[1]
    assert (u2.answered, u2.mean) == (1, D("4"))
    # (8 x 3 + 4) / 9 x 25 = 77.777... -> 77.78
    assert report.result.ikm.shown == D("77.78")


def test_perception_index_and_its_lke_score_with_the_weight_of_the_framework(programme):
    survey = make_survey(programme, "spak-2021")
    codes = survey.spec.item_codes
    add_responses(survey, [uniform(survey, 4)] * 3 + [dict.fromkeys(codes, 3)])
    report = survey_report(survey)
    assert report.result.index == D("3.75")
    weight = lke_question_weights(programme)[125]
    assert weight == programme.framework.spec.hasil_item("ipak").weight
    assert report.lke_weight == weight
    assert report.result.lke_score == lke_score(D("3.75"), weight)
    assert report.lke_score_shown == D("16.41")  # 3.75 / 4 x 17.5 = 16.40625


@pytest.mark.parametrize(("population", "target"), [(100, 80), (1000, 278), (10000, 370)])
def test_the_target_follows_krejcie_morgan(programme, population, target):
    survey = make_survey(programme, population=population)
    assert survey.target_sample == target


def test_the_target_is_at_least_the_minimum_within_the_population(programme, coordinator):
    survey = make_survey(programme, population=40)
    assert survey.target_sample == 37  # 38.41 / 1.05775 = 36.31, rounded up
    survey = survey_update(actor=coordinator, survey=survey, population=25)
    assert survey.target_sample == 25  # nobody beyond the population
    survey = survey_update(actor=coordinator, survey=survey, population=31)
    assert survey.target_sample == 30  # Krejcie-Morgan gives 29: the minimum of 30 governs
    survey.refresh_from_db()
    assert survey.target_sample == 30


def test_counts_per_service_and_profile_group(programme):
    survey = make_survey(programme, "spkp-2021")
    add_responses(survey, [uniform(survey, 3)] * 3, service="sim", profile={"sex": "P"})
    add_responses(survey, [uniform(survey, 4)] * 2, service="skck", profile={"age_band": "20_29"})
    add_responses(survey, [uniform(survey, 2)])
    report = survey_report(survey)
    assert [(s.code, s.count, s.percent) for s in report.services] == [
        ("sim", 3, D("50.00")),
        ("skck", 2, D("33.33")),
        ("laporan", 0, D("0.00")),
    ]
    assert report.services_unanswered == 1
    sex = next(p for p in report.profile if p.field.code == "sex")
    assert [(g.code, g.count) for g in sex.groups] == [("L", 0), ("P", 3)]
    assert sex.unanswered == 3
    age = next(p for p in report.profile if p.field.code == "age_band")
    assert {g.code: g.count for g in age.groups}["20_29"] == 2
    p1 = report.items[0]
    assert [(v.value, v.count) for v in p1.values] == [(1, 0), (2, 1), (3, 3), (4, 2)]
    # Mean (3 x 3 + 2 x 4 + 2) / 6 = 19 / 6, and the confidence interval around the index.
    assert p1.mean_shown == D("3.17")
    low, high = report.interval_shown
    assert D(1) <= low < report.index_shown < high <= D(4)


def test_the_refresh_stores_a_summary(programme):
    survey = make_survey(programme, "skm-2017")
    add_responses(survey, rows_with_total(U, 50, 1379))
    assert survey_results_refresh(survey_id=survey.pk) is not None
    survey.refresh_from_db()
    assert survey.results["ikm"] == "76.61" and survey.results["quality"] == "B"
    assert survey.results["respondents"] == 50
    assert survey.results_computed_at is not None
    assert survey_results_refresh(survey_id=999_999) is None  # gone: nothing to do


def _results_page(client, survey):
    return reverse(
        "survey_detail",
        kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "survey_id": survey.pk},
    )


def test_the_results_page_shows_the_figures(client, coordinator, programme):
    survey = make_survey(programme, "skm-2017")
    add_responses(survey, rows_with_total(U, 100, 3179), service="sim")
    client.force_login(coordinator)
    response = client.get(_results_page(client, survey))
    html = response.content.decode()
    assert 'data-testid="ikm">88.31<' in html
    assert 'data-testid="ikm-quality">A<' in html
    assert "Very good" in html  # the category in the language of the page
    assert 'data-testid="respondents">100 <span class="fs-6 text-body-secondary">/ 278' in html
    assert 'style="' not in html
    # Each element's chart has its numbers in a table.
    assert html.count('<rect class="bar" ') >= 9 * 4 + 9  # answers per value, and the means
    assert html.count("<table") >= 9


def test_the_results_page_takes_the_same_queries_for_10_and_10000_responses(
    client, coordinator, programme, django_assert_num_queries
):
    survey = make_survey(programme, "spak-2021")
    add_responses(survey, [uniform(survey, 4)] * 10, service="sim", profile={"sex": "L"})
    client.force_login(coordinator)
    page = _results_page(client, survey)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    add_responses(
        survey,
        [uniform(survey, 3), uniform(survey, 2)] * 4995,
        service="skck",
        profile={"sex": "P", "age_band": "30_39"},
    )
    assert survey.responses.count() == 10_000
    with django_assert_num_queries(len(small.captured_queries)) as large:
        response = client.get(page)
    assert response.context["report"].respondents == 10_000
    # session, user, programme, roles (2), survey, framework-free figures, one aggregate for
    # this survey and the LKE's figures: a fixed handful, whatever the number of responses
    assert len(large.captured_queries) <= 12


def test_the_survey_list_takes_the_same_queries_however_many_surveys(
    client, coordinator, programme, django_assert_num_queries
):
    client.force_login(coordinator)
    page = reverse("survey_list", kwargs={"unit_code": "POLRES-ALPHA", "year": 2026})
    for slug in ("spak-2021", "spkp-2021"):  # q125 and q127 each have an own survey
        survey = make_survey(programme, slug)
        add_responses(survey, [uniform(survey, 3)] * 2)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for slug in ("skm-2017", "spak-2021", "spkp-2021", "skm-2017") * 3:
        survey = make_survey(programme, slug)
        add_responses(survey, [uniform(survey, 4)] * 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page)
    assert len(response.context["surveys"]) == 14


def test_a_draft_survey_is_not_counted_for_the_lke(programme):
    from surveys.selectors import lke_survey_figures

    survey = make_survey(programme, status=Survey.Status.DRAFT)
    add_responses(survey, [uniform(survey, 4)] * 5)
    assert lke_survey_figures(programme)[125].source == "none"

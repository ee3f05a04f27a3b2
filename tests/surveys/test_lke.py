"""Survey indices into LKE questions 125 and 127: the own survey, or the official figure."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.selectors import audit_history_for
from surveys.models import OfficialFigure, Survey
from surveys.selectors import LkeSurveyFigure, lke_survey_figures
from surveys.services import official_figure_clear, official_figure_set
from tests.surveys.factories import add_responses, make_survey, uniform

pytestmark = pytest.mark.django_db
D = Decimal


def test_without_surveys_no_question_has_a_figure(programme, instruments):
    figures = lke_survey_figures(programme)
    assert set(figures) == {125, 127}  # the questions the instruments feed
    assert all(f.source == "none" and f.index is None for f in figures.values())
    assert isinstance(figures[125], LkeSurveyFigure)


def test_only_questions_an_instrument_feeds_are_survey_figures(programme):
    assert lke_survey_figures(programme) == {}  # no instrument loaded yet
    from surveys.loader import load_bundled_instrument

    load_bundled_instrument("skm-2017")  # feeds no LKE question
    assert lke_survey_figures(programme) == {}
    load_bundled_instrument("spkp-2021")
    assert set(lke_survey_figures(programme)) == {127}


def test_the_lke_takes_the_index_of_the_programmes_own_survey(programme):
    spak = make_survey(programme, "spak-2021")
    add_responses(spak, [uniform(spak, 4)] * 3 + [uniform(spak, 3)])
    spkp = make_survey(programme, "spkp-2021")
    add_responses(spkp, [uniform(spkp, 3)] * 2 + [uniform(spkp, 2)])
    skm = make_survey(programme, "skm-2017")  # feeds no LKE question
    add_responses(skm, [uniform(skm, 1)] * 5)
    figures = lke_survey_figures(programme)
    assert figures[125].source == "survey"
    assert figures[125].index == D("3.75")
    assert (figures[125].survey_id, figures[125].respondents) == (spak.pk, 4)
    assert spak.title in figures[125].label
    # (3 + 3 + 2) / 3 on every item
    assert figures[127].index == D(8) / D(3)
    assert figures[127].survey_id == spkp.pk


def test_the_survey_that_ended_last_is_in_force(programme, world):
    today = datetime.date.today()
    older = make_survey(
        programme,
        start=today - datetime.timedelta(days=200),
        end=today - datetime.timedelta(days=100),
        title="Semester 1",
    )
    add_responses(older, [uniform(older, 2)] * 3)
    newer = make_survey(programme, title="Semester 2")
    add_responses(newer, [uniform(newer, 4)] * 3)
    empty = make_survey(  # published and later still, but nobody answered yet
        programme, end=today + datetime.timedelta(days=60), title="Semester 3"
    )
    assert empty.responses.count() == 0
    other_programme = make_survey(world.other_programme, title="Elsewhere")
    add_responses(other_programme, [uniform(other_programme, 1)] * 3)
    figure = lke_survey_figures(programme)[125]
    assert (figure.survey_id, figure.index) == (newer.pk, D(4))


def test_an_official_figure_wins_and_removing_it_brings_the_survey_back(
    programme, coordinator, instruments
):
    spak = make_survey(programme, "spak-2021")
    add_responses(spak, [uniform(spak, 4)] * 3)
    official_figure_set(
        actor=coordinator,
        programme=programme,
        question=125,
        index=D("3.62"),
        source="TPN/BPS 2026",
    )
    figure = lke_survey_figures(programme)[125]
    assert (figure.source, figure.index, figure.survey_id) == ("official", D("3.62"), None)
    assert "TPN/BPS 2026" in figure.label
    assert lke_survey_figures(programme)[127].source == "none"  # only q125 was entered
    # Correcting it is audited with before and after.
    official_figure_set(
        actor=coordinator, programme=programme, question=125, index=D("3.64"), source="TPN"
    )
    entry = audit_history_for(OfficialFigure.objects.get()).first()
    assert entry.changes["index"] == ["3.6200", "3.6400"]
    assert official_figure_clear(actor=coordinator, programme=programme, question=125)
    figure = lke_survey_figures(programme)[125]
    assert (figure.source, figure.index) == ("survey", D(4))


def test_the_official_figure_form(client, coordinator, programme, instruments):
    client.force_login(coordinator)
    page = reverse(
        "official_figure", kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "question": 127}
    )
    assert client.get(page).status_code == 200
    refused = client.post(page, {"index": "4.5", "source": "TPN"})
    assert refused.status_code == 200 and refused.context["form"].errors["index"]
    response = client.post(page, {"index": "3.21", "source": "TPN/BPS, surat 12/2026"})
    assert response.status_code == 302
    assert lke_survey_figures(programme)[127].index == D("3.21")
    listing = client.get(reverse("survey_list", kwargs={"unit_code": "POLRES-ALPHA", "year": 2026}))
    html = listing.content.decode()
    assert 'data-testid="lke-q127" data-source="official"' in html
    assert "14.04 / 17.5" in html  # 3.21 / 4 x 17.5 = 14.04375
    client.post(page, {"remove": "1"})
    assert not OfficialFigure.objects.exists()
    # Questions that take no survey index have no official figure.
    other = reverse(
        "official_figure", kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "question": 126}
    )
    assert client.get(other).status_code == 404


def test_the_results_page_says_which_source_is_in_force(client, coordinator, programme):
    spak = make_survey(programme, "spak-2021")
    add_responses(spak, [uniform(spak, 4)] * 3)
    client.force_login(coordinator)
    page = reverse(
        "survey_detail",
        kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "survey_id": spak.pk},
    )
    assert "This survey's index is the one the LKE uses." in client.get(page).content.decode()
    official_figure_set(
        actor=coordinator, programme=programme, question=125, index=D("3.5"), source="TPN"
    )
    assert b"The official figure is in force" in client.get(page).content


def test_a_draft_or_unanswered_item_survey_gives_no_index(programme):
    survey = make_survey(programme, "spak-2021")
    add_responses(survey, [{"K1": 4}])  # only one item answered
    figure = lke_survey_figures(programme)[125]
    assert figure.source == "survey" and figure.index is None
    assert "no index yet" in figure.label and "K2" in figure.label
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)
    assert lke_survey_figures(programme)[125].source == "none"


def test_the_figures_take_a_fixed_number_of_queries(programme, django_assert_max_num_queries):
    for slug in ("spak-2021", "spkp-2021", "spak-2021", "spkp-2021"):
        survey = make_survey(programme, slug)
        add_responses(survey, [uniform(survey, 3)] * 40)
    programme.framework  # noqa: B018 - loaded with the programme on every page
    with django_assert_max_num_queries(4):
        lke_survey_figures(programme)

"""Surveys and responses for tests."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence

from django.utils import timezone

from surveys.loader import load_bundled_instrument
from surveys.models import Survey, SurveyResponse
from surveys.services import Answers, build_response, survey_create

SERVICES = [
    {"code": "sim", "name": "SIM"},
    {"code": "skck", "name": "SKCK"},
    {"code": "laporan", "name": "Laporan polisi"},
]


def make_survey(
    programme,
    slug: str = "spak-2021",
    *,
    mode: str = Survey.Mode.OPEN,
    status: str = Survey.Status.PUBLISHED,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    population: int = 1000,
    services: list[dict[str, str]] | None = None,
    title: str | None = None,
    actor=None,
) -> Survey:
    today = timezone.localdate()
    return survey_create(
        actor=actor,
        programme=programme,
        instrument=load_bundled_instrument(slug),
        title=title or f"{slug} {programme.unit.name}",
        start_date=start or today - datetime.timedelta(days=10),
        end_date=end or today + datetime.timedelta(days=10),
        population=population,
        services=SERVICES if services is None else services,
        mode=mode,
        status=status,
    )


def add_responses(
    survey: Survey,
    rows: Iterable[Mapping[str, int | None]],
    *,
    service: str = "",
    profile: Mapping[str, str] | None = None,
    day: datetime.date | None = None,
) -> int:
    """Store responses directly (one INSERT per 1,000); rows map item codes to answers."""
    day = day or timezone.localdate()
    objects = [
        build_response(
            survey,
            Answers(
                submission_id=uuid.uuid4(),
                items=dict(row),
                profile=dict(profile or {}),
                service=service,
            ),
            SurveyResponse.Channel.ONLINE,
            day,
        )
        for row in rows
    ]
    SurveyResponse.objects.bulk_create(objects, batch_size=1000)
    return len(objects)


def uniform(survey: Survey, value: int) -> dict[str, int]:
    """Every item of the survey answered with `value`."""
    return dict.fromkeys(survey.spec.item_codes, value)


def rows_with_total(codes: tuple[str, ...], respondents: int, total: int) -> list[dict[str, int]]:
    """Full responses (every item answered) whose answers add up to `total`.

    Starts from all 4s and lowers answers one step at a time, spreading the steps over
    cells, so the IKM is 25 x total / (items x respondents) exactly.
    """
    cells = len(codes) * respondents
    deficit = 4 * cells - total
    if not 0 <= deficit <= 3 * cells:
        raise ValueError("total impossible for answers in 1..4")
    values = [4] * cells
    position = 0
    while deficit:
        if values[position % cells] > 1:
            values[position % cells] -= 1
            deficit -= 1
        position += 1
    return [
        dict(zip(codes, values[r * len(codes) : (r + 1) * len(codes)], strict=True))
        for r in range(respondents)
    ]


FULL_MARKS = (4,) * 30  # the instruments' minimum of 30 respondents, each at the top of the scale


def lke_surveys(
    programme, *, ipak: Sequence[int] = FULL_MARKS, ipkp: Sequence[int] = FULL_MARKS
) -> dict[int, Survey]:
    """The programme's own SPAK (LKE q125, IPAK) and SPKP (q127, IPKP), published, with one
    response per value given, answering every item with it.

    Every item's mean is then the mean of the values, and so is the index the LKE takes
    (``surveys.selectors.lke_survey_figures``: the mean of the item means). Build them after
    a scenario's many answers: each answer reads the figures in force, two survey reports.
    """
    surveys = {}
    for question, slug, values in ((125, "spak-2021", ipak), (127, "spkp-2021", ipkp)):
        survey = make_survey(programme, slug)
        add_responses(survey, [uniform(survey, value) for value in values])
        surveys[question] = survey
    return surveys

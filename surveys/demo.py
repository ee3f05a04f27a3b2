"""Demo surveys of Polres Labuhanbatu: SPAK, SPKP and SKM with a few hundred responses.

The answers are drawn from a fixed seed so the demo shows the same figures every time: an
IPAK just above the WBK threshold of 3.60, an IPKP a little lower, an IKM in band B.
Idempotent: a survey that exists already is left as it is.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from surveys.loader import load_bundled_instrument
from surveys.models import Survey, SurveyCode, SurveyResponse
from surveys.services import (
    Answers,
    build_response,
    survey_codes_generate,
    survey_create,
    survey_results_refresh,
)

SERVICES = [
    {"code": "sim", "name": "SIM (baru dan perpanjangan) - Satpas Satlantas"},
    {"code": "skck", "name": "SKCK - Sat Intelkam"},
    {"code": "laporan", "name": "Laporan/pengaduan polisi - SPKT"},
    {"code": "kehilangan", "name": "Surat keterangan kehilangan - SPKT"},
    {"code": "bpkb", "name": "BPKB - Satlantas"},
    {"code": "keramaian", "name": "Izin keramaian - Sat Intelkam"},
]
SERVICE_WEIGHTS = [36, 26, 14, 12, 8, 4]

# (slug, title, responses, mode, answer weights for 1..4 by respondent disposition)
PLANS = [
    (
        "spak-2021",
        "Survei Persepsi Anti Korupsi Polres Labuhanbatu {year}",
        342,
        Survey.Mode.OPEN,
        {"content": [0, 1, 12, 87], "neutral": [1, 4, 38, 57], "critical": [6, 16, 42, 36]},
    ),
    (
        "spkp-2021",
        "Survei Persepsi Kualitas Pelayanan Polres Labuhanbatu {year}",
        318,
        Survey.Mode.OPEN,
        {"content": [1, 4, 38, 57], "neutral": [3, 12, 52, 33], "critical": [12, 30, 40, 18]},
    ),
    (
        "skm-2017",
        "Survei Kepuasan Masyarakat Polres Labuhanbatu {year}",
        296,
        Survey.Mode.CODES,
        {"content": [1, 3, 40, 56], "neutral": [2, 10, 55, 33], "critical": [10, 28, 44, 18]},
    ),
]
DISPOSITIONS = (["content"] * 55) + (["neutral"] * 35) + (["critical"] * 10)

PROFILE_WEIGHTS = {
    "age_band": {"lt20": 6, "20_29": 30, "30_39": 28, "40_49": 20, "50_59": 11, "ge60": 5},
    "sex": {"L": 58, "P": 42},
    "education": {"sd": 6, "smp": 12, "sma": 48, "d1_d3": 10, "d4_s1": 21, "s2_s3": 3},
    "occupation": {
        "pns": 9,
        "tni": 2,
        "polri": 2,
        "swasta": 30,
        "wirausaha": 27,
        "pelajar": 14,
        "lainnya": 16,
    },
}
POPULATION = 5200  # service users of the Polres over the half year


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _period(year: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = max(datetime.date(year, 1, 2), today - datetime.timedelta(days=150))
    return start, max(datetime.date(year, 12, 31), today)


@transaction.atomic
def seed_surveys(programme, *, seed: int = 2026) -> list[Survey]:
    """The three surveys of the demo programme with their responses (once)."""
    today = timezone.localdate()
    start, end = _period(programme.year, today)
    surveys = []
    for offset, (slug, title, count, mode, weights) in enumerate(PLANS):
        instrument = load_bundled_instrument(slug)
        title = title.format(year=programme.year)
        survey = Survey.objects.filter(programme=programme, title=title).first()
        if survey is not None:
            surveys.append(survey)
            continue
        survey = survey_create(
            actor=None,
            programme=programme,
            instrument=instrument,
            title=title,
            start_date=start,
            end_date=end,
            population=POPULATION,
            services=SERVICES,
            mode=mode,
            status=Survey.Status.PUBLISHED,
        )
        rng = random.Random(seed + offset)  # noqa: S311 - repeatable demo data
        spec = survey.spec
        days = max((min(today, end) - start).days, 0)
        rows = []
        for number in range(count):
            disposition = weights[rng.choice(DISPOSITIONS)]
            answers = Answers(
                submission_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                items={
                    code: rng.choices(list(spec.scale.values), weights=disposition)[0]
                    for code in spec.item_codes
                },
                profile={field: _pick(rng, options) for field, options in PROFILE_WEIGHTS.items()},
                service=rng.choices([s["code"] for s in SERVICES], weights=SERVICE_WEIGHTS)[0],
            )
            # About one in five answered on paper at the counter and was typed in later.
            channel = (
                SurveyResponse.Channel.PAPER if number % 5 == 4 else SurveyResponse.Channel.ONLINE
            )
            day = start + datetime.timedelta(days=rng.randint(0, days))
            rows.append(build_response(survey, answers, channel, day))
        SurveyResponse.objects.bulk_create(rows, batch_size=500)
        if mode == Survey.Mode.CODES:
            # The sheets printed so far; the online answers used their codes.
            _batch, _codes = survey_codes_generate(actor=None, survey=survey, count=480)
            online = sum(1 for row in rows if row.channel == SurveyResponse.Channel.ONLINE)
            used = list(
                SurveyCode.objects.filter(survey=survey).values_list("pk", flat=True)[:online]
            )
            SurveyCode.objects.filter(pk__in=used).update(used=True)
        survey_results_refresh(survey_id=survey.pk)
        surveys.append(survey)
    return surveys

"""The demo's figures as each page says them, in both languages: one rounding rule, one source
per figure, the framework's hierarchy, dates and numbers in the reader's language.

Hand-computed from the demo (dashboards/demo.py, evaluations/demo.py): total 64.37; MP 4.47 of
8 -> 447 / 8 = 55.875 -> 55.88%; TL 2.81 of 7 -> 40.142857 -> 40.14%; PENGUNGKIT 30.28 of 60
-> 50.4666 -> 50.47%; TLHP 3 of 6 findings settled -> 50.00%; LHKPN PW.R.iii.a 1.00 of 1.00;
pencanangan 21 March 2018, a year later 21 March 2019.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from evaluations.models import ScoreSnapshot
from figures.formatting import axis_day
from figures.palette import TONES
from pokja.models import User, programme_today

WORDS = {
    "id": {
        "mp": "55,88%",
        "tl": "40,14%",
        "pengungkit": "30,28 / 60,00",
        "pengungkit_share": "50,47%",
        "one_year": "Sejak 21 Mar 2018; tercapai pada 21 Mar 2019.",
        "tlhp": "3 dari 6 temuan selesai (50,00%).",
        "lhkpn": "LKE PW.R.iii.a bernilai 1,00 dari 1,00.",
        "total": "64,37",
        "line": "WBK 60%",
    },
    "en": {
        "mp": "55.88%",
        "tl": "40.14%",
        "pengungkit": "30.28 / 60.00",
        "pengungkit_share": "50.47%",
        "one_year": "Since 21 Mar 2018; reached on 21 Mar 2019.",
        "tlhp": "3 of 6 findings settled (50.00%).",
        "lhkpn": "LKE PW.R.iii.a scores 1.00 of 1.00.",
        "total": "64.37",
        "line": "WBK 60%",
    },
}


def page(client, path: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def chart(html: str, element: str) -> dict:
    found = re.search(rf'<script id="{element}" type="application/json">(.*?)</script>', html)
    return json.loads(html_lib.unescape(found.group(1)))


def cell(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html).group(1)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_shows_each_figure_alike_in_the_reader_language(client, demo, language):
    words = WORDS[language]
    programme = demo.programme
    # Today's snapshot was taken in the night with another total: the trend's point for today
    # is the stored score the headline shows, not that snapshot.
    ScoreSnapshot.objects.filter(programme=programme, date=programme_today()).update(
        total=Decimal("64.87")
    )
    client.force_login(User.objects.get(username="koordinator"))
    kwargs = programme.url_kwargs()
    dashboard = page(client, reverse("programme_dashboard", kwargs=kwargs), language)
    worksheet = page(client, reverse("lke_overview", kwargs=kwargs), language)
    pokja = page(client, reverse("pokja_dashboard", kwargs={**kwargs, "number": 1}), language)

    # One rule, one source: MP's share reads the same on the dashboard, the worksheet, the
    # Pokja's dashboard and in the predicate check.
    assert cell(dashboard, "area-percent-MP") == words["mp"]
    assert cell(worksheet, "area-percent-MP") == words["mp"]
    assert cell(pokja, "area-percent") == words["mp"]
    # q89 is worth 1.00 only with q88 answered too: its row says so.
    also = {"id": "· jawab juga q88", "en": "· also answer q88"}[language]
    assert cell(pokja, "also-q89") == also
    assert cell(dashboard, "area-percent-TL") == cell(worksheet, "area-percent-TL") == words["tl"]
    assert f"({words['mp'][:-1]}%)" in dashboard and f"({words['mp'][:-1]}%)" in worksheet

    # The framework's hierarchy: PEMENUHAN and REFORM make up PENGUNGKIT; HASIL's parts follow it.
    rows = re.findall(r'<tr[^>]*data-testid="(component|part)-([a-z_]+)"', dashboard)
    assert rows == [
        ("component", "pengungkit"),
        ("part", "pemenuhan"),
        ("part", "reform"),
        ("component", "hasil"),
        ("part", "bersih_akuntabel"),
        ("part", "pelayanan_prima"),
    ]
    pengungkit = re.search(r'data-testid="component-pengungkit">(.*?)</tr>', dashboard).group(1)
    assert words["pengungkit"] in pengungkit and words["pengungkit_share"] in pengungkit
    assert 'data-testid="part-reform" data-parent="pengungkit"' in dashboard

    # The headline and today's trend point are one figure.
    assert cell(dashboard, "total") == words["total"]
    trend = re.search(r'data-testid="trend-table">(.*?)</table>', dashboard).group(1)
    assert re.findall(r'<td class="text-end">([^<]+)</td>', trend)[-3] == words["total"]
    data = chart(dashboard, "trend-data")
    assert data["datasets"][0]["data"][-1] == 64.37
    assert data["datasets"][0]["texts"][-1] == words["total"]
    # Dates on the axis in the reader's language, never ISO.
    assert not any(re.search(r"\d{4}-\d\d-\d\d", label) for label in data["labels"])
    with translation.override(language):
        assert data["labels"][-1] == axis_day(programme_today())
    assert data["locale"] == ("id" if language == "id" else "en")

    # The prerequisites: dates and numbers in the reader's format.
    for key in ("one_year", "tlhp", "lhkpn"):
        assert words[key] in dashboard, key
    assert not re.search(r"\d{4}-\d\d-\d\d", re.sub(r'(href|datetime)="[^"]*"', "", dashboard))
    assert "(50.00%)" not in dashboard or language == "en"

    # Charts: the minimums' labels in the reader's format; colours by meaning, with patterns.
    areas = chart(dashboard, "areas-data")
    assert [line["label"] for line in areas["lines"]] == [words["line"], "WBBM 75%"]
    # MP's PEMENUHAN 3.05 of the area's 8: 305 / 8 = 38.125 -> 38.13%
    assert (
        areas["datasets"][0]["texts"][0]
        == {
            "id": "38,13% (3,05 / 8,00)",
            "en": "38.13% (3.05 / 8.00)",
        }[language]
    )
    plans = chart(dashboard, "plans-data")
    tones = {d["key"]: d["tone"] for d in plans["datasets"]}
    assert tones["late"] == {"colour": TONES["late"].colour, "pattern": "crosshatch"}
    assert tones["verified"]["colour"] == TONES["verified"].colour  # green, not dark red
    assert len({t["pattern"] for t in tones.values()}) == 4


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_tables_stack_on_a_phone_with_a_label_on_every_cell(client, demo, language):
    programme = demo.programme
    client.force_login(User.objects.get(username="koordinator"))
    kwargs = programme.url_kwargs()
    dashboard = page(client, reverse("programme_dashboard", kwargs=kwargs), language)
    pokja = page(client, reverse("pokja_dashboard", kwargs={**kwargs, "number": 5}), language)
    for html, testid in ((dashboard, "areas-table"), (pokja, "stakes-table")):
        table = re.search(rf'<table class="([^"]*)" data-testid="{testid}">(.*?)</table>', html)
        assert "table-stack" in table.group(1)
        body = table.group(2).split("<tbody>")[1]
        cells = re.findall(r"<td[^>]*>", body)
        assert cells and all("data-label=" in c for c in cells), testid
    assert 'data-label="WBK 60%"' in dashboard and 'data-label="WBBM 75%"' in dashboard

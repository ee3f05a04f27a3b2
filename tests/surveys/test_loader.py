"""Instruments loaded from their data files: idempotent, and versioned when a file changes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from surveys.instrument_spec import INSTRUMENTS_DIR
from surveys.models import Instrument
from tests.surveys.factories import add_responses, make_survey, uniform

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing():
    out = io.StringIO()
    call_command("load_instruments", stdout=out)
    call_command("load_instruments", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "skm-2017: loaded as version 1 (skm-2017.json)",
        "spak-2021: loaded as version 1 (spak-2021.json)",
        "spkp-2021: loaded as version 1 (spkp-2021.json)",
    ]
    assert all("unchanged, version 1" in line for line in lines[3:])
    assert Instrument.objects.count() == 3
    spak = Instrument.objects.get(slug="spak-2021")
    assert (spak.kind, spak.lke_question) == ("perception", 125)
    assert spak.spec.item_codes[0] == "K1"


def test_bundled_data_includes_the_instruments():
    call_command("load_bundled_data", stdout=io.StringIO())
    assert set(Instrument.objects.values_list("slug", flat=True)) == {
        "skm-2017",
        "spak-2021",
        "spkp-2021",
    }


def test_a_changed_file_is_a_new_version_and_surveys_keep_theirs(programme, tmp_path):
    survey = make_survey(programme, "spak-2021")
    add_responses(survey, [uniform(survey, 4)])
    data = json.loads((INSTRUMENTS_DIR / "spak-2021.json").read_text(encoding="utf-8"))
    data["items"][0]["question"]["id"] = "Pertanyaan yang diperbaiki."
    changed = tmp_path / "spak-2021.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # Reformatting alone is not a change.
    same = tmp_path / "same" / "spak-2021.json"
    same.parent.mkdir()
    original = json.loads((INSTRUMENTS_DIR / "spak-2021.json").read_text(encoding="utf-8"))
    same.write_text(json.dumps(original, indent=1, sort_keys=True), encoding="utf-8")
    out = io.StringIO()
    call_command("load_instruments", str(same), stdout=out)
    call_command("load_instruments", str(changed), stdout=out)
    assert out.getvalue().splitlines() == [
        "spak-2021: unchanged, version 1 (spak-2021.json)",
        "spak-2021: loaded as version 2 (spak-2021.json)",
    ]
    survey.refresh_from_db()
    assert survey.instrument.version == 1
    assert survey.spec.items[0].question.id != "Pertanyaan yang diperbaiki."
    assert survey.responses.get().answers["K1"] == 4
    newer = make_survey(programme, "spak-2021")  # the bundled file is still version 1
    assert newer.instrument.version == 1
    from surveys.forms import latest_instruments

    assert latest_instruments().get(slug="spak-2021").version == 2


def test_a_bad_file_is_refused_naming_the_node(tmp_path):
    data = json.loads((INSTRUMENTS_DIR / "skm-2017.json").read_text(encoding="utf-8"))
    data["items"][3]["labels"].pop("2")
    path = tmp_path / "skm-2017.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"skm-2017: items\[U4\]\.labels: no label for scale value 2"
    ):
        call_command("load_instruments", str(path))
    with pytest.raises(CommandError, match="no bundled instrument"):
        call_command("load_instruments", "skm-1999")
    assert not Instrument.objects.exists()


def test_item_codes_that_are_whole_numbers_are_refused(tmp_path):
    data = json.loads((INSTRUMENTS_DIR / "spkp-2021.json").read_text(encoding="utf-8"))
    data["items"][0]["code"] = "1"
    path = tmp_path / "spkp-2021.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="must not be whole numbers"):
        call_command("load_instruments", str(path))

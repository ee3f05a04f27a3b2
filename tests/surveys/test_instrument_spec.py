"""Instrument files: the shipped three parse, and every malformed node is named."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from surveys.instrument_spec import (
    INSTRUMENTS_DIR,
    InstrumentError,
    content_hash,
    load_instrument_file,
    parse_instrument,
)

SHIPPED = ("skm-2017", "spkp-2021", "spak-2021")


def raw(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (INSTRUMENTS_DIR / f"{slug}.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture
def skm() -> dict[str, Any]:
    return raw("skm-2017")


@pytest.fixture
def spak() -> dict[str, Any]:
    return raw("spak-2021")


def item(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["code"] == code)


def profile(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in data["profile"] if f["code"] == code)


# --- the shipped instruments -----------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_shipped_instruments_parse(slug: str) -> None:
    spec = load_instrument_file(INSTRUMENTS_DIR / f"{slug}.json")
    assert spec.slug == slug
    assert (spec.scale.min, spec.scale.max) == (1, 4)
    assert spec.minimum_respondents == 30
    assert [f.code for f in spec.profile] == [
        "age_band",
        "sex",
        "education",
        "occupation",
        "service",
    ]
    assert spec.profile_field("service").kind == "service"
    assert spec.profile_field("service").options == ()
    for it in spec.items:
        assert [p.value for p in it.labels] == [1, 2, 3, 4]


def test_skm_is_the_nine_elements_with_the_regulation_table() -> None:
    spec = load_instrument_file(INSTRUMENTS_DIR / "skm-2017.json")
    assert spec.kind == "skm"
    assert spec.lke_question is None
    assert spec.item_codes == tuple(f"U{n}" for n in range(1, 10))
    assert [i.dimension for i in spec.items] == [
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "pengaduan",
        "sarana",
    ]
    assert [p.label.id for p in spec.item("U1").labels] == [
        "Tidak sesuai",
        "Kurang sesuai",
        "Sesuai",
        "Sangat sesuai",
    ]
    assert [p.label.id for p in spec.item("U3").labels] == [
        "Tidak cepat",
        "Kurang cepat",
        "Cepat",
        "Sangat cepat",
    ]
    assert [p.label.id for p in spec.item("U4").labels] == [
        "Sangat mahal",
        "Cukup mahal",
        "Murah",
        "Gratis",
    ]
    assert spec.ikm is not None
    assert spec.ikm.conversion_factor == 25
    assert [(b.min, b.max, b.quality, b.category.id) for b in spec.ikm.bands] == [
        (Decimal("25.00"), Decimal("64.99"), "D", "Tidak Baik"),
        (Decimal("65.00"), Decimal("76.60"), "C", "Kurang Baik"),
        (Decimal("76.61"), Decimal("88.30"), "B", "Baik"),
        (Decimal("88.31"), Decimal("100.00"), "A", "Sangat Baik"),
    ]


def test_perception_instruments_feed_their_lke_questions() -> None:
    spkp = load_instrument_file(INSTRUMENTS_DIR / "spkp-2021.json")
    spak = load_instrument_file(INSTRUMENTS_DIR / "spak-2021.json")
    assert (spkp.kind, spkp.lke_question, spkp.ikm) == ("perception", 127, None)
    assert (spak.kind, spak.lke_question, spak.ikm) == ("perception", 125, None)
    # SPKP measures the nine SKM elements.
    assert {i.dimension for i in spkp.items} == {
        d.code for d in load_instrument_file(INSTRUMENTS_DIR / "skm-2017.json").dimensions
    }
    assert [d.code for d in spak.dimensions] == [
        "diskriminasi",
        "kecurangan",
        "gratifikasi",
        "pungli",
        "percaloan",
    ]
    # 4 is the best SPAK answer: no corruption seen.
    assert spak.scale.labels[-1].label.id == "Tidak pernah"
    # Perception wording is this project's, and says so.
    assert {i.origin for i in spkp.items + spak.items} == {"project"}
    assert spkp.scale.origin == spak.scale.origin == "project"


def test_items_without_labels_share_the_scale_labels(spak: dict[str, Any]) -> None:
    spec = parse_instrument(spak)
    assert spec.item("K5").labels == spec.scale.labels


# --- content hash ----------------------------------------------------------------------


def test_content_hash_is_stable_under_formatting_and_changes_with_meaning(
    skm: dict[str, Any],
) -> None:
    base = content_hash(parse_instrument(skm))
    assert base == content_hash(load_instrument_file(INSTRUMENTS_DIR / "skm-2017.json"))
    reordered = dict(reversed(list(copy.deepcopy(skm).items())))
    reordered["ikm"]["conversion_factor"] = "25.00"
    reordered["ikm"]["intervals"].reverse()
    assert content_hash(parse_instrument(reordered)) == base

    reworded = copy.deepcopy(skm)
    item(reworded, "U3")["labels"]["4"]["id"] = "Cepat sekali"
    assert content_hash(parse_instrument(reworded)) != base
    rethresholded = copy.deepcopy(skm)
    rethresholded["ikm"]["intervals"][0]["min"] = "88.32"
    rethresholded["ikm"]["intervals"][1]["max"] = "88.31"
    assert content_hash(parse_instrument(rethresholded)) != base


def test_content_hash_is_hex_sha256() -> None:
    digest = content_hash(load_instrument_file(INSTRUMENTS_DIR / "spak-2021.json"))
    assert len(digest) == 64 and int(digest, 16) >= 0


# --- validation: each error names its node ---------------------------------------------


def test_unknown_kind(skm: dict[str, Any]) -> None:
    skm["kind"] = "ikm"
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: kind: unknown kind 'ikm'; allowed: skm, perception$"
    ):
        parse_instrument(skm)


def test_duplicate_item_code(skm: dict[str, Any]) -> None:
    item(skm, "U2")["code"] = "u1"  # CSV headers match case-insensitively
    with pytest.raises(InstrumentError, match=r"^skm-2017: items: duplicate item code 'u1'$"):
        parse_instrument(skm)


def test_item_scale_label_missing_for_a_value(skm: dict[str, Any]) -> None:
    del item(skm, "U4")["labels"]["2"]
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: items\[U4\]\.labels: no label for scale value 2$"
    ):
        parse_instrument(skm)


def test_scale_label_missing_for_a_value(spak: dict[str, Any]) -> None:
    del spak["scale"]["labels"]["4"]
    with pytest.raises(
        InstrumentError, match=r"^spak-2021: scale\.labels: no label for scale value 4$"
    ):
        parse_instrument(spak)


def test_label_outside_the_scale(skm: dict[str, Any]) -> None:
    item(skm, "U9")["labels"]["5"] = {"id": "Istimewa", "en": "Superb"}
    with pytest.raises(
        InstrumentError, match=r"items\[U9\]\.labels: label for 5 lies outside the scale 1\.\.4"
    ):
        parse_instrument(skm)


def test_label_text_needs_both_languages(skm: dict[str, Any]) -> None:
    del item(skm, "U1")["labels"]["3"]["en"]
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: items\[U1\]\.labels\.3: missing key\(s\) en$"
    ):
        parse_instrument(skm)


def test_ikm_interval_gap(skm: dict[str, Any]) -> None:
    skm["ikm"]["intervals"][1]["min"] = "76.62"  # B now starts 0.02 after C ends
    with pytest.raises(
        InstrumentError,
        match=r"^skm-2017: ikm\.intervals: gap between C \(\.\.76\.60\) and B \(76\.62\.\.\)$",
    ):
        parse_instrument(skm)


def test_ikm_interval_overlap(skm: dict[str, Any]) -> None:
    skm["ikm"]["intervals"][0]["min"] = "88.30"  # A starts where B ends
    with pytest.raises(
        InstrumentError,
        match=r"^skm-2017: ikm\.intervals: B \(\.\.88\.30\) overlaps A \(88\.30\.\.\)$",
    ):
        parse_instrument(skm)


def test_ikm_intervals_must_cover_the_converted_scale(skm: dict[str, Any]) -> None:
    skm["ikm"]["intervals"][0]["max"] = "99.99"
    with pytest.raises(
        InstrumentError,
        match=r"ikm\.intervals: must cover 25\.\.100 .* they cover 25\.00\.\.99\.99",
    ):
        parse_instrument(skm)


def test_ikm_bound_with_three_decimals(skm: dict[str, Any]) -> None:
    skm["ikm"]["intervals"][1]["min"] = "76.605"
    with pytest.raises(
        InstrumentError, match=r"ikm\.intervals\[1\]\.min: 76\.605 has more than two decimals"
    ):
        parse_instrument(skm)


def test_skm_without_ikm_table(skm: dict[str, Any]) -> None:
    del skm["ikm"]
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: ikm: an skm instrument needs the IKM interval table$"
    ):
        parse_instrument(skm)


def test_perception_with_ikm_table(spak: dict[str, Any], skm: dict[str, Any]) -> None:
    spak["ikm"] = skm["ikm"]
    with pytest.raises(
        InstrumentError, match=r"^spak-2021: ikm: only an skm instrument has an IKM table$"
    ):
        parse_instrument(spak)


def test_skm_element_with_two_items(skm: dict[str, Any]) -> None:
    item(skm, "U2")["dimension"] = "persyaratan"
    with pytest.raises(
        InstrumentError,
        match=r"^skm-2017: dimensions\[prosedur\]: no item measures this dimension$",
    ):
        parse_instrument(skm)
    skm["dimensions"] = [d for d in skm["dimensions"] if d["code"] != "prosedur"]
    with pytest.raises(
        InstrumentError,
        match=r"dimensions\[persyaratan\]: an skm element needs exactly one item, found U1, U2",
    ):
        parse_instrument(skm)


def test_item_with_unknown_dimension(spak: dict[str, Any]) -> None:
    item(spak, "K3")["dimension"] = "nepotisme"
    with pytest.raises(
        InstrumentError, match=r"^spak-2021: items\[K3\]\.dimension: unknown dimension 'nepotisme'$"
    ):
        parse_instrument(spak)


def test_profile_option_codes_duplicated(skm: dict[str, Any]) -> None:
    profile(skm, "sex")["options"][1]["code"] = "l"  # "L" and "l" collide in a CSV
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: profile\[sex\]\.options: duplicate option code 'l'$"
    ):
        parse_instrument(skm)


def test_profile_field_codes_duplicated(skm: dict[str, Any]) -> None:
    profile(skm, "education")["code"] = "occupation"
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: profile: duplicate profile field code 'occupation'$"
    ):
        parse_instrument(skm)


def test_profile_field_clashing_with_an_item_code(skm: dict[str, Any]) -> None:
    profile(skm, "sex")["code"] = "u5"  # CSV headers match case-insensitively
    with pytest.raises(
        InstrumentError, match=r"^skm-2017: profile\[u5\]\.code: 'u5' is also an item code$"
    ):
        parse_instrument(skm)


def test_service_field_with_options(skm: dict[str, Any]) -> None:
    profile(skm, "service")["options"] = [{"code": "sim", "label": {"id": "SIM", "en": "Licence"}}]
    with pytest.raises(
        InstrumentError,
        match=r"profile\[service\]\.options: a service field takes its options from the survey",
    ):
        parse_instrument(skm)


def test_unknown_key_is_named(skm: dict[str, Any]) -> None:
    item(skm, "U7")["lables"] = {}
    with pytest.raises(
        InstrumentError,
        match=r"^skm-2017: items\[U7\]: unknown key\(s\) lables; allowed: code, dimension, labels, origin, question$",
    ):
        parse_instrument(skm)


def test_origin_must_be_declared_and_known(spak: dict[str, Any]) -> None:
    item(spak, "K1")["origin"] = "bps"
    with pytest.raises(
        InstrumentError,
        match=r"^spak-2021: items\[K1\]\.origin: must be one of regulation, project, got 'bps'$",
    ):
        parse_instrument(spak)


def test_lke_question_must_be_a_positive_whole_number(spak: dict[str, Any]) -> None:
    spak["lke_question"] = "125"
    with pytest.raises(
        InstrumentError, match=r"^spak-2021: lke_question: expected a whole number, got '125'$"
    ):
        parse_instrument(spak)


def test_minimum_respondents_must_be_positive(spak: dict[str, Any]) -> None:
    spak["minimum_respondents"] = 0
    with pytest.raises(
        InstrumentError, match=r"^spak-2021: minimum_respondents: must be at least 1, got 0$"
    ):
        parse_instrument(spak)


def test_bad_slug(spak: dict[str, Any]) -> None:
    spak["slug"] = "SPAK 2021"
    with pytest.raises(
        InstrumentError,
        match=r"^instrument\.slug: 'SPAK 2021' must be lower-case words joined by '-'$",
    ):
        parse_instrument(spak)


def test_unsupported_format(spak: dict[str, Any]) -> None:
    spak["format"] = 2
    with pytest.raises(
        InstrumentError, match=r"^spak-2021\.format: this code reads format 1, got 2$"
    ):
        parse_instrument(spak)


def test_slug_must_match_the_file_name(tmp_path: Path, spak: dict[str, Any]) -> None:
    path = tmp_path / "spak-2022.json"
    path.write_text(json.dumps(spak), encoding="utf-8")
    with pytest.raises(
        InstrumentError,
        match=r"spak-2022\.json: slug 'spak-2021' differs from the file name 'spak-2022'$",
    ):
        load_instrument_file(path)


def test_invalid_json_names_the_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"slug": "broken",\n  "kind": }', encoding="utf-8")
    with pytest.raises(
        InstrumentError, match=r"broken\.json: not valid JSON: Expecting value at line 2 column 11$"
    ):
        load_instrument_file(path)


def test_bare_decimal_in_file_is_read_exactly(tmp_path: Path, skm: dict[str, Any]) -> None:
    text = json.dumps(skm).replace('"min": "76.61"', '"min": 76.61')
    path = tmp_path / "skm-2017.json"
    path.write_text(text, encoding="utf-8")
    spec = load_instrument_file(path)
    assert spec.ikm is not None and spec.ikm.bands[2].min == Decimal("76.61")

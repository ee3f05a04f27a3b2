"""The framework data files and their validating parser (no Django).

The master question list is not in the repository, so lke-2021.json is checked against the
facts of the domain reference (DOMAIN.md): 127 questions, their sheet rows, the weights per
area and part, the answer values, the percentage items and the predicate table.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from evaluations.framework_spec import (
    CHOICE,
    COUNT,
    INDEX,
    FrameworkError,
    QuestionItem,
    RatioItem,
    builtin_framework_path,
    load_framework_file,
    parse_framework,
)

LKE_PATH = builtin_framework_path("lke-2021")
MINI_PATH = Path(__file__).parent / "data" / "mini-framework.json"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return json.loads(LKE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def spec():
    return load_framework_file(LKE_PATH)


def D(text: str) -> Decimal:
    return Decimal(text)


# --------------------------------------------------------------------------- lke-2021 content


def test_lke_2021_header(spec):
    assert spec.slug == "lke-2021"
    assert "Nomor 90 Tahun 2021" in spec.regulation
    assert "2026" in spec.evaluation_year_note
    assert spec.version
    assert spec.total_weight == 100
    assert spec.unanswered_item_value == 0


def test_127_questions_numbered_1_to_127_in_sheet_order(spec):
    assert spec.numbers == tuple(range(1, 128))
    rows = [q.excel.row for q in spec.questions]
    assert rows == sorted(rows) and len(set(rows)) == 127


@pytest.mark.parametrize(
    ("number", "row"),
    [
        (1, 6),
        (2, 7),
        (3, 9),
        (12, 20),
        (13, 23),
        (87, 121),
        (88, 126),
        (92, 132),
        (102, 152),
        (113, 176),
        (117, 183),
        (124, 194),
        (125, 199),
        (126, 200),
        (127, 202),
    ],
)
def test_excel_rows_of_the_official_sheet(spec, number, row):
    cell = spec.question(number).excel
    assert cell.row == row
    assert (cell.sheet, cell.unit_answer, cell.unit_note, cell.unit_evidence) == (
        "Jawaban",
        "K",
        "L",
        "M",
    )
    assert (cell.tpi_answer, cell.tpi_note) == ("N", "Q")
    assert spec.excel_rows[number] == row
    assert spec.question_at_row(row).number == number


# DOMAIN.md: area, Pokja, total, pemenuhan (questions), reform (questions)
AREAS = [
    ("MP", 1, "8", "4", (1, 12), "4", (88, 93)),
    ("TL", 2, "7", "3.5", (13, 21), "3.5", (94, 99)),
    ("SDM", 3, "10", "5", (22, 39), "5", (100, 104)),
    ("AK", 4, "10", "5", (40, 50), "5", (105, 108)),
    ("PW", 5, "15", "7.5", (51, 68), "7.5", (109, 120)),
    ("PP", 6, "10", "5", (69, 87), "5", (121, 124)),
]


@pytest.mark.parametrize(("code", "pokja", "total", "pem", "pem_q", "ref", "ref_q"), AREAS)
def test_area_weights_pokja_and_questions(spec, code, pokja, total, pem, pem_q, ref, ref_q):
    area = spec.area(code)
    assert area.pokja == pokja
    assert area.weight == D(total)
    assert dict(area.part_weights) == {"pemenuhan": D(pem), "reform": D(ref)}
    for part, (first, last) in (("pemenuhan", pem_q), ("reform", ref_q)):
        subs = spec.sub_areas_of(code, part, nested=True)
        numbers = sorted(n for s in subs for n in s.questions)
        assert numbers == list(range(first, last + 1))
        assert (
            sum(s.weight for s in spec.sub_areas_of(code, part))
            == spec.area_part(code, part).weight
        )
        for number in numbers:
            assert spec.pokja_of(number) == pokja
            assert spec.area_of(number).code == code


def test_components_parts_and_hasil_items(spec):
    assert [(c.code, c.weight) for c in spec.components] == [("pengungkit", 60), ("hasil", 40)]
    assert [(p.code, p.weight) for p in spec.parts] == [
        ("pemenuhan", 30),
        ("reform", 30),
        ("bersih_akuntabel", D("22.5")),
        ("pelayanan_prima", D("17.5")),
    ]
    items = [(h.code, h.part, h.question, h.weight) for h in spec.hasil_items]
    assert items == [
        ("ipak", "bersih_akuntabel", 125, D("17.5")),
        ("capaian_kinerja", "bersih_akuntabel", 126, 5),
        ("ipkp", "pelayanan_prima", 127, D("17.5")),
    ]
    assert spec.area_of(125) is None and spec.pokja_of(125) is None
    assert spec.sub_area_path(125) == ("hasil", "bersih_akuntabel", "ipak")


def test_answer_types_and_values(spec):
    kinds = {q.number: q.kind for q in spec.questions}
    assert sorted(n for n, k in kinds.items() if k == INDEX) == [125, 127]
    assert sorted(n for n, k in kinds.items() if k == COUNT) == [
        88,
        89,
        90,
        91,
        102,
        103,
        104,
        105,
        106,
        110,
        111,
        112,
        113,
        114,
        115,
        116,
        117,
        118,
        119,
        120,
        122,
        123,
    ]
    expected = {
        "YA_TIDAK": [("Ya", "1"), ("Tidak", "0")],
        "ABC": [("A", "1"), ("B", "0.5"), ("C", "0")],
        "ABCD": [("A", "1"), ("B", "0.67"), ("C", "0.33"), ("D", "0")],
        "ABCDE": [("A", "1"), ("B", "0.75"), ("C", "0.5"), ("D", "0.25"), ("E", "0")],
    }
    seen = set()
    for q in spec.questions:
        if q.kind == CHOICE:
            # str() of the Decimal is the data file's string: exactly "0.67", not a float.
            assert [(o.key, str(o.value)) for o in q.options] == expected[q.scheme], q.number
            assert all(o.label for o in q.options)
            seen.add(q.scheme)
        elif q.kind == COUNT:
            assert q.scheme in ("Jumlah", "jumlah") and not q.options
        else:
            assert q.scheme == "0-4" and q.index_range == (0, 4)
        assert q.text and isinstance(q.kriteria, str)
    assert seen == set(expected)
    assert spec.question(126).scheme == "ABCDE"


def _ratio(spec, code: str) -> list[tuple]:
    result = []
    for item in spec.sub_area(code).items:
        if isinstance(item, QuestionItem):
            result.append(("q", item.question))
        else:
            result.append(
                (
                    tuple((t.sign, t.question) for t in item.numerator),
                    item.denominator,
                    item.lever,
                    str(item.value_if_zero_denominator_numerator_zero),
                    str(item.value_if_zero_denominator_numerator_nonzero),
                )
            )
    return result


def test_percentage_items_as_in_domain(spec):
    assert _ratio(spec, "MP.R.i") == [
        (((1, 89),), (88,), 89, "0", "0"),
        (((1, 91),), (90,), 91, "0", "0"),
    ]
    # (q102 - q103) / q102; zero denominator: 1 if none this year either, else 0.
    assert _ratio(spec, "SDM.R.iii") == [(((1, 102), (-1, 103)), (102,), 103, "1", "0")]
    assert _ratio(spec, "AK.R.i") == [(((1, 106),), (105,), 106, "0", "0")]
    assert _ratio(spec, "PW.R.ii") == [(((1, 112),), (110,), 112, "1", "1")]
    assert _ratio(spec, "PW.R.iii.a") == [(((1, 116),), (113, 114, 115), 116, "1", "1")]
    assert _ratio(spec, "PW.R.iii.b") == [(((1, 120),), (117, 118, 119), 120, "1", "1")]
    assert _ratio(spec, "PP.R.i") == [("q", 121), (((1, 123),), (122,), 123, "0", "0")]
    info = sorted(q.number for q in spec.questions if q.information_only)
    assert info == [104, 111]
    for s in spec.sub_areas:
        for item in s.items:
            if isinstance(item, RatioItem):
                assert (
                    item.zero_denominator_rule == "zero-denominator" and item.zero_denominator_why
                )


def test_pw_iii_has_two_sub_sub_areas(spec):
    group = spec.sub_area("PW.R.iii")
    assert group.is_group and group.weight == 2 and group.children == ("PW.R.iii.a", "PW.R.iii.b")
    assert [spec.sub_area(c).weight for c in group.children] == [1, 1]
    assert spec.sub_area_path(116) == ("pengungkit", "reform", "PW", "PW.R.iii", "PW.R.iii.a")
    assert [q.number for q in spec.questions_of("PW.R.iii")] == list(range(113, 121))
    assert spec.sub_area("PW.R.iii.b").parent == "PW.R.iii"


def test_every_plain_sub_area_scores_each_choice_question(spec):
    # MP.R.ii is q92 alone (the master's bobot_maksimal 1 on q92 is not a question weight).
    assert spec.sub_area("MP.R.ii").items == (QuestionItem(92),)
    assert spec.sub_area("MP.P.iv").items == tuple(QuestionItem(n) for n in (9, 10, 11, 12))


def test_predicate_table_6(spec):
    def table(code):
        p = spec.predicate(code)
        return p.requires_held, {
            c.code: (c.target, c.ref, c.minimum, c.min_percent) for c in p.criteria
        }

    assert table("WBK") == (
        None,
        {
            "total": ("total", None, 75, None),
            "pengungkit": ("component", "pengungkit", 40, None),
            "area": ("each_area", None, None, 60),
            "bersih_akuntabel": ("part", "bersih_akuntabel", D("18.25"), None),
            "ipak": ("hasil_item", "ipak", D("15.75"), None),
            "capaian_kinerja": ("hasil_item", "capaian_kinerja", D("2.50"), None),
            "ipkp": ("hasil_item", "ipkp", D("14.00"), None),
        },
    )
    assert table("WBBM") == (
        "WBK",
        {
            "total": ("total", None, 85, None),
            "pengungkit": ("component", "pengungkit", 48, None),
            "area": ("each_area", None, None, 75),
            "bersih_akuntabel": ("part", "bersih_akuntabel", D("19.50"), None),
            "ipak": ("hasil_item", "ipak", D("15.75"), None),
            "capaian_kinerja": ("hasil_item", "capaian_kinerja", D("3.75"), None),
            "ipkp": ("hasil_item", "ipkp", D("15.75"), None),
        },
    )


def test_project_rules_are_marked(spec):
    basis = {r.code: r.basis for r in spec.rules}
    assert basis["zero-denominator"] == "project"
    assert basis["unanswered-item"] == "project"
    assert basis["display-rounding"] == "confirmed"
    assert all(r.note for r in spec.rules)
    assert any("q92" in note for note in spec.notes)


def test_content_hash_is_canonical_and_changes_with_content(raw, spec):
    again = load_framework_file(LKE_PATH)
    assert again.content_hash == spec.content_hash and again == spec
    reordered = dict(reversed(list(raw.items())))
    assert parse_framework(reordered).content_hash == spec.content_hash
    changed = copy.deepcopy(raw)
    changed["components"][0]["parts"][0]["areas"][0]["sub_areas"][0]["questions"][0]["text"] += "!"
    assert parse_framework(changed).content_hash != spec.content_hash
    assert len(spec.content_hash) == 64


def test_spec_is_frozen(spec):
    with pytest.raises(AttributeError):
        spec.slug = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        spec.questions[0].number = 5  # type: ignore[misc]


def test_mini_framework_coexists(spec):
    mini = load_framework_file(MINI_PATH)
    assert mini.slug == "mini-2030" and mini.content_hash != spec.content_hash
    assert mini.area_codes == ("X", "Y")
    assert mini.question(15).index_range == (1, 4)
    assert mini.question(15).excel.sheet == "LKE" and mini.question(15).excel.unit_answer == "E"
    assert [p.code for p in mini.predicates] == ["BAIK", "UNGGUL"]
    # Loading one does not disturb the other.
    assert spec.numbers == tuple(range(1, 128))


# --------------------------------------------------------------------------- validation errors


def _find_sub_area(data: dict, code: str) -> dict:
    def walk(nodes):
        for node in nodes:
            if node["code"] == code:
                return node
            found = walk(node.get("children", []))
            if found:
                return found
        return None

    for component in data["components"]:
        for part in component["parts"]:
            for area in part.get("areas", []):
                found = walk(area["sub_areas"])
                if found:
                    return found
    raise KeyError(code)


def _question(data: dict, number: int) -> dict:
    for component in data["components"]:
        for part in component["parts"]:
            for item in part.get("items", []):
                if item["question"]["number"] == number:
                    return item["question"]
    stack = [
        s
        for c in data["components"]
        for p in c["parts"]
        for a in p.get("areas", [])
        for s in a["sub_areas"]
    ]
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        for q in node.get("questions", []):
            if q["number"] == number:
                return q
    raise KeyError(number)


def _error(data: dict) -> str:
    with pytest.raises(FrameworkError) as info:
        parse_framework(data)
    return str(info.value)


def test_group_weights_must_add_up(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "PW.R.iii.a")["weight"] = "0.5"
    assert _error(data) == "sub-area PW.R.iii: weights of children add up to 1.5, expected 2"


def test_sub_area_weights_must_add_up_to_the_area(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "MP.P.i")["weight"] = "0.6"
    assert (
        _error(data) == "area MP in part pemenuhan: weights of sub-areas add up to 4.1, expected 4"
    )


def test_area_weights_must_add_up_to_the_part(raw):
    data = copy.deepcopy(raw)
    data["components"][0]["parts"][1]["weight"] = "31"
    assert _error(data) == "part reform: weights of areas add up to 30, expected 31"


def test_part_and_component_weights_must_add_up(raw):
    data = copy.deepcopy(raw)
    data["components"][1]["weight"] = "41"
    assert _error(data) == "component hasil: weights of parts add up to 40, expected 41"
    data = copy.deepcopy(raw)
    data["total_weight"] = "99"
    assert _error(data) == "framework lke-2021: weights of components add up to 100, expected 99"
    data = copy.deepcopy(raw)
    data["components"][1]["parts"][0]["items"][1]["weight"] = "4"
    assert _error(data) == "part bersih_akuntabel: weights of items add up to 21.5, expected 22.5"


def test_area_definition_weight_must_match_its_parts(raw):
    data = copy.deepcopy(raw)
    data["areas"][0]["weight"] = "9"
    assert _error(data) == "area MP: weights of its parts add up to 8, expected 9"


def test_duplicate_question_number(raw):
    data = copy.deepcopy(raw)
    _question(data, 13)["number"] = 12
    assert _error(data) == "question 12: number used twice (sub-area MP.P.iv and sub-area TL.P.i)"


def test_duplicate_code(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "TL.P.i")["code"] = "MP.P.i"
    assert _error(data) == "sub-area MP.P.i: code used twice (also sub-area MP.P.i)"


def test_duplicate_excel_row(raw):
    data = copy.deepcopy(raw)
    _question(data, 3)["excel_row"] = 6
    assert _error(data) == "question 3: excel row 6 is also question 1"


def test_option_without_value(raw):
    data = copy.deepcopy(raw)
    del _question(data, 5)["options"][1]["value"]
    assert _error(data) == "question 5 option 'B': missing required field 'value'"
    data = copy.deepcopy(raw)
    _question(data, 5)["options"][1]["value"] = None
    assert _error(data) == "question 5 option 'B': has no value"


def test_values_must_be_decimal_strings(raw):
    data = copy.deepcopy(raw)
    _question(data, 5)["options"][1]["value"] = 0.5
    assert (
        _error(data)
        == "question 5 option 'B': field 'value' must be a decimal string like \"0.5\", got 0.5"
    )
    data = copy.deepcopy(raw)
    _find_sub_area(data, "MP.P.i")["weight"] = 0.5
    assert "sub-area MP.P.i: field 'weight' must be a decimal string" in _error(data)
    data = copy.deepcopy(raw)
    _question(data, 5)["options"][0]["value"] = "1.5"
    assert _error(data) == "question 5 option 'A': field 'value' must be at most 1, got 1.5"


def test_ratio_naming_a_missing_question(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "MP.R.i")["items"][0]["numerator"]["add"] = [999]
    assert (
        _error(data) == "sub-area MP.R.i item 1 numerator: names question 999, which does not exist"
    )


def test_ratio_naming_a_non_count_question(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "PP.R.i")["items"][1]["denominator"]["add"] = [121]
    assert _error(data) == (
        "sub-area PP.R.i item 2 denominator: names question 121, "
        "which is not a count question (ABCD)"
    )


def test_ratio_naming_a_question_of_another_sub_area(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "MP.R.i")["items"][0]["denominator"]["add"] = [105]
    assert _error(data) == (
        "sub-area MP.R.i item 1 denominator: names question 105, which belongs to sub-area AK.R.i"
    )


def test_ratio_lever_and_rule_must_be_known(raw):
    data = copy.deepcopy(raw)
    _find_sub_area(data, "AK.R.i")["items"][0]["lever"] = 105
    assert (
        _error(data) == "sub-area AK.R.i item 1: lever 105 must be one of the numerator's questions"
    )
    data = copy.deepcopy(raw)
    _find_sub_area(data, "AK.R.i")["items"][0]["if_denominator_zero"]["rule"] = "guess"
    assert (
        _error(data)
        == "sub-area AK.R.i item 1 if_denominator_zero: rule 'guess' is not declared in 'rules'"
    )


def test_count_used_by_no_item_must_be_information_only(raw):
    data = copy.deepcopy(raw)
    del _question(data, 104)["information_only"]
    assert _error(data) == (
        "sub-area SDM.R.iii: question 104 is used by no item; score it or mark it information_only"
    )


def test_unknown_threshold_key_and_target(raw):
    data = copy.deepcopy(raw)
    data["predicates"][0]["criteria"][0]["mn"] = "75"
    assert _error(data) == (
        "predicate WBK criterion total: unknown field 'mn' "
        "(allowed: code, label, of, ref, min, min_percent)"
    )
    data = copy.deepcopy(raw)
    data["predicates"][1]["criteria"][1]["of"] = "komponen"
    assert _error(data) == (
        "predicate WBBM criterion pengungkit: 'of' must be one of "
        "total, component, part, hasil_item, "
        "each_area, got 'komponen'"
    )
    data = copy.deepcopy(raw)
    data["predicates"][0]["criteria"][4]["ref"] = "ipk"
    assert _error(data) == "predicate WBK criterion ipak: ref 'ipk' is not a hasil item"
    data = copy.deepcopy(raw)
    data["predicates"][0]["requires_held"] = "WBBM"
    assert (
        _error(data)
        == "predicate WBK: requires_held must name a predicate defined before it, got 'WBBM'"
    )


def test_required_fields_and_types(raw):
    data = copy.deepcopy(raw)
    del _question(data, 7)["text"]
    assert _error(data) == "question 7: missing required field 'text'"
    data = copy.deepcopy(raw)
    _question(data, 7)["colour"] = "red"
    assert _error(data).startswith("question 7: unknown field 'colour' (allowed: number, text,")
    data = copy.deepcopy(raw)
    _question(data, 7)["type"] = "essay"
    assert _error(data) == "question 7: type must be one of choice, count, index, got 'essay'"
    data = copy.deepcopy(raw)
    _question(data, 7)["number"] = "7"
    assert (
        _error(data)
        == "question #2 of sub-area MP.P.iii: field 'number' must be an integer, got '7'"
    )
    data = copy.deepcopy(raw)
    del data["slug"]
    assert _error(data) == "framework: missing required field 'slug'"
    data = copy.deepcopy(raw)
    data["format"] = "something/2"
    assert "field 'format' must be 'zi-lke-framework/1'" in _error(data)
    data = copy.deepcopy(raw)
    data["components"][0]["parts"][0]["areas"][0]["area"] = "XX"
    assert _error(data) == (
        "area XX in part pemenuhan: area 'XX' is not defined in 'areas' "
        "(defined: MP, TL, SDM, AK, PW, PP)"
    )
    with pytest.raises(FrameworkError, match="framework: must be an object"):
        parse_framework([])  # type: ignore[arg-type]


def test_load_framework_file_errors_name_the_file(tmp_path, raw):
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"broken.json: not valid JSON: .* line 1 column 3"):
        load_framework_file(broken)
    bad = tmp_path / "bad.json"
    data = copy.deepcopy(raw)
    _find_sub_area(data, "PW.R.iii.b")["weight"] = "0.5"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(bad)
    assert (
        str(info.value)
        == "bad.json: sub-area PW.R.iii: weights of children add up to 1.5, expected 2"
    )
    with pytest.raises(FrameworkError, match="cannot read"):
        load_framework_file(tmp_path / "missing.json")

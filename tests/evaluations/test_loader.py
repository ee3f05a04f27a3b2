"""load_framework: validation naming the node, idempotent loading, versions, several frameworks."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from evaluations.framework_spec import FrameworkError, builtin_framework_path
from evaluations.loader import load_bundled_framework, load_framework_data, load_framework_path
from evaluations.models import Framework, FrameworkArea, FrameworkQuestion, FrameworkSubArea
from evaluations.selectors import programme_breakdown
from evaluations.services import answer_set_unit, assessment_for
from tests.factories import make_programme

pytestmark = pytest.mark.django_db

MINI = Path(__file__).parent / "data" / "mini-framework.json"


def mini_data() -> dict:
    return json.loads(MINI.read_text(encoding="utf-8"))


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_framework", *args, stdout=out)
    return out.getvalue()


def row_counts(framework: Framework) -> tuple[int, int, int]:
    return (
        FrameworkArea.objects.filter(framework=framework).count(),
        FrameworkSubArea.objects.filter(framework=framework).count(),
        FrameworkQuestion.objects.filter(framework=framework).count(),
    )


def test_bundled_framework_loads_once_with_its_rows():
    assert load() == "lke-2021: loaded as version 1 (lke-2021.json)\n"
    framework = Framework.objects.get()
    assert (framework.slug, framework.version, framework.label) == ("lke-2021", 1, "2026.1")
    assert row_counts(framework) == (6, 44, 127)
    sub = FrameworkSubArea.objects.get(framework=framework, code="PW.R.iii.a")
    assert sub.parent.code == "PW.R.iii" and sub.area.code == "PW" and sub.part == "reform"
    q125 = FrameworkQuestion.objects.get(framework=framework, number=125)
    assert (q125.sub_area, q125.hasil_item, q125.kind, q125.excel_row) == (
        None,
        "ipak",
        "index",
        199,
    )
    q2 = FrameworkQuestion.objects.get(framework=framework, number=2)
    assert q2.options[1] == {"key": "B", "label": q2.options[1]["label"], "value": "0.5"}
    # the same file again, by slug or by path, changes nothing
    assert load("lke-2021") == "lke-2021: unchanged, version 1 (lke-2021.json)\n"
    assert load(str(builtin_framework_path("lke-2021"))).startswith("lke-2021: unchanged")
    assert Framework.objects.count() == 1 and row_counts(framework) == (6, 44, 127)


def test_the_stored_definition_reads_back_as_the_same_framework():
    framework = load_bundled_framework("lke-2021")
    framework.refresh_from_db()
    # (a JSON column may reorder keys; the content hash is over canonical JSON)
    assert framework.spec.content_hash == framework.content_hash
    assert len(framework.spec.questions) == 127


def test_two_frameworks_live_side_by_side():
    lke = load_bundled_framework("lke-2021")
    out = load(str(MINI))
    assert out == "mini-2030: loaded as version 1 (mini-framework.json)\n"
    mini = Framework.objects.get(slug="mini-2030")
    assert row_counts(mini) == (2, 7, 16)
    assert row_counts(lke) == (6, 44, 127)
    alpha = make_programme(framework=lke, year=2026)
    beta = make_programme(framework=mini, year=2030)
    answer_set_unit(actor=None, programme=alpha, number=1, value="Ya")
    answer_set_unit(actor=None, programme=beta, number=1, value="Ya")
    # lke-2021 MP.P.i (0.5): 0.5 x 1/2 = 0.25; mini X.P.i (12.5): 12.5 x 1/2 = 6.25
    assert programme_breakdown(alpha).sub_areas["MP.P.i"].score == pytest.approx(0.25)
    assert programme_breakdown(beta).sub_areas["X.P.i"].score == pytest.approx(6.25)
    assert assessment_for(alpha).answers.count() == 127
    assert assessment_for(beta).answers.count() == 16


def test_a_changed_file_is_a_new_version_and_leaves_the_old_one_alone(tmp_path):
    old = load_bundled_framework("lke-2021")
    programme = make_programme(framework=old)
    answer_set_unit(actor=None, programme=programme, number=1, value="Ya")
    before = programme_breakdown(programme)
    old_text = FrameworkQuestion.objects.get(framework=old, number=1).text

    data = json.loads(builtin_framework_path("lke-2021").read_text(encoding="utf-8"))
    data["version"] = "2026.2"
    first_sub_area = data["components"][0]["parts"][0]["areas"][0]["sub_areas"][0]
    first_sub_area["questions"][0]["text"] = "Teks pertanyaan yang diperbarui"
    changed = tmp_path / "lke-2021.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    assert load(str(changed)) == "lke-2021: loaded as version 2 (lke-2021.json)\n"
    assert load(str(changed)) == "lke-2021: unchanged, version 2 (lke-2021.json)\n"
    new = Framework.objects.get(slug="lke-2021", version=2)
    assert new.label == "2026.2"
    assert FrameworkQuestion.objects.get(framework=new, number=1).text == (
        "Teks pertanyaan yang diperbarui"
    )
    # the programme, its assessment and its answers stay on version 1, untouched
    programme.refresh_from_db()
    assert programme.framework == old
    assessment = assessment_for(programme)
    assert assessment.framework == old
    answer = assessment.answers.select_related("question").get(number=1)
    assert answer.question.framework == old and answer.question.text == old_text
    assert programme_breakdown(programme) == before
    assert row_counts(old) == (6, 44, 127)
    # loading the original content again returns version 1, creating nothing
    assert load("lke-2021") == "lke-2021: unchanged, version 1 (lke-2021.json)\n"
    assert Framework.objects.filter(slug="lke-2021").count() == 2


def broken(tmp_path, change) -> str:
    data = copy.deepcopy(mini_data())
    change(data)
    path = tmp_path / "mini-broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _sub_areas(data):
    return data["components"][0]["parts"][0]["areas"][0]["sub_areas"]


BROKEN = [
    (
        "weights that do not add up",
        lambda d: _sub_areas(d)[0].update(weight="13"),
        "mini-broken.json: area X in part pemenuhan: weights of sub-areas add up to 30.5, "
        "expected 30",
    ),
    (
        "a code used twice",
        lambda d: _sub_areas(d)[1].update(code="X.P.i"),
        "mini-broken.json: sub-area X.P.i: code used twice (also sub-area X.P.i)",
    ),
    (
        "an option without a value",
        lambda d: _sub_areas(d)[0]["questions"][0]["options"][0].update(value=None),
        "mini-broken.json: question 1 option 'Ya': has no value",
    ),
    (
        "a ratio naming a count that does not exist",
        lambda d: d["components"][0]["parts"][1]["areas"][0]["sub_areas"][0]["items"][0][
            "denominator"
        ].update(add=[70]),
        "which does not exist",
    ),
    (
        "a question number used twice",
        lambda d: _sub_areas(d)[0]["questions"][1].update(number=1),
        "number used twice",
    ),
]


@pytest.mark.parametrize(("what", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_validation_errors_name_the_node_and_store_nothing(tmp_path, what, change, message):
    path = broken(tmp_path, change)
    with pytest.raises(CommandError) as info:
        load(path)
    assert message in str(info.value)
    assert str(info.value).startswith("mini-broken.json: ")
    assert not Framework.objects.exists()


def test_unreadable_and_unknown_arguments(tmp_path):
    with pytest.raises(CommandError, match=r"no bundled framework 'lke-1999'; bundled: lke-2021"):
        load("lke-1999")
    with pytest.raises(CommandError, match="cannot be read"):
        load(str(tmp_path / "missing.json"))
    (tmp_path / "bad.json").write_text("{ nope", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.json: not valid JSON \(line 1"):
        load(str(tmp_path / "bad.json"))
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="the top level must be a JSON object"):
        load(str(tmp_path / "list.json"))


def test_loading_data_directly_reports_the_node():
    data = mini_data()
    data["predicates"][0]["criteria"][2]["ref"] = "nothing"
    with pytest.raises(FrameworkError, match="predicate BAIK criterion skm: ref 'nothing'"):
        load_framework_data(data)
    assert load_framework_path(MINI).created

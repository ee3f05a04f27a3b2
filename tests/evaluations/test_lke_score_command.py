"""The lke_score command contract: exact figures to the cent, and every kind of bad input.

Expected figures are worked by hand in the comments from DOMAIN.md (sub-area score = weight x
mean of item values; percentage items min(1, numerator / denominator) with the zero-denominator
rule stated per item; q125/q127 = index / 4 x 17.5; q126 = value x 5; half up to two decimals).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from evaluations.services import answer_set_tpi, answer_set_unit

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        call_command("lke_score", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, data, name="answers.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- worked examples


def test_the_example_of_the_issue(tmp_path, db):
    # MP.P.i (0.5): q1 Ya 1, q2 B 0.5 -> 0.5 x 1.5 / 2 = 0.375 -> 0.38
    # MP.R.i (2): q89/q88 = 9/12 = 0.75, q91/q90 unanswered 0 -> 2 x 0.75 / 2 = 0.75
    # q125: 3.61 / 4 x 17.5 = 15.79375 -> 15.79; total 0.375 + 0.75 + 15.79375 = 16.91875 -> 16.92
    code, out, err = run(
        write(tmp_path, '{"answers": {"1": "Ya", "2": "B", "88": 12, "89": 9, "125": 3.61}}')
    )
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["framework"] == "lke-2021"
    assert (result["total"], result["pengungkit"], result["pemenuhan"], result["reform"]) == (
        16.92,
        1.13,
        0.38,
        0.75,
    )
    assert result["hasil"] == 15.79
    assert result["areas"]["MP"] == {"pemenuhan": 0.38, "reform": 0.75, "total": 1.13, "weight": 8}
    assert result["hasil_items"] == {
        "ipak": 15.79,
        "capaian_kinerja": 0,
        "ipkp": 0,
        "bersih_akuntabel": 15.79,
        "pelayanan_prima": 0,
    }
    assert result["meets"] == {"WBK": False, "WBBM": False}
    assert result["shortfalls"]["WBK"][0] == "Total 16.92; WBK needs 75.00 (+58.08)"
    assert (
        "Manajemen Perubahan 1.13 of 8 (14.13%); WBK needs 60% = 4.80 (+3.67)"
        in (result["shortfalls"]["WBK"])
    )
    # Every number is printed with two decimals.
    assert '"total": 16.92,' in out and '"weight": 8.00' in out and '"capaian_kinerja": 0.00' in out


COUNTS_AND_BOUNDARIES = {
    "answers": {
        # MP.R.i (2): 3/4 = 0.75 and 5/5 = 1 -> 2 x 1.75 / 2 = 1.75
        "88": 4,
        "89": 3,
        "90": 5,
        "91": 5,
        # SDM.R.iii (2): no violations last year and none now -> 1 (project rule) -> 2.00;
        # q104 is information only
        "102": 0,
        "103": 0,
        "104": 3,
        # AK.R.i (2): 6/8 -> 1.50
        "105": 8,
        "106": 6,
        # PW.R.ii (3): no complaints to handle -> 1 -> 3.00; PW.R.iii.a (1): 15/(10+5+5) -> 0.75;
        # PW.R.iii.b (1): nobody obliged to report -> 1 -> 1.00; PW reform 4.75
        "110": 0,
        "111": 4,
        "112": 0,
        "113": 10,
        "114": 5,
        "115": 5,
        "116": 15,
        "117": 0,
        "118": 0,
        "119": 0,
        "120": 0,
        # PP.R.i (2.5): q121 B 0.67 and q123/q122 = 1/3 -> 2.5 x (0.67 + 1/3) / 2 = 1.254166.. -> 1.25
        "121": "B",
        "122": 3,
        "123": 1,
        # HASIL, each exactly at its WBK threshold: q125 3.60 -> 15.75, q126 C 0.5 x 5 = 2.50,
        # q127 3.20 -> 14.00, bersih dan akuntabel 15.75 + 2.50 = 18.25
        "125": 3.60,
        "126": "C",
        "127": 3.2,
    },
    "holds_wbk": False,
}
# REFORM 1.75 + 2 + 1.5 + 4.75 + 1.2541666.. = 11.2541666.. -> 11.25 = PENGUNGKIT
# TOTAL 11.2541666.. + 15.75 + 2.5 + 14 = 43.5041666.. -> 43.50


def test_counts_zero_denominators_and_thresholds_to_the_cent(tmp_path, db):
    code, out, err = run(write(tmp_path, COUNTS_AND_BOUNDARIES))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert (result["total"], result["pengungkit"], result["pemenuhan"], result["reform"]) == (
        43.50,
        11.25,
        0,
        11.25,
    )
    assert {code: area["reform"] for code, area in result["areas"].items()} == {
        "MP": 1.75,
        "TL": 0,
        "SDM": 2.00,
        "AK": 1.50,
        "PW": 4.75,
        "PP": 1.25,
    }
    assert result["hasil_items"] == {
        "ipak": 15.75,
        "capaian_kinerja": 2.50,
        "ipkp": 14.00,
        "bersih_akuntabel": 18.25,
        "pelayanan_prima": 14.00,
    }
    assert result["shortfalls"]["WBK"] == [
        "Total 43.50; WBK needs 75.00 (+31.50)",
        "Pengungkit 11.25; WBK needs 40.00 (+28.75)",
        "Manajemen Perubahan 1.75 of 8 (21.88%); WBK needs 60% = 4.80 (+3.05)",
        "Penataan Tatalaksana 0.00 of 7 (0.00%); WBK needs 60% = 4.20 (+4.20)",
        "Penataan Sistem Manajemen SDM Aparatur 2.00 of 10 (20.00%); WBK needs 60% = 6.00 (+4.00)",
        "Penguatan Akuntabilitas Kinerja 1.50 of 10 (15.00%); WBK needs 60% = 6.00 (+4.50)",
        "Penguatan Pengawasan 4.75 of 15 (31.67%); WBK needs 60% = 9.00 (+4.25)",
        "Peningkatan Kualitas Pelayanan Publik 1.25 of 10 (12.50%); WBK needs 60% = 6.00 (+4.75)",
    ]  # the four HASIL criteria sit exactly on their WBK thresholds and pass
    assert result["shortfalls"]["WBBM"][-4:] == [
        "Birokrasi bersih dan akuntabel (q125 + q126) 18.25; WBBM needs 19.50 (+1.25)",
        "Capaian kinerja score (q126) 2.50; WBBM needs 3.75 (+1.25)",
        "Pelayanan prima, IPKP score (q127) 14.00; WBBM needs 15.75 (+1.75)",
        "does not yet hold WBK",
    ]


def test_one_cent_below_the_ipak_threshold(tmp_path, db):
    # q125 3.59 / 4 x 17.5 = 15.70625 -> 15.71 < 15.75; bersih 15.70625 + 2.5 = 18.20625 -> 18.21
    data = {"answers": {**COUNTS_AND_BOUNDARIES["answers"], "125": 3.59}}
    result = json.loads(run(write(tmp_path, data))[1])
    assert "IPAK score (q125) 15.71; WBK needs 15.75 (+0.04)" in result["shortfalls"]["WBK"]
    assert (
        "Birokrasi bersih dan akuntabel (q125 + q126) 18.21; WBK needs 18.25 (+0.04)"
        in result["shortfalls"]["WBK"]
    )
    # without holds_wbk the file says nothing about it: no "does not yet hold" line
    assert "does not yet hold WBK" not in result["shortfalls"]["WBBM"]


def test_best_answers_score_100_and_meet_both(tmp_path, db):
    from evaluations.framework_spec import (
        CHOICE,
        COUNT,
        builtin_framework_path,
        load_framework_file,
    )

    spec = load_framework_file(builtin_framework_path("lke-2021"))
    answers = {}
    for q in spec.questions:
        if q.kind == CHOICE:
            answers[str(q.number)] = q.options[0].key  # A / Ya: value 1
        elif q.kind == COUNT:
            # every ratio at 1: 1/1, (1 - 0)/1, 3/(1 + 1 + 1)
            answers[str(q.number)] = {103: 0, 116: 3, 120: 3}.get(q.number, 1)
        else:
            answers[str(q.number)] = 4
    code, out, _ = run(write(tmp_path, {"answers": answers, "holds_wbk": True}))
    result = json.loads(out)
    assert code == 0 and result["total"] == 100 and result["pengungkit"] == 60
    assert result["meets"] == {"WBK": True, "WBBM": True}
    assert result["shortfalls"] == {"WBK": [], "WBBM": []}
    assert '"total": 100.00' in out


def test_answers_from_standard_input(db):
    code, out, _ = run("-", stdin='{"answers": {"126": "a"}}')  # keys match case-insensitively
    assert code == 0 and json.loads(out)["hasil_items"]["capaian_kinerja"] == 5


# --------------------------------------------------------------------------- bad input


BAD_FILES = [
    ('{"answers": {"2": "Z"}}', "question 2 (ABC): 'Z' is not an option; allowed: one of A, B, C"),
    (
        '{"answers": {"1": 1}}',
        "question 1 (YA_TIDAK): 1 is not an option key; allowed: one of Ya, Tidak",
    ),
    (
        '{"answers": {"200": "A"}}',
        "question 200 does not exist in framework lke-2021 (questions are numbered 1..127)",
    ),
    (
        '{"answers": {"0": "A"}}',
        "question 0 does not exist in framework lke-2021 (questions are numbered 1..127)",
    ),
    (
        '{"answers": {"88": -1}}',
        "question 88 (Jumlah): -1 is negative; allowed: a whole number, 0 or more",
    ),
    (
        '{"answers": {"88": 1.5}}',
        "question 88 (Jumlah): 1.5 is not a whole number; allowed: a whole number, 0 or more",
    ),
    (
        '{"answers": {"88": "banyak"}}',
        "question 88 (Jumlah): 'banyak' is not a number; allowed: a whole number, 0 or more",
    ),
    (
        '{"answers": {"88": true}}',
        "question 88 (Jumlah): True is not a number; allowed: a whole number, 0 or more",
    ),
    (
        '{"answers": {"125": 4.01}}',
        "question 125 (0-4): 4.01 is out of range; allowed: a number from 0 to 4",
    ),
    (
        '{"answers": {"127": -0.5}}',
        "question 127 (0-4): -0.5 is out of range; allowed: a number from 0 to 4",
    ),
    (
        '{"answers": {"125": "tinggi"}}',
        "question 125 (0-4): 'tinggi' is not a number; allowed: a number from 0 to 4",
    ),
    ('{"answers": {"125": NaN}}', "NaN is not a number JSON allows"),
    ('{"answers": {"abc": "A"}}', "answers: key 'abc' is not a question number; allowed: 1..127"),
    ('{"answers": {"-3": "A"}}', "answers: key '-3' is not a question number; allowed: 1..127"),
    ('{"answers": {"1": "Ya", "1": "Tidak"}}', "question 1 is given twice"),
    ('{"answers": {"1": "Ya", "01": "Tidak"}}', "question 1 is given twice"),
    (
        '{"answers": {"1": "Ya",}}',
        "answers.json: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 24",
    ),
    ("", "answers.json: not valid JSON: Expecting value at line 1 column 1"),
    ('["Ya"]', 'answers.json: must be a JSON object like {"answers": {"1": "Ya"}}'),
    ("{}", 'answers.json: missing "answers" (question number -> answer)'),
    (
        '{"answers": ["Ya"]}',
        'answers.json: "answers" must be an object of question number -> answer',
    ),
    (
        '{"answers": {}, "total": 80}',
        "answers.json: unknown key 'total'; allowed: answers, holds_wbk",
    ),
    ('{"answers": {}, "holds_wbk": "ya"}', 'answers.json: "holds_wbk" must be true or false'),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_bad_files_exit_2_with_one_line_and_no_output(tmp_path, db, content, message):
    code, out, err = run(write(tmp_path, content))
    assert code == 2
    assert out == ""
    assert err == message + "\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give an answers file (FILE.json) or --programme UNIT-CODE/YEAR"),
        (("missing.json",), "missing.json: cannot read: No such file or directory"),
        (
            ("--framework", "lke-1999", "x.json"),
            "unknown framework 'lke-1999'; available: lke-2021",
        ),
        (
            ("--framework", "../etc", "x.json"),
            "--framework '../etc' is not a framework slug, e.g. lke-2021",
        ),
        (
            ("--programme", "POLRES-ALPHA"),
            "--programme 'POLRES-ALPHA' must look like UNIT-CODE/YEAR, e.g. POLRES-LABUHANBATU/2026",
        ),
        (("--programme", "POLRES-NONE/2026"), "there is no programme POLRES-NONE/2026"),
        (
            ("--programme", "POLRES-ALPHA/2026", "x.json"),
            "give either FILE.json or --programme, not both",
        ),
        (("--layer", "unit", "x.json"), "--layer applies to --programme only"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, db, args, message):
    os.chdir(tmp_path)
    (tmp_path / "x.json").write_text('{"answers": {}}')
    code, out, err = run(*args)
    assert (code, out, err) == (2, "", message + "\n")


def test_a_non_utf8_file(tmp_path, db):
    path = tmp_path / "latin.json"
    path.write_bytes('{"answers": {"1": "Ya"}} é'.encode("latin-1"))
    assert run(str(path)) == (2, "", "latin.json: not a UTF-8 text file\n")


# --------------------------------------------------------------------------- stored programmes


def test_a_stored_programme_by_layer(world):
    p = world.programme
    answer_set_unit(actor=world.coordinator, programme=p, number=1, value="Ya")
    answer_set_unit(actor=world.coordinator, programme=p, number=2, value="A")
    answer_set_unit(actor=world.coordinator, programme=p, number=126, value="B")
    answer_set_tpi(actor=world.tpi, programme=p, number=2, value="C")
    # unit: MP.P.i 0.5 x (1 + 1) / 2 = 0.50; q126 B 0.75 x 5 = 3.75; total 4.25
    code, out, _ = run("--programme", "POLRES-ALPHA/2026", "--layer", "unit")
    unit = json.loads(out)
    assert code == 0 and unit["total"] == 4.25 and unit["areas"]["MP"]["pemenuhan"] == 0.5
    # effective: the TPI's C (0) wins for q2 -> 0.5 x (1 + 0) / 2 = 0.25; total 4.00
    effective = json.loads(run("--programme", "POLRES-ALPHA/2026")[1])
    assert effective["total"] == 4 and effective["areas"]["MP"]["pemenuhan"] == 0.25
    # tpi alone: only q2 answered (C) -> 0
    assert json.loads(run("--programme", "POLRES-ALPHA/2026", "--layer", "tpi")[1])["total"] == 0
    # the programme does not hold WBK: the WBBM shortfalls say so
    assert effective["shortfalls"]["WBBM"][-1] == "does not yet hold WBK"
    assert run("--programme", "POLRES-ALPHA/2026", "--layer", "pokja") == (
        2,
        "",
        "--layer 'pokja' is not allowed; allowed: effective, unit, tpi\n",
    )
    assert run("--programme", "POLRES-ALPHA/2026", "--framework", "mini-2030")[2] == (
        "programme POLRES-ALPHA/2026 is scored with lke-2021; leave out --framework\n"
    )


def test_the_command_line_itself(tmp_path):
    """Through manage.py: the exit status and the two streams as a shell sees them."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    env.pop("REDIS_URL", None)

    def lke_score(*args):
        return subprocess.run(
            [sys.executable, "manage.py", "lke_score", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    good = write(tmp_path, '{"answers": {"1": "Ya", "2": "B", "88": 12, "89": 9, "125": 3.61}}')
    done = lke_score(good)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 16.92
    bad = write(tmp_path, '{"answers": {"88": -4}}', "bad.json")
    done = lke_score(bad)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "question 88 (Jumlah): -4 is negative; allowed: a whole number, 0 or more\n"
    )
    done = lke_score("--no-such-option", good)
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1)

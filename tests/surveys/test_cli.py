"""`manage.py survey_index`: its command-line contract (JSON out, exit status 2 on bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.surveys.factories import rows_with_total

ROOT = Path(__file__).resolve().parents[2]
U = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")


def run(capsys, tmp_path, slug: str, content: str | bytes):
    path = tmp_path / "responses.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    try:
        call_command("survey_index", "--instrument", slug, str(path))
        status = 0
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def csv_of(rows: list[dict[str, int]], codes=U) -> str:
    return ",".join(codes) + "\n" + "".join(",".join(str(r[c]) for c in codes) + "\n" for r in rows)


def test_skm_by_hand(capsys, tmp_path):
    content = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n3,3,3,3,3,3,3,3,3\n4,3,4,3,4,3,4,3,4\n2,3,3,3,3,4,3,2,3\n"
    status, out, err = run(capsys, tmp_path, "skm-2017", content)
    assert (status, err) == (0, "")
    assert out.strip() == (
        '{"instrument": "skm-2017", "respondents": 4, "item_means": {"U1": 3.25, "U2": 3.25, '
        '"U3": 3.50, "U4": 3.25, "U5": 3.50, "U6": 3.50, "U7": 3.50, "U8": 3.00, "U9": 3.50}, '
        '"index": 3.36, "ikm": 84.03, "category": "Baik", "quality": "B", "lke_score": null}'
    )
    assert json.loads(out)["ikm"] == 84.03


@pytest.mark.parametrize(
    ("respondents", "total", "ikm", "quality", "category"),
    [
        (50, 1379, "76.61", "B", "Baik"),
        (200, 5515, "76.60", "C", "Kurang Baik"),
        (100, 3179, "88.31", "A", "Sangat Baik"),
        (250, 7947, "88.30", "B", "Baik"),
    ],
)
def test_skm_at_the_band_boundaries(capsys, tmp_path, respondents, total, ikm, quality, category):
    status, out, _err = run(
        capsys, tmp_path, "skm-2017", csv_of(rows_with_total(U, respondents, total))
    )
    assert status == 0
    assert f'"ikm": {ikm}, "category": "{category}", "quality": "{quality}"' in out


def test_an_empty_cell_is_left_out_of_its_item(capsys, tmp_path):
    content = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n2,,2,2,2,2,2,2,2\n"
    _status, out, _err = run(capsys, tmp_path, "skm-2017", content)
    data = json.loads(out)
    assert data["item_means"]["U2"] == 4 and data["item_means"]["U1"] == 3
    assert data["respondents"] == 2
    assert '"ikm": 77.78' in out


def test_perception_survey_gives_the_lke_score(capsys, tmp_path):
    codes = tuple(f"K{i}" for i in range(1, 11))
    rows = [dict.fromkeys(codes, 4)] * 3 + [dict.fromkeys(codes, 3)]
    status, out, _err = run(capsys, tmp_path, "spak-2021", csv_of(rows, codes))
    assert status == 0
    data = json.loads(out)
    assert list(data) == [
        "instrument",
        "respondents",
        "item_means",
        "index",
        "ikm",
        "category",
        "quality",
        "lke_score",
    ]
    assert '"index": 3.75' in out and '"lke_score": 16.41' in out  # 3.75 / 4 x 17.5
    assert data["ikm"] is data["category"] is data["quality"] is None


def test_profile_columns_and_semicolons_are_read(capsys, tmp_path):
    content = "sex;U1;U2;U3;U4;U5;U6;U7;U8;U9\nP;4;4;4;4;4;4;4;4;4\n"
    status, out, _err = run(capsys, tmp_path, "skm-2017", content)
    assert status == 0 and '"ikm": 100.00' in out


@pytest.mark.parametrize(
    ("content", "names"),
    [
        (
            "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n4,4,5,4,4,4,4,4,4\n",
            ("line 3 (data row 2)", "column U3", "5 is outside 1..4"),
        ),
        ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n0,4,4,4,4,4,4,4,4\n", ("data row 1", "column U1", "outside")),
        (
            "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,abc,4\n",
            ("data row 1", "column U8", "not a number"),
        ),
        (
            "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,3.5,4,4,4,4,4,4,4\n",
            ("data row 1", "column U2", "not a whole number"),
        ),
        (
            "U1,U2,U3,U4,U5,U6,U7,U8,U9,U10\n4,4,4,4,4,4,4,4,4,4\n",
            ("line 1 (header)", "column U10", "unknown column"),
        ),
        (
            "U1,U2,U3,U4,U5,U6,U7,U8\n4,4,4,4,4,4,4,4\n",
            ("line 1 (header)", "missing item column(s) U9"),
        ),
        ("", ("empty",)),
        ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n", ("no responses",)),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_row_and_column(capsys, tmp_path, content, names):
    status, out, err = run(capsys, tmp_path, "skm-2017", content)
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1
    for name in names:
        assert name in err


def test_unknown_instrument_and_missing_file(capsys, tmp_path):
    status, out, err = run(capsys, tmp_path, "skm-1999", "U1\n4\n")
    assert (status, out) == (2, "") and "unknown instrument" in err
    with pytest.raises(SystemExit) as exc:
        call_command("survey_index", "--instrument", "skm-2017", str(tmp_path / "none.csv"))
    assert exc.value.code == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_real_command_line(tmp_path):
    """Run as a user would: exit status and streams of the process itself."""
    good = tmp_path / "good.csv"
    good.write_text(csv_of(rows_with_total(U, 50, 1379)))
    bad = tmp_path / "bad.csv"
    bad.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,x,4,4,4,4\n")
    manage = [sys.executable, str(ROOT / "manage.py"), "survey_index"]
    ok = subprocess.run(
        [*manage, "--instrument", "skm-2017", str(good)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ok.returncode, ok.stderr) == (0, "")
    assert json.loads(ok.stdout)["quality"] == "B"
    failed = subprocess.run(
        [*manage, "--instrument", "skm-2017", str(bad)], capture_output=True, text=True, check=False
    )
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr.count("\n") == 1 and "column U5" in failed.stderr
    usage = subprocess.run([*manage, str(good)], capture_output=True, text=True, check=False)
    assert (usage.returncode, usage.stdout) == (2, "")
    assert usage.stderr.count("\n") == 1 and "--instrument" in usage.stderr

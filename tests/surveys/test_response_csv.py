"""Responses CSV: good files parse, and every bad input is named by line, row and column."""

from decimal import Decimal

import pytest

from surveys.indices import aggregate_answers, survey_results
from surveys.instrument_spec import INSTRUMENTS_DIR, load_instrument_file
from surveys.response_csv import ResponseCsvError, parse_response_csv

SKM = load_instrument_file(INSTRUMENTS_DIR / "skm-2017.json")
SPAK = load_instrument_file(INSTRUMENTS_DIR / "spak-2021.json")
HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9"
ALLOWED = "allowed: 1, 2, 3, 4, or empty for not answered"


def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def problems_of(content: str | bytes, **kwargs: object) -> list[str]:
    with pytest.raises(ResponseCsvError) as caught:
        parse_response_csv(content, SKM, **kwargs)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


# --- good files ----------------------------------------------------------------------------


def test_a_good_file_with_profile_columns_and_an_empty_cell() -> None:
    sheet = parse_response_csv(
        csv_text(
            f"{HEADER},sex,service",
            "4,3,3,4,3,3,4,2,3,L,sim-baru",
            "3,3,4,4,3,4,4,,3,p,",
        ),
        SKM,
    )
    assert sheet.instrument == "skm-2017"
    assert sheet.columns == (*SKM.item_codes, "sex", "service")
    first, second = sheet.rows
    assert (first.line, first.row) == (2, 1)
    assert first.answers == dict(zip(SKM.item_codes, [4, 3, 3, 4, 3, 3, 4, 2, 3], strict=True))
    assert first.profile == {
        "age_band": None,
        "sex": "L",
        "education": None,
        "occupation": None,
        "service": "sim-baru",
    }
    assert second.answers["U8"] is None  # empty cell: not answered, not zero
    assert second.profile["sex"] == "P"  # option codes match case-insensitively


def test_excel_habits_are_tolerated() -> None:
    # BOM, semicolons (Indonesian-locale Excel), CRLF, lower-case and padded headers,
    # "3,0" with a decimal comma, a blank row, a trailing empty column, a short row.
    content = (
        "\ufeffu1; U2 ;u3;U4;U5;U6;U7;U8;U9;\r\n4;3;3,0;4;3;3;4;2;3;\r\n;;;;;;;;;\r\n3;3;4;4;3;4;4\r\n"
    ).encode("utf-8")
    sheet = parse_response_csv(content, SKM)
    assert [row.line for row in sheet.rows] == [2, 4]
    assert sheet.rows[0].answers["U3"] == 3
    assert sheet.rows[1].answers["U8"] is None and sheet.rows[1].answers["U9"] is None


def test_tab_separated() -> None:
    sheet = parse_response_csv(HEADER.replace(",", "\t") + "\n" + "\t".join("4" * 9) + "\n", SKM)
    assert sheet.rows[0].answers["U9"] == 4


def test_a_csv_feeds_the_indices() -> None:
    # The hand-computed set of test_indices: IKM 737.5 / 9 = 81.94, B.
    content = csv_text(
        HEADER,
        "4,3,3,4,3,3,4,2,3",
        "3,3,4,4,3,4,4,3,3",
        "3,2,3,4,4,3,3,3,2",
        "4,3,3,3,3,4,4,4,3",
    )
    sheet = parse_response_csv(content, SKM)
    items, respondents = aggregate_answers([row.answers for row in sheet.rows], SKM)
    result = survey_results(SKM, items=items, respondents=respondents)
    assert result.ikm is not None and (result.ikm.shown, result.ikm.quality) == (
        Decimal("81.94"),
        "B",
    )


# --- cell values -------------------------------------------------------------------------


def test_value_outside_the_scale() -> None:
    assert problems_of(csv_text(HEADER, "4,4,4,4,4,4,4,4,4", "4,4,4,5,4,4,4,4,4")) == [
        f"line 3 (data row 2), column U4: 5 is outside 1..4; {ALLOWED}"
    ]


def test_zero_is_outside_the_scale_not_an_empty_answer() -> None:
    assert problems_of(csv_text(HEADER, "0,4,4,4,4,4,4,4,4")) == [
        f"line 2 (data row 1), column U1: 0 is outside 1..4; {ALLOWED}"
    ]


def test_non_number() -> None:
    assert problems_of(csv_text(HEADER, "4,4,baik,4,4,4,4,4,4")) == [
        f"line 2 (data row 1), column U3: 'baik' is not a number; {ALLOWED}"
    ]


def test_fraction() -> None:
    assert problems_of(csv_text(HEADER, "4,4,4,4,4,4,4,4,2.5")) == [
        f"line 2 (data row 1), column U9: 2.5 is not a whole number; {ALLOWED}"
    ]


def test_unknown_profile_option() -> None:
    assert problems_of(csv_text(f"{HEADER},sex", "4,4,4,4,4,4,4,4,4,X")) == [
        "line 2 (data row 1), column sex: 'X' is not an option; allowed: L, P, or empty"
    ]


def test_service_checked_against_the_survey_services_when_given() -> None:
    content = csv_text(f"{HEADER},service", "4,4,4,4,4,4,4,4,4,skck", "4,4,4,4,4,4,4,4,4,SIM-BARU")
    assert problems_of(content, services=["sim-baru", "sim-perpanjangan"]) == [
        "line 2 (data row 1), column service: 'skck' is not an option; allowed: sim-baru, sim-perpanjangan, or empty"
    ]
    assert (
        parse_response_csv(content, SKM).rows[0].profile["service"] == "skck"
    )  # no list: any text


def test_row_with_no_answers() -> None:
    assert problems_of(csv_text(f"{HEADER},sex", ",,,,,,,,,L")) == [
        "line 2 (data row 1): no item answered; a response needs at least one answer"
    ]


def test_row_longer_than_the_header() -> None:
    assert problems_of(csv_text(HEADER, "4,4,4,4,4,4,4,4,4,4")) == [
        "line 2 (data row 1): 10 cells but the header has 9 columns"
    ]


def test_value_under_an_empty_header() -> None:
    assert problems_of(csv_text(f"{HEADER},", "4,4,4,4,4,4,4,4,4,catatan")) == [
        "line 2 (data row 1), column 10 (no header): a value in a column without a header; name it or clear it"
    ]


def test_all_row_problems_are_collected_and_the_first_is_the_message() -> None:
    content = csv_text(
        HEADER, "4,4,4,4,4,4,4,4,4", "9,4,4,4,4,4,4,4,x", "4,4,4,4,4,4,4,4,4", "4,4,4,4,-1,4,4,4,4"
    )
    with pytest.raises(ResponseCsvError) as caught:
        parse_response_csv(content, SKM)
    assert [(p.line, p.row, p.column) for p in caught.value.problems] == [
        (3, 2, "U1"),
        (3, 2, "U9"),
        (5, 4, "U5"),
    ]
    assert (
        str(caught.value)
        == f"line 3 (data row 2), column U1: 9 is outside 1..4; {ALLOWED} (and 2 more problems)"
    )


def test_lines_count_cells_that_span_lines() -> None:
    # The quoted service name spans lines 2-3: that row is named by the line it starts on,
    # and the next row starts on line 4 (data row 2).
    content = csv_text(
        f"{HEADER},service", '9,4,4,4,4,4,4,4,4,"Pembuatan\nSIM"', "4,4,7,4,4,4,4,4,4,"
    )
    assert problems_of(content) == [
        f"line 2 (data row 1), column U1: 9 is outside 1..4; {ALLOWED}",
        f"line 4 (data row 2), column U3: 7 is outside 1..4; {ALLOWED}",
    ]


# --- header ------------------------------------------------------------------------------


def test_unknown_column() -> None:
    assert problems_of(csv_text(f"Timestamp,{HEADER}", "2024-05-01,4,4,4,4,4,4,4,4,4")) == [
        "line 1 (header), column Timestamp: unknown column; allowed: item columns U1, U2, U3, U4, U5, U6, U7, U8, U9; "
        "profile columns age_band, sex, education, occupation, service"
    ]


def test_duplicate_column() -> None:
    assert problems_of(csv_text(f"{HEADER},u3", "4,4,4,4,4,4,4,4,4,4")) == [
        "line 1 (header), column U3: appears twice (columns 3 and 10)"
    ]


def test_no_item_columns() -> None:
    assert problems_of(csv_text("sex,service", "L,sim")) == [
        "line 1 (header): no item columns; expected U1, U2, U3, U4, U5, U6, U7, U8, U9"
    ]


def test_missing_item_columns() -> None:
    assert problems_of(csv_text("U1,U2,U3,U4,U6,U7,U9", "4,4,4,4,4,4,4")) == [
        "line 1 (header): missing item column(s) U5, U8; skm-2017 needs U1, U2, U3, U4, U5, U6, U7, U8, U9"
    ]


def test_item_codes_of_another_instrument() -> None:
    with pytest.raises(
        ResponseCsvError,
        match=r"^line 1 \(header\), column U1: unknown column; allowed: item columns K1, ",
    ):
        parse_response_csv(csv_text(HEADER, "4,4,4,4,4,4,4,4,4"), SPAK)


# --- whole file ----------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n\n", "\ufeff", b" , ,\n"])
def test_empty_file(content: bytes | str) -> None:
    assert problems_of(content) == [
        "file: the file is empty; expected a header row with U1, U2, U3, U4, U5, U6, U7, U8, U9"
    ]


def test_header_without_responses() -> None:
    assert problems_of(csv_text(HEADER, "", ",,,,,,,,")) == [
        "file: no responses under the header row"
    ]


def test_a_file_saved_in_windows_encoding_is_read() -> None:
    # cp1252 (Excel's "CSV" on Windows) writes the en dash as the single byte 0x96; the
    # project's one CSV reader (pokja.spreadsheets) reads it as such.
    content = csv_text(f"{HEADER},service", "4,4,4,4,4,4,4,4,4,SIM").encode("utf-8")
    content += "4,4,4,4,4,4,4,4,4,Pengesahan Akta Catatan Sipil \u2013 salinan\n".encode("cp1252")
    sheet = parse_response_csv(content, SKM)
    assert sheet.rows[1].profile["service"] == "Pengesahan Akta Catatan Sipil \u2013 salinan"


def test_bytes_of_no_known_encoding_name_the_line() -> None:
    content = csv_text(HEADER, "4,4,4,4,4,4,4,4,4").encode("utf-8") + b"4,4,\x81\n"
    assert problems_of(content) == ["line 3: The file is not UTF-8 text; save it as “CSV UTF-8”."]


def test_utf16_file() -> None:
    assert problems_of(csv_text(HEADER, "4,4,4,4,4,4,4,4,4").encode("utf-16")) == [
        "file: The file is UTF-16 text; save it as “CSV UTF-8”."
    ]


def test_workbook_instead_of_csv() -> None:
    assert problems_of(b"PK\x03\x04\x14\x00\x06\x00") == [
        "file: This is a spreadsheet workbook (.xlsx), not CSV; save the sheet as “CSV UTF-8”."
    ]


def test_unreadable_csv_names_the_line() -> None:
    # The csv module refuses cells over its field limit (128 KiB): a broken quote swallowing
    # the rest of a large file looks like that.
    huge = "x" * 200_000
    assert problems_of(csv_text(HEADER, "4,4,4,4,4,4,4,4,4", f'4,4,"{huge}",4,4,4,4,4,4')) == [
        "line 3: The CSV file could not be read (field larger than field limit (131072))."
    ]

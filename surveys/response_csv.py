"""Read survey responses from a CSV file (upload page, CLI).

Format: a header row of column codes, then one row per respondent.
- Item columns are named by the instrument's item codes (``U1``..``U9`` for skm-2017); every
  item needs its column. Cells hold a whole number on the instrument's scale (1..4); an empty
  cell means "not answered" and is left out of that item's NRR.
- Profile columns are optional and named by profile field codes (``age_band``, ``sex``,
  ``education``, ``occupation``, ``service``); cells hold an option code, or for ``service``
  the survey's service code, or stay empty.
- Column names and option codes match case-insensitively; surrounding spaces are ignored.
- Read by the project's CSV reader (`pokja.spreadsheets.decode_csv` and `csv_records`):
  comma, semicolon or tab separated (Excel in an Indonesian locale writes ";" because ","
  is the decimal separator there); UTF-8 with or without a byte-order mark, else
  Windows-1252 (Excel's plain "CSV" on Windows).
- Blank rows are skipped. A column with an empty header is ignored while its cells are empty.

Every problem names where it is: the file line (the header being line 1; equal to the
spreadsheet row unless a quoted cell spans lines) and the data row (1 = first row under the
header), the column, and what is allowed. ``ResponseCsvError.problems`` lists all of them for
an upload page; the exception's message is the first, plus "(and N more problems)", one line
for a CLI. Nothing is returned unless the whole file is good.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pokja.spreadsheets import SpreadsheetError, csv_records, decode_csv
from surveys.instrument_spec import InstrumentSpec, ProfileField, Scale


@dataclass(frozen=True)
class CsvProblem:
    line: int | None  # line of the file; None for the file as a whole
    row: int | None  # data row under the header; None for the header or the file
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            where = "file"
        elif self.row is not None:
            where = f"line {self.line} (data row {self.row})"
        elif self.line == 1:
            where = "line 1 (header)"
        else:
            where = f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ResponseCsvError(ValueError):
    """The CSV cannot be imported; ``problems`` lists every problem found, first one first."""

    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        if not problems:
            raise ValueError("ResponseCsvError needs at least one problem")
        self.problems = tuple(problems)
        message = str(self.problems[0])
        more = len(self.problems) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message)


@dataclass(frozen=True)
class ResponseRow:
    line: int  # first file line of the row
    row: int  # data row number, 1 = first row under the header
    answers: dict[str, int | None]  # every item of the instrument, in order; None = not answered
    profile: dict[str, str | None]  # every profile field; None = empty cell or no such column


@dataclass(frozen=True)
class ResponseSheet:
    instrument: str
    columns: tuple[str, ...]  # recognised column codes, in file order
    rows: tuple[ResponseRow, ...]


class _BadCell(Exception):
    pass


def parse_response_csv(
    content: bytes | str,
    spec: InstrumentSpec,
    *,
    services: Collection[str] | None = None,
) -> ResponseSheet:
    """Parse and validate a responses CSV for ``spec``; raise ResponseCsvError on any problem.

    ``services``, when given, are the service codes of the survey the file is uploaded to; the
    ``service`` column must then use one of them. Without it any text is accepted.
    """
    records = _read_records(_decode(content))
    if not records or not any(cell.strip() for _, cells in records for cell in cells):
        raise ResponseCsvError(
            [
                CsvProblem(
                    None,
                    None,
                    None,
                    f"the file is empty; expected a header row with {', '.join(spec.item_codes)}",
                )
            ]
        )
    header_line, header = records[0]
    columns = _read_header(header_line, header, spec)
    answer = _answer_parser(spec.scale)
    profile_parsers = {field.code: _profile_parser(field, services) for field in spec.profile}

    problems: list[CsvProblem] = []
    rows: list[ResponseRow] = []
    for row_number, (line, cells) in enumerate(records[1:], start=1):
        if not any(cell.strip() for cell in cells):
            continue
        problem = functools.partial(CsvProblem, line, row_number)
        row_problems: list[CsvProblem] = []
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            row_problems.append(
                problem(None, f"{len(cells)} cells but the header has {len(columns)} columns")
            )
        answers: dict[str, int | None] = dict.fromkeys(spec.item_codes)
        profile: dict[str, str | None] = {field.code: None for field in spec.profile}
        for position, code in enumerate(columns):
            # Rows shorter than the header are fine: some tools drop trailing empty cells.
            cell = cells[position].strip() if position < len(cells) else ""
            if not cell:
                continue
            if code is None:
                row_problems.append(
                    problem(
                        f"{position + 1} (no header)",
                        "a value in a column without a header; name it or clear it",
                    )
                )
                continue
            try:
                if code in answers:
                    answers[code] = answer(cell)
                else:
                    profile[code] = profile_parsers[code](cell)
            except _BadCell as error:
                row_problems.append(problem(code, str(error)))
        if not row_problems and all(value is None for value in answers.values()):
            row_problems.append(
                problem(None, "no item answered; a response needs at least one answer")
            )
        problems.extend(row_problems)
        if not row_problems:
            rows.append(ResponseRow(line=line, row=row_number, answers=answers, profile=profile))

    if problems:
        raise ResponseCsvError(problems)
    if not rows:
        raise ResponseCsvError([CsvProblem(None, None, None, "no responses under the header row")])
    return ResponseSheet(
        instrument=spec.slug,
        columns=tuple(code for code in columns if code is not None),
        rows=tuple(rows),
    )


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return decode_csv(content)
    except SpreadsheetError as error:
        raise ResponseCsvError([CsvProblem(error.line, None, None, error.reason)]) from None


def _read_records(text: str) -> list[tuple[int, list[str]]]:
    """Records with the file line each starts on (a quoted cell may span lines)."""
    try:
        return csv_records(text)
    except SpreadsheetError as error:
        raise ResponseCsvError([CsvProblem(error.line, None, None, error.reason)]) from None


def _read_header(line: int, header: list[str], spec: InstrumentSpec) -> list[str | None]:
    """Canonical code per column position; None for a column with an empty header."""
    known = {code.casefold(): code for code in spec.item_codes}
    known |= {field.code.casefold(): field.code for field in spec.profile}
    allowed = (
        f"allowed: item columns {', '.join(spec.item_codes)}; "
        f"profile columns {', '.join(field.code for field in spec.profile)}"
    )
    problems: list[CsvProblem] = []
    columns: list[str | None] = []
    first_position: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.strip()
        code = known.get(name.casefold()) if name else None
        if name and code is None:
            problems.append(CsvProblem(line, None, name, f"unknown column; {allowed}"))
        elif code is not None and code in first_position:
            problems.append(
                CsvProblem(
                    line,
                    None,
                    code,
                    f"appears twice (columns {first_position[code]} and {position})",
                )
            )
            code = None
        elif code is not None:
            first_position[code] = position
        columns.append(code)

    present = [code for code in spec.item_codes if code in first_position]
    if not present:
        problems.append(
            CsvProblem(line, None, None, f"no item columns; expected {', '.join(spec.item_codes)}")
        )
    elif len(present) < len(spec.item_codes):
        missing = [code for code in spec.item_codes if code not in first_position]
        problems.append(
            CsvProblem(
                line,
                None,
                None,
                f"missing item column(s) {', '.join(missing)}; {spec.slug} needs {', '.join(spec.item_codes)}",
            )
        )
    if problems:
        raise ResponseCsvError(problems)
    return columns


def _answer_parser(scale: Scale) -> Callable[[str], int]:
    allowed = (
        f"allowed: {', '.join(str(value) for value in scale.values)}, or empty for not answered"
    )

    def parse(cell: str) -> int:
        try:
            # "3,0" from a locale with a decimal comma is still 3.
            number = Decimal(cell.replace(",", "."))
        except InvalidOperation:
            raise _BadCell(f"{cell!r} is not a number; {allowed}") from None
        if not number.is_finite():
            raise _BadCell(f"{cell!r} is not a number; {allowed}")
        if number != number.to_integral_value():
            raise _BadCell(f"{cell} is not a whole number; {allowed}")
        if int(number) not in scale.values:
            raise _BadCell(f"{cell} is outside {scale.min}..{scale.max}; {allowed}")
        return int(number)

    return parse


def _profile_parser(field: ProfileField, services: Collection[str] | None) -> Callable[[str], str]:
    if field.kind == "service" and services is None:
        return lambda cell: cell
    codes = (
        [option.code for option in field.options]
        if field.kind == "choice"
        else list(services or ())
    )
    by_folded = {code.casefold(): code for code in codes}
    allowed = f"allowed: {', '.join(codes)}, or empty"

    def parse(cell: str) -> str:
        code = by_folded.get(cell.casefold())
        if code is None:
            raise _BadCell(f"{cell!r} is not an option; {allowed}")
        return code

    return parse

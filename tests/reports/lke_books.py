"""Workbooks in the shape units keep their LKE: the Lampiran III table filled by hand.

``lampiran_workbook`` writes the framework's questions under a header row (``Penilaian |
Bobot | Penjelasan | Pilihan Jawaban | Jawaban | Nilai | % | Catatan ...``), headings in
columns A-D, question texts in column E (or another), rows shifted by title rows, a "%"
row holding a formula over the counts below it for each percentage item, and the workbook's
own formulas in the score column (L): a row formula that tests the answer-type text, AVERAGE x
weight per sub-area, SUM above. openpyxl cannot compute formulas, so the builder evaluates its
own formulas (the way the spreadsheet would) and writes each result into the saved file as the
formula cell's cached value (``<v>``), as a spreadsheet program would have stored it.
Slips are asked for by name: a heading score typed as a constant, answer-type texts the row
formula does not know, an AVERAGE whose range runs on into the next heading's subtotal.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl

from evaluations.framework_spec import CHOICE, COUNT, INDEX, FrameworkSpec, RatioItem

TYPE_TEXT = {
    "YA_TIDAK": "Ya/Tidak",
    "ABC": "A/B/C",
    "ABCD": "A/B/C/D",
    "ABCDE": "A/B/C/D/E",
}
KNOWN_TYPES = ("Ya/Tidak", "A/B/C", "A/B/C/D", "A/B/C/D/E")  # what the row formula tests
HEADER = {
    "A": "Penilaian",
    "H": "Bobot",
    "I": "Penjelasan",
    "J": "Pilihan Jawaban",
    "K": "Jawaban",
    "L": "Nilai",
    "M": "%",
    "O": "Catatan/Keterangan/Penjelasan",
    "P": "Uraian Bukti Dukung",
    "Q": "Link Bukti Dukung",
}


def _row_formula(r: int) -> str:
    return (
        f'=IF(J{r}="Ya/Tidak",IF(K{r}="Ya",1,0),IF(J{r}="A/B/C",IF(K{r}="A",1,IF(K{r}="B",0.5,0)),'
        f'IF(J{r}="A/B/C/D",IF(K{r}="A",1,IF(K{r}="B",0.67,IF(K{r}="C",0.33,0))),'
        f'IF(J{r}="A/B/C/D/E",IF(K{r}="A",1,IF(K{r}="B",0.75,IF(K{r}="C",0.5,'
        f'IF(K{r}="D",0.25,0)))),0))))'
    )


class _Sheet:
    def __init__(self):
        self.cells: dict[str, object] = {}
        self.score: dict[int, tuple] = {}  # row -> how its L value is computed
        self.row = 0

    def next(self) -> int:
        self.row += 1
        return self.row


def lampiran_workbook(
    spec: FrameworkSpec,
    answers: dict[int, object],
    *,
    sheet: str = "LKE ZI",
    title_rows: int = 2,
    text_column: str = "E",
    types: dict[int, str] | None = None,
    notes: dict[int, str] | None = None,
    evidence: dict[int, tuple[str, str]] | None = None,
    tpi: dict[int, object] | None = None,
    texts: dict[int, str] | None = None,
    constants: dict[str, float] | None = None,
    wide_average: tuple[str, ...] = (),
    utama: bool = True,
) -> bytes:
    """The workbook as bytes; ``answers`` are written as given (any case, numbers or text)."""
    types, notes, evidence = types or {}, notes or {}, evidence or {}
    texts, constants = texts or {}, constants or {}
    s = _Sheet()
    for i in range(title_rows):
        s.cells[f"A{s.next()}"] = f"LEMBAR KERJA EVALUASI ZONA INTEGRITAS ({i + 1})"
    header = s.next()
    for col, label in HEADER.items():
        s.cells[f"{col}{header}"] = label
    if tpi is not None:
        s.cells[f"R{header}"] = "Jawaban TPI"
    headings: dict[str, int] = {}

    def heading(code: str, col: str, label: str, weight) -> int:
        r = s.next()
        s.cells[f"{col}{r}"] = label
        if weight is not None:
            s.cells[f"H{r}"] = float(weight)
        headings[code] = r
        return r

    def question(number: int) -> int:
        q = spec.question(number)
        r = s.next()
        s.cells[f"{text_column}{r}"] = texts.get(number, f"{number}. {q.text}")
        s.cells[f"I{r}"] = q.kriteria[:60]
        type_text = types.get(number) or (
            TYPE_TEXT.get(q.scheme)
            if q.kind == CHOICE
            else ("Jumlah" if q.kind == COUNT else "Nilai (0-4)")
        )
        s.cells[f"J{r}"] = type_text
        if number in answers:
            s.cells[f"K{r}"] = answers[number]
        if number in notes:
            s.cells[f"O{r}"] = notes[number]
        if number in evidence:
            s.cells[f"P{r}"], s.cells[f"Q{r}"] = evidence[number]
        if tpi and number in tpi:
            s.cells[f"R{r}"] = tpi[number]
        count_rows[number] = r
        if q.kind == CHOICE and q.part != "bersih_akuntabel":
            s.cells[f"L{r}"] = _row_formula(r)
            s.score[r] = ("choice", q, type_text)
        return r

    count_rows: dict[int, int] = {}
    for component in spec.components:
        comp_row = heading(
            component.code,
            "A",
            f"{component.numbering}. {component.name.upper()}",
            component.weight,
        )
        part_rows = []
        for part_code in component.parts:
            part = spec.part(part_code)
            part_row = heading(
                part.code, "B", f"{part.numbering}. {part.name.upper()}", part.weight
            )
            part_rows.append(part_row)
            child_rows = []
            if part.has_areas:
                for n, ap in enumerate(part.areas, start=1):
                    area = spec.area(ap.area)
                    ap_row = heading(
                        f"{ap.area}@{part.code}", "C", f"{n}. {area.name.upper()}", ap.weight
                    )
                    child_rows.append(ap_row)
                    sub_rows = []
                    for sub in spec.sub_areas_of(ap.area, part.code, nested=True):
                        sub_row = heading(sub.code, "D", f"{sub.numbering}. {sub.name}", sub.weight)
                        if sub.parent is None:
                            sub_rows.append(sub_row)
                        if sub.is_group:
                            s.score[sub_row] = ("sum", [])  # filled below
                            s.cells[f"L{sub_row}"] = None
                            continue
                        ratio_first = {}
                        for item in sub.items:
                            if isinstance(item, RatioItem):
                                first = min(item.questions, key=spec.numbers.index)
                                ratio_first[first] = item
                        block = []
                        for number in sub.questions:
                            if number in ratio_first:
                                item = ratio_first[number]
                                r = s.next()
                                s.cells[f"{text_column}{r}"] = f"Persentase: {item.label}"
                                s.cells[f"J{r}"] = "%"
                                s.cells[f"K{r}"] = "=RATIO"  # replaced once rows are known
                                s.score[r] = ("ratio", item)
                                s.cells[f"L{r}"] = f"=K{r}"
                                block.append(r)
                            block.append(question(number))
                        # The slip: the range runs one row on, into the next heading's subtotal.
                        end = block[-1] + (1 if sub.code in wide_average else 0)
                        s.cells[f"L{sub_row}"] = f"=AVERAGE(L{block[0]}:L{end})*H{sub_row}"
                        s.score[sub_row] = ("avg", list(range(block[0], end + 1)), sub.weight)
                        if sub.parent is not None:
                            group = headings[sub.parent]
                            s.score[group][1].append(sub_row)
                    for group_code in [
                        x.code for x in spec.sub_areas_of(ap.area, part.code) if x.is_group
                    ]:
                        g = headings[group_code]
                        s.cells[f"L{g}"] = "=SUM(" + ",".join(f"L{x}" for x in s.score[g][1]) + ")"
                    _sum(s, ap_row, sub_rows)
            else:
                for item_code in part.hasil_items:
                    item = spec.hasil_item(item_code)
                    r = question(item.question)
                    q = spec.question(item.question)
                    if q.kind == INDEX:
                        s.cells[f"L{r}"] = f"=K{r}/4*H{r}"
                        s.score[r] = ("index", item.weight)
                    else:
                        s.cells[f"L{r}"] = (
                            f'=IF(K{r}="A",1,IF(K{r}="B",0.75,IF(K{r}="C",0.5,'
                            f'IF(K{r}="D",0.25,0))))*H{r}'
                        )
                        s.score[r] = ("hasil_choice", q, item.weight)
                    s.cells[f"H{r}"] = float(item.weight)
                    child_rows.append(r)
            _sum(s, part_row, child_rows)
        _sum(s, comp_row, part_rows)
    s.next()
    total_row = s.next()
    s.cells[f"A{total_row}"] = "TOTAL"
    _sum(s, total_row, [headings[c.code] for c in spec.components])
    # The "%" rows' formulas, now that the count rows are known.
    for r, how in list(s.score.items()):
        if how[0] == "ratio":
            item = how[1]
            num = "+".join(
                ("-" if t.sign < 0 else "+") + f"K{count_rows[t.question]}" for t in item.numerator
            ).lstrip("+")
            den = "+".join(f"K{count_rows[n]}" for n in item.denominator)
            s.cells[f"K{r}"] = f"=IFERROR(MIN(1,MAX(0,({num})/({den}))),0)"
    for code, value in constants.items():
        r = headings[code]
        s.cells[f"L{r}"] = value
        s.score[r] = ("const", Decimal(str(value)))

    cached = _evaluate(spec, s, answers, count_rows)
    workbook = openpyxl.Workbook()
    if utama:
        summary = workbook.active
        summary.title = "Utama"
        summary["B2"], summary["B4"], summary["B5"], summary["B6"] = (
            "Unit Kerja",
            "Pengungkit",
            "Hasil",
            "Nilai Total",
        )
        summary["C2"] = "Polres Contoh"
        refs = {
            "C4": headings["pengungkit"],
            "C5": headings["hasil"],
            "C6": total_row,
        }
        for ref, row in refs.items():
            summary[ref] = f"='{sheet}'!L{row}"
        lke = workbook.create_sheet(sheet)
        workbook.create_sheet("Ctt Eval")["A1"] = "Catatan evaluasi"
    else:
        lke = workbook.active
        lke.title = sheet
    for ref, value in s.cells.items():
        if value is not None:
            lke[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    values = {(sheet, f"L{r}"): v for r, v in cached.items()}
    values.update({(sheet, f"K{r}"): cached[r] for r, how in s.score.items() if how[0] == "ratio"})
    if utama:
        values.update({("Utama", ref): cached[row] for ref, row in refs.items()})
    return with_cached_values(out.getvalue(), values)


def _sum(s: _Sheet, row: int, parts: list[int]) -> None:
    s.cells[f"L{row}"] = "=SUM(" + ",".join(f"L{p}" for p in parts) + ")"
    s.score[row] = ("sum", parts)


def _evaluate(spec, s: _Sheet, answers, count_rows) -> dict[int, Decimal | None]:
    """Each score cell's value as the spreadsheet computes it (AVERAGE skips empty cells)."""
    memo: dict[int, Decimal | None] = {}

    def count(number):
        try:  # text that is not a number makes the "%" formula's IFERROR give 0
            return Decimal(str(answers[number]))
        except (KeyError, ArithmeticError):
            return None

    def value(r: int) -> Decimal | None:
        if r in memo:
            return memo[r]
        how = s.score.get(r)
        result: Decimal | None = None
        if how is None:
            result = None
        elif how[0] == "const":
            result = how[1]
        elif how[0] == "choice":
            q, type_text = how[1], how[2]
            raw = answers.get(q.number)
            result = Decimal(0)
            if raw is not None and type_text.casefold() in (t.casefold() for t in KNOWN_TYPES):
                for option in q.options:
                    if option.key.casefold() == str(raw).strip().casefold():
                        result = option.value
        elif how[0] == "ratio":
            item = how[1]
            num = sum(t.sign * (count(t.question) or 0) for t in item.numerator)
            den = sum(count(n) or 0 for n in item.denominator)
            result = Decimal(0) if den == 0 else min(Decimal(1), max(Decimal(0), num / den))
        elif how[0] == "avg":
            values = [v for x in how[1] if (v := value(x)) is not None]
            result = how[2] * sum(values) / len(values) if values else None
        elif how[0] == "sum":
            result = sum((value(x) or Decimal(0)) for x in how[1])
        memo[r] = result
        return result

    # Index and HASIL choice rows read the answer cell directly.
    for r, how in s.score.items():
        if how[0] == "index":
            number = next(n for n, row in count_rows.items() if row == r)
            raw = answers.get(number)
            memo[r] = None if raw is None else Decimal(str(raw)) / 4 * how[1]
        elif how[0] == "hasil_choice":
            q, weight = how[1], how[2]
            raw = answers.get(q.number)
            memo[r] = Decimal(0)
            for option in q.options:
                if raw is not None and option.key.casefold() == str(raw).casefold():
                    memo[r] = option.value * weight
    return {r: value(r) for r in s.score}


def with_cached_values(data: bytes, values: dict[tuple[str, str], Decimal | None]) -> bytes:
    """The workbook with each formula cell's cached result, as a spreadsheet program stores
    it after computing (``<c r="L6"><f>…</f><v>0.5</v></c>``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    book = openpyxl.load_workbook(io.BytesIO(data))
    files = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(book.sheetnames, start=1)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            for name, path in files.items():
                if info.filename != path:
                    continue
                xml = content.decode()

                def fill(match, name=name):
                    ref = match.group(1)
                    value = values.get((name, ref))
                    if value is None:
                        return match.group(0)
                    return f'<c r="{ref}"{match.group(2)}><f>{match.group(3)}</f><v>{value}</v></c>'

                xml = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/></c>', fill, xml)
                content = xml.encode()
            target.writestr(info, content)
    return out.getvalue()


def refs_of(data: bytes, sheet: str) -> dict[str, object]:
    """Cached values of a sheet, for checking what a built workbook holds."""
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {
        c.coordinate: c.value for row in book[sheet].iter_rows() for c in row if c.value is not None
    }

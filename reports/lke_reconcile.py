"""The workbook's own scores beside ours for the same answers, and why they differ.

A unit's workbook carries its own arithmetic: cached results of its formulas at the heading
rows (sub-area, area, part, component, total) and in a summary sheet. The preview shows them
beside this application's scores of the same answers (the unit's answers in the file,
scored by ``evaluations.scoring``) and explains each difference it can trace:

- a heading score typed as a number where the sum of its parts differs;
- an answer the workbook's row formula gave no score, because the formula does not know the
  answer-type text of that row ("Ya" where it tests for "Ya/Tidak");
- an AVERAGE over a range that takes in another heading's subtotal, or leaves out a
  question's row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluations.framework_spec import CHOICE, FrameworkSpec
from evaluations.scoring import AnswerError, AnswerInput, display, normalize_answer, score
from figures import formatting as fmt
from reports.lke_layout import SCORE, TYPE, UNIT_ANSWER, SheetRead, as_decimal, normal_text

_AVERAGE = re.compile(r"AVERAGE\(([^)]*)\)", re.IGNORECASE)
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


@dataclass
class Explanation:
    codes: tuple[str, ...]  # the node it concerns and those above it
    text: str


@dataclass
class FigureRow:
    code: str
    level: str  # total, component, part, area, area_part, sub_area
    label: str
    ours: Decimal  # exact
    theirs: Decimal | None  # the workbook's cached figure (None: not found)
    where: str  # sheet and cell it was read from
    explanations: list[str] = field(default_factory=list)  # slips found on this node itself
    traced: list[str] = field(default_factory=list)  # and those on the nodes below it

    @property
    def ours_shown(self) -> Decimal:
        return display(self.ours)

    @property
    def theirs_shown(self) -> Decimal | None:
        return None if self.theirs is None else display(self.theirs)

    @property
    def differs(self) -> bool:
        return self.theirs is not None and self.theirs_shown != self.ours_shown

    @property
    def difference(self) -> Decimal | None:
        return None if self.theirs is None else self.ours_shown - self.theirs_shown


@dataclass
class Reconciliation:
    rows: list[FigureRow]
    explanations: list[Explanation]
    answered: int

    @property
    def found(self) -> bool:
        return any(r.theirs is not None for r in self.rows)

    @property
    def untraced(self) -> list[FigureRow]:
        return [r for r in self.rows if r.differs and not r.traced]

    @property
    def differences(self) -> list[FigureRow]:
        return [r for r in self.rows if r.differs]

    @property
    def shown_rows(self) -> list[FigureRow]:
        """Everything above the sub-areas, and the sub-areas that differ."""
        return [r for r in self.rows if r.level != "sub_area" or r.differs]


def _ancestors(spec: FrameworkSpec, code: str) -> tuple[str, ...]:
    """The node and every node above it, up to "total"."""
    out = [code]
    if "@" in code:
        area, part = code.split("@")
        out += [area, part, spec.part(part).component]
    elif code in {s.code for s in spec.sub_areas}:
        sub = spec.sub_area(code)
        parent = sub.parent
        while parent:
            out.append(parent)
            parent = spec.sub_area(parent).parent
        out += [f"{sub.area}@{sub.part}", sub.area, sub.part, sub.component]
    elif code in {p.code for p in spec.parts}:
        out.append(spec.part(code).component)
    if code != "total":
        out.append("total")
    return tuple(out)


def _children(spec: FrameworkSpec, code: str, kind: str) -> list[str]:
    if kind == "total":
        return [c.code for c in spec.components]
    if kind == "component":
        return list(spec.component(code).parts)
    if kind == "part":
        return [f"{a.area}@{code}" for a in spec.part(code).areas]
    if kind == "area_part":
        area, part = code.split("@")
        return list(spec.area_part(area, part).sub_areas)
    if kind == "sub_area":
        return list(spec.sub_area(code).children)
    return []


def _n(value: Decimal) -> str:
    return fmt.number(value)


def _cell(read: SheetRead, row: int) -> str:
    return f"{read.columns.get(SCORE, '?')}{row}"


def reconcile(spec: FrameworkSpec, read: SheetRead) -> Reconciliation | None:
    """None for this application's own export (its figures are ours) or a sheet without a
    score column."""
    if SCORE not in read.columns:
        return None
    answers: dict[int, AnswerInput] = {}
    for number, cells in read.cells.items():
        raw = cells.get(UNIT_ANSWER)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        try:
            value = normalize_answer(spec, number, raw)
        except AnswerError:
            value = None
        answers[number] = AnswerInput(value)
    ours = score(spec, answers)
    headings = {h.code: h for h in read.headings}
    explanations: list[Explanation] = []
    explanations += _constants(spec, read, headings)
    explanations += _unrecognised_types(spec, read, answers)
    explanations += _averages(spec, read, headings)

    rows: list[FigureRow] = []

    def add(code, level, label, value):
        heading = headings.get(code)
        theirs = heading.value if heading else None
        where = f"{read.sheet}!{_cell(read, heading.row)}" if heading else ""
        if theirs is None:
            for s_code, s_sheet, s_cell, s_value in read.summary:
                if s_code == code:
                    theirs, where = s_value, f"{s_sheet}!{s_cell}"
                    break
        rows.append(FigureRow(code, level, label, value, theirs, where))

    add("total", "total", _("Total"), ours.total)
    for component in spec.components:
        add(component.code, "component", component.name, ours.components[component.code].score)
        for part_code in component.parts:
            part = spec.part(part_code)
            add(part.code, "part", part.name, ours.parts[part.code].score)
    for area in spec.areas:
        parts = [f"{area.code}@{p}" for p in area.part_weights]
        found = [headings[c].value for c in parts if c in headings]
        theirs = sum(found) if len(found) == len(parts) and None not in found else None
        rows.append(
            FigureRow(
                area.code,
                "area",
                area.name,
                ours.areas[area.code].total,
                theirs,
                ", ".join(_cell(read, headings[c].row) for c in parts if c in headings),
            )
        )
        for part_code in area.part_weights:
            code = f"{area.code}@{part_code}"
            add(
                code,
                "area_part",
                f"{area.name} · {spec.part(part_code).name}",
                ours.areas[area.code].parts[part_code],
            )
    for sub in spec.sub_areas:
        add(sub.code, "sub_area", f"{sub.numbering}. {sub.name}", ours.sub_areas[sub.code].score)
    for row in rows:
        row.explanations = [e.text for e in explanations if e.codes[0] == row.code]
        row.traced = [e.text for e in explanations if row.code in e.codes]
    answered = sum(1 for a in answers.values() if a.value is not None)
    return Reconciliation(rows=rows, explanations=explanations, answered=answered)


def _constants(spec, read: SheetRead, headings) -> list[Explanation]:
    out = []
    for heading in read.headings:
        if heading.formula is not None or heading.value is None:
            continue
        parts = [headings[c] for c in _children(spec, heading.code, heading.kind) if c in headings]
        values = [p.value for p in parts if p.value is not None]
        if not parts or len(values) != len(parts):
            continue
        total = sum(values)
        if display(total) == display(heading.value):
            continue
        out.append(
            Explanation(
                _ancestors(spec, heading.code),
                _(
                    "Sheet %(sheet)s, cell %(cell)s: the score of “%(name)s” is typed as the "
                    "number %(value)s, not computed; its parts (rows %(rows)s) add up to "
                    "%(sum)s."
                )
                % {
                    "sheet": read.sheet,
                    "cell": _cell(read, heading.row),
                    "name": heading.name,
                    "value": _n(heading.value),
                    "rows": ", ".join(str(p.row) for p in parts),
                    "sum": _n(total),
                },
            )
        )
    return out


def _unrecognised_types(spec, read: SheetRead, answers) -> list[Explanation]:
    out = []
    for q in spec.questions:
        if q.kind != CHOICE or q.number not in read.placements:
            continue
        value = answers.get(q.number, AnswerInput()).value
        if value is None or q.option(value).value == 0:
            continue
        cells = read.cells[q.number]
        row = read.placements[q.number].row
        theirs = as_decimal(cells.get(SCORE))
        if theirs is not None and theirs != 0:
            continue
        type_text = cells.get(TYPE)
        formula = read.formulas.get(q.number, {}).get(SCORE) or ""
        # The texts the formula compares the answer-type cell with (J8="Ya/Tidak").
        tested = re.compile(
            r"\$?"
            + re.escape(read.columns.get(TYPE, "?"))
            + r"\$?"
            + str(row)
            + r'\s*=\s*"([^"]*)"'
        )
        known = list(dict.fromkeys(t for t in tested.findall(formula) if t.strip()))
        codes = _ancestors(spec, q.sub_area) if q.sub_area else ("total",)
        if (
            type_text is not None
            and known
            and normal_text(type_text) not in {normal_text(t) for t in known}
        ):
            text = _(
                "Sheet %(sheet)s, row %(row)s (question %(number)s): the formula in %(cell)s "
                "does not recognise the answer type “%(type)s” (it knows %(known)s), so the "
                "workbook gave the answer “%(answer)s” no score."
            ) % {
                "sheet": read.sheet,
                "row": row,
                "number": q.number,
                "cell": _cell(read, row),
                "type": type_text,
                "known": ", ".join(f"“{t}”" for t in known[:8]),
                "answer": value,
            }
        else:
            text = _(
                "Sheet %(sheet)s, row %(row)s (question %(number)s): the workbook has no score "
                "in %(cell)s for the answer “%(answer)s”."
            ) % {
                "sheet": read.sheet,
                "row": row,
                "number": q.number,
                "cell": _cell(read, row),
                "answer": value,
            }
        out.append(Explanation(codes, text))
    return out


def _averages(spec, read: SheetRead, headings) -> list[Explanation]:
    out = []
    score_col = read.columns.get(SCORE)
    heading_rows = {h.row: h for h in read.headings}
    for heading in read.headings:
        if heading.kind != "sub_area" or not heading.formula:
            continue
        rows: set[int] = set()
        for args in _AVERAGE.findall(heading.formula):
            for col1, row1, _col2, row2 in _RANGE.findall(args):
                if col1 != score_col:
                    continue
                first, last = int(row1), int(row2 or row1)
                rows.update(range(min(first, last), max(first, last) + 1))
        if not rows:
            continue
        codes = _ancestors(spec, heading.code)
        for r in sorted(rows):
            other = heading_rows.get(r)
            if other is not None and other.code != heading.code:
                out.append(
                    Explanation(
                        codes,
                        _(
                            "Sheet %(sheet)s, cell %(cell)s: the AVERAGE of “%(name)s” takes in "
                            "row %(row)s, the subtotal of “%(other)s”."
                        )
                        % {
                            "sheet": read.sheet,
                            "cell": _cell(read, heading.row),
                            "name": heading.name,
                            "row": r,
                            "other": other.name,
                        },
                    )
                )
        sub = spec.sub_area(heading.code)
        if sub.is_group:
            continue
        for number in sub.questions:
            q = spec.question(number)
            placement = read.placements.get(number)
            if q.kind != CHOICE or q.information_only or placement is None:
                continue
            if placement.row not in rows:
                out.append(
                    Explanation(
                        codes,
                        _(
                            "Sheet %(sheet)s, cell %(cell)s: the AVERAGE of “%(name)s” leaves "
                            "out row %(row)s (question %(number)s)."
                        )
                        % {
                            "sheet": read.sheet,
                            "cell": _cell(read, heading.row),
                            "name": heading.name,
                            "row": placement.row,
                            "number": number,
                        },
                    )
                )
    return out

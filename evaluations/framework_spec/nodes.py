"""The parsed framework: frozen dataclasses from the question up to the ``FrameworkSpec``, and
the constants of the data format."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

# What ``evaluations.framework_spec`` re-exports. QUESTION_KINDS, RULE_BASES and
# EXCEL_COLUMN_KEYS are for the parser only and stay out of it.
__all__ = [
    "CHOICE",
    "COUNT",
    "CRITERION_TARGETS",
    "FORMAT",
    "INDEX",
    "AreaPartSpec",
    "AreaSpec",
    "ComponentSpec",
    "CriterionSpec",
    "ExcelCell",
    "FrameworkError",
    "FrameworkSpec",
    "HasilItemSpec",
    "ItemSpec",
    "OptionSpec",
    "PartSpec",
    "PredicateSpec",
    "QuestionItem",
    "QuestionSpec",
    "RatioItem",
    "RuleSpec",
    "SubAreaSpec",
    "Term",
]

FORMAT: Final = "zi-lke-framework/1"

CHOICE: Final = "choice"
COUNT: Final = "count"
INDEX: Final = "index"
QUESTION_KINDS: Final = (CHOICE, COUNT, INDEX)
CRITERION_TARGETS: Final = ("total", "component", "part", "hasil_item", "each_area")
RULE_BASES: Final = ("confirmed", "project")
EXCEL_COLUMN_KEYS: Final = ("unit_answer", "unit_note", "unit_evidence", "tpi_answer", "tpi_note")

_ONE: Final = Decimal(1)


class FrameworkError(ValueError):
    """A framework file is malformed; the message names the node and what is wrong."""


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class ExcelCell:
    """Where a question lives in the official spreadsheet (row + column letters)."""

    sheet: str
    row: int
    unit_answer: str
    unit_note: str
    unit_evidence: str
    tpi_answer: str
    tpi_note: str


@dataclass(frozen=True, slots=True)
class OptionSpec:
    key: str
    label: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    number: int
    text: str
    kriteria: str
    kind: str  # CHOICE | COUNT | INDEX
    scheme: str  # the master's answer type name: YA_TIDAK, ABC, ABCD, ABCDE, Jumlah, 0-4
    options: tuple[OptionSpec, ...]  # choice only
    index_range: tuple[Decimal, Decimal] | None  # index only: (min, max)
    information_only: bool
    excel: ExcelCell
    component: str
    part: str
    area: str | None  # None for HASIL questions
    sub_area: str | None  # leaf sub-area code; None for HASIL questions
    hasil_item: str | None  # hasil item code; None for PENGUNGKIT questions
    pokja: int | None
    path: tuple[str, ...]  # codes from component down to the leaf node

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.options)

    def option(self, key: str) -> OptionSpec:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(f"question {self.number} has no option {key!r}")

    @property
    def best_value(self) -> Decimal | None:
        """The item value of the best answer (choice, index); None for counts."""
        if self.kind == CHOICE:
            return max(o.value for o in self.options)
        if self.kind == INDEX:
            return _ONE
        return None


@dataclass(frozen=True, slots=True)
class QuestionItem:
    """A scored item whose value is one choice/index question's value."""

    question: int
    kind: str = "question"


@dataclass(frozen=True, slots=True)
class Term:
    question: int
    sign: int  # +1 or -1


@dataclass(frozen=True, slots=True)
class RatioItem:
    """A percentage item built from counts: clamp(sum(numerator) / sum(denominator), 0, 1)."""

    label: str
    numerator: tuple[Term, ...]
    denominator: tuple[int, ...]
    lever: int
    value_if_zero_denominator_numerator_zero: Decimal
    value_if_zero_denominator_numerator_nonzero: Decimal
    zero_denominator_rule: str
    zero_denominator_why: str
    kind: str = "ratio"

    @property
    def questions(self) -> tuple[int, ...]:
        """Every count the item reads, numerator first, without repeats."""
        seen: dict[int, None] = {}
        for term in self.numerator:
            seen[term.question] = None
        for number in self.denominator:
            seen[number] = None
        return tuple(seen)


ItemSpec = QuestionItem | RatioItem


@dataclass(frozen=True, slots=True)
class _Numbered:
    """What the numbered nodes of the tree (component, part, sub-area) start with; their own
    fields follow these four."""

    code: str
    numbering: str  # as the worksheet numbers it
    name: str
    weight: Decimal


@dataclass(frozen=True, slots=True)
class SubAreaSpec(_Numbered):
    component: str
    part: str
    area: str
    parent: str | None
    children: tuple[str, ...]  # codes; non-empty for a group sub-area (e.g. PW.R.iii)
    questions: tuple[int, ...]  # own questions (leaf only), sheet order
    items: tuple[ItemSpec, ...]  # scored items (leaf only)
    path: tuple[str, ...]

    @property
    def is_group(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True, slots=True)
class AreaSpec:
    code: str
    name: str
    pokja: int
    weight: Decimal  # all parts together
    part_weights: Mapping[str, Decimal]  # part code -> weight of this area in that part


@dataclass(frozen=True, slots=True)
class AreaPartSpec:
    """One area inside one part (e.g. MP in REFORM)."""

    area: str
    part: str
    weight: Decimal
    sub_areas: tuple[str, ...]  # top-level sub-area codes


@dataclass(frozen=True, slots=True)
class PartSpec(_Numbered):
    component: str
    areas: tuple[AreaPartSpec, ...]  # for an area part (PEMENUHAN, REFORM)
    hasil_items: tuple[str, ...]  # for an item part (HASIL sub-components)

    @property
    def has_areas(self) -> bool:
        return bool(self.areas)


@dataclass(frozen=True, slots=True)
class ComponentSpec(_Numbered):
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HasilItemSpec:
    code: str
    name: str
    weight: Decimal
    component: str
    part: str
    question: int


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    code: str
    label: str
    target: str  # one of CRITERION_TARGETS
    ref: str | None  # code of the component/part/hasil item; None for total/each_area
    minimum: Decimal | None  # points (all targets but each_area)
    min_percent: Decimal | None  # each_area only: percent of the area's weight


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    code: str
    name: str
    source: str
    requires_held: str | None  # code of a predicate the unit must already hold
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    code: str
    basis: str  # "confirmed" | "project"
    note: str


@dataclass(frozen=True, eq=False)
class FrameworkSpec:
    """A parsed, validated framework. Compare two specs by ``content_hash``."""

    slug: str
    title: str
    regulation: str
    evaluation_year_note: str
    version: str
    source: str
    notes: tuple[str, ...]
    total_weight: Decimal
    unanswered_item_value: Decimal
    rules: tuple[RuleSpec, ...]
    areas: tuple[AreaSpec, ...]
    components: tuple[ComponentSpec, ...]
    parts: tuple[PartSpec, ...]
    sub_areas: tuple[SubAreaSpec, ...]  # depth first: a group before its children
    hasil_items: tuple[HasilItemSpec, ...]
    questions: tuple[QuestionSpec, ...]  # sheet order
    predicates: tuple[PredicateSpec, ...]
    content_hash: str  # sha256 of the canonical JSON of the source dict
    questions_by_number: Mapping[int, QuestionSpec] = field(repr=False)
    _by_code: Mapping[str, Any] = field(repr=False)
    _area_parts: Mapping[tuple[str, str], AreaPartSpec] = field(repr=False)
    # Scratch space for derived, per-spec precomputation (the scoring plan).
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FrameworkSpec):
            return NotImplemented
        return self.content_hash == other.content_hash

    def __hash__(self) -> int:
        return hash(self.content_hash)

    # lookups ---------------------------------------------------------------
    @property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.areas)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(q.number for q in self.questions)

    def question(self, number: int) -> QuestionSpec:
        try:
            return self.questions_by_number[number]
        except KeyError:
            raise KeyError(f"framework {self.slug} has no question {number}") from None

    def _get(self, code: str, cls: type, what: str) -> Any:
        node = self._by_code.get(code)
        if not isinstance(node, cls):
            raise KeyError(f"framework {self.slug} has no {what} {code!r}")
        return node

    def area(self, code: str) -> AreaSpec:
        return self._get(code, AreaSpec, "area")

    def sub_area(self, code: str) -> SubAreaSpec:
        return self._get(code, SubAreaSpec, "sub-area")

    def part(self, code: str) -> PartSpec:
        return self._get(code, PartSpec, "part")

    def component(self, code: str) -> ComponentSpec:
        return self._get(code, ComponentSpec, "component")

    def hasil_item(self, code: str) -> HasilItemSpec:
        return self._get(code, HasilItemSpec, "hasil item")

    def predicate(self, code: str) -> PredicateSpec:
        for predicate in self.predicates:
            if predicate.code == code:
                return predicate
        raise KeyError(f"framework {self.slug} has no predicate {code!r}")

    def area_part(self, area: str, part: str) -> AreaPartSpec:
        try:
            return self._area_parts[(area, part)]
        except KeyError:
            raise KeyError(
                f"framework {self.slug}: area {area!r} is not in part {part!r}"
            ) from None

    def sub_areas_of(
        self, area: str, part: str, *, nested: bool = False
    ) -> tuple[SubAreaSpec, ...]:
        """Sub-areas of one area in one part, in order; with ``nested`` also their children."""
        top = [self.sub_area(code) for code in self.area_part(area, part).sub_areas]
        if not nested:
            return tuple(top)
        return tuple(s for t in top for s in self._walk(t))

    def _walk(self, sub_area: SubAreaSpec) -> Iterator[SubAreaSpec]:
        yield sub_area
        for child in sub_area.children:
            yield from self._walk(self.sub_area(child))

    def questions_of(self, sub_area: str) -> tuple[QuestionSpec, ...]:
        """Questions of a sub-area including those of its children, in sheet order."""
        numbers = [n for s in self._walk(self.sub_area(sub_area)) for n in s.questions]
        return tuple(sorted((self.questions_by_number[n] for n in numbers), key=_sheet_order))

    def area_of(self, number: int) -> AreaSpec | None:
        code = self.question(number).area
        return None if code is None else self.area(code)

    def sub_area_path(self, number: int) -> tuple[str, ...]:
        return self.question(number).path

    def pokja_of(self, number: int) -> int | None:
        return self.question(number).pokja

    @property
    def excel_rows(self) -> dict[int, int]:
        """Question number -> row in the official spreadsheet's answer sheet."""
        return {q.number: q.excel.row for q in self.questions}

    def question_at_row(self, row: int, sheet: str | None = None) -> QuestionSpec:
        for q in self.questions:
            if q.excel.row == row and (sheet is None or q.excel.sheet == sheet):
                return q
        raise KeyError(f"framework {self.slug} has no question at row {row}")


def _sheet_order(q: QuestionSpec) -> tuple[str, int, int]:
    return (q.excel.sheet, q.excel.row, q.number)

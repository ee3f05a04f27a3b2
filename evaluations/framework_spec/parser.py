"""Validating a framework dict into a ``FrameworkSpec``: one walk over the tree, every node
checked, codes and question numbers claimed once."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final, TypeVar

from evaluations.framework_spec.fields import (
    _bool,
    _check_sum,
    _dec,
    _dec_value,
    _int,
    _keys,
    _list,
    _str,
)
from evaluations.framework_spec.nodes import (
    _ONE,
    CHOICE,
    COUNT,
    CRITERION_TARGETS,
    EXCEL_COLUMN_KEYS,
    FORMAT,
    INDEX,
    QUESTION_KINDS,
    RULE_BASES,
    AreaPartSpec,
    AreaSpec,
    ComponentSpec,
    CriterionSpec,
    ExcelCell,
    FrameworkError,
    FrameworkSpec,
    HasilItemSpec,
    ItemSpec,
    OptionSpec,
    PartSpec,
    PredicateSpec,
    QuestionItem,
    QuestionSpec,
    RatioItem,
    RuleSpec,
    SubAreaSpec,
    Term,
    _Numbered,
    _sheet_order,
)

__all__ = ["content_hash_of", "parse_framework"]

_COLUMN_RE: Final = re.compile(r"^[A-Z]{1,3}$")

_N = TypeVar("_N", bound=_Numbered)


def content_hash_of(data: Mapping[str, Any]) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces, UTF-8): equal for equal content."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- parser


class _Parser:
    """Walks the dict once, validating and collecting nodes; builds the spec at the end."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.slug = "?"
        self.codes: dict[str, str] = {}  # code -> where it was defined (one namespace)
        self.by_code: dict[str, Any] = {}
        self.question_home: dict[int, str] = {}  # number -> where it was defined
        self.questions: list[QuestionSpec] = []
        self.rows: dict[tuple[str, int], int] = {}
        self.sub_areas: list[SubAreaSpec] = []
        self.area_parts: dict[tuple[str, str], AreaPartSpec] = {}
        self.parts: list[PartSpec] = []
        self.hasil_items: list[HasilItemSpec] = []
        self.rule_codes: set[str] = set()
        # number -> owner of every question anywhere in the tree, found before the strict pass,
        # so an item naming a question of a later sub-area gets the right message.
        self.prescan: dict[int, str] = {}
        _prescan(data, self.prescan)

    # --- header ------------------------------------------------------------
    def parse(self) -> FrameworkSpec:
        where = "framework"
        data = _keys(
            self.data,
            where,
            required=(
                "format",
                "slug",
                "title",
                "regulation",
                "evaluation_year_note",
                "version",
                "source",
                "total_weight",
                "excel",
                "scoring",
                "rules",
                "areas",
                "components",
                "predicates",
            ),
            optional=("notes",),
        )
        if data["format"] != FORMAT:
            raise FrameworkError(
                f"{where}: field 'format' must be {FORMAT!r}, got {data['format']!r}"
            )
        self.slug = _str(data, "slug", where)
        where = f"framework {self.slug}"
        for key in ("title", "regulation", "evaluation_year_note", "version", "source"):
            _str(data, key, where)
        notes_raw = data.get("notes", [])
        if not isinstance(notes_raw, list) or not all(isinstance(n, str) for n in notes_raw):
            raise FrameworkError(f"{where}: field 'notes' must be a list of strings")
        total_weight = _dec(data, "total_weight", where)

        self._excel(data["excel"])
        scoring = _keys(data["scoring"], "scoring", required=("unanswered_item_value",))
        unanswered = _dec(scoring, "unanswered_item_value", "scoring", high=_ONE)
        rules = self._rules(_list(data, "rules", where))
        self.areas_raw = self._area_defs(_list(data, "areas", where))

        components = [
            self._component(c, i) for i, c in enumerate(_list(data, "components", where), 1)
        ]
        _check_sum(where, "components", [c.weight for c in components], total_weight)
        areas = self._areas()
        predicates = self._predicates(_list(data, "predicates", where))

        self.questions.sort(key=_sheet_order)
        by_number = {q.number: q for q in self.questions}
        return FrameworkSpec(
            slug=self.slug,
            title=data["title"],
            regulation=data["regulation"],
            evaluation_year_note=data["evaluation_year_note"],
            version=data["version"],
            source=data["source"],
            notes=tuple(notes_raw),
            total_weight=total_weight,
            unanswered_item_value=unanswered,
            rules=rules,
            areas=areas,
            components=tuple(components),
            parts=tuple(self.parts),
            sub_areas=tuple(self.sub_areas),
            hasil_items=tuple(self.hasil_items),
            questions=tuple(self.questions),
            predicates=predicates,
            content_hash=content_hash_of(data),
            questions_by_number=by_number,
            _by_code=dict(self.by_code),
            _area_parts=dict(self.area_parts),
        )

    def _excel(self, node: Any) -> None:
        excel = _keys(node, "excel", required=("sheet", "columns"))
        self.sheet = _str(excel, "sheet", "excel")
        columns = _keys(excel["columns"], "excel columns", required=EXCEL_COLUMN_KEYS)
        for key in EXCEL_COLUMN_KEYS:
            letter = _str(columns, key, "excel columns")
            if not _COLUMN_RE.match(letter):
                raise FrameworkError(
                    f"excel columns: {key!r} must be a column letter like 'K', got {letter!r}"
                )
        self.columns = {k: columns[k] for k in EXCEL_COLUMN_KEYS}

    def _rules(self, nodes: list[Any]) -> tuple[RuleSpec, ...]:
        rules = []
        for i, node in enumerate(nodes, 1):
            where = f"rule #{i}"
            node = _keys(node, where, required=("code", "basis", "note"))
            code = _str(node, "code", where)
            where = f"rule {code}"
            if code in self.rule_codes:
                raise FrameworkError(f"{where}: code used twice")
            basis = _str(node, "basis", where)
            if basis not in RULE_BASES:
                raise FrameworkError(
                    f"{where}: basis must be one of {', '.join(RULE_BASES)}, got {basis!r}"
                )
            self.rule_codes.add(code)
            rules.append(RuleSpec(code=code, basis=basis, note=_str(node, "note", where)))
        return tuple(rules)

    def _claim(self, code: str, where: str) -> None:
        if code in self.codes:
            raise FrameworkError(f"{where}: code used twice (also {self.codes[code]})")
        self.codes[code] = where

    def _area_defs(self, nodes: list[Any]) -> dict[str, dict[str, Any]]:
        areas: dict[str, dict[str, Any]] = {}
        pokjas: dict[int, str] = {}
        for i, node in enumerate(nodes, 1):
            where = f"area #{i}"
            node = _keys(node, where, required=("code", "pokja", "name", "weight"))
            code = _str(node, "code", where)
            where = f"area {code}"
            self._claim(code, where)
            pokja = _int(node, "pokja", where)
            if pokja in pokjas:
                raise FrameworkError(f"{where}: pokja {pokja} is already area {pokjas[pokja]}")
            pokjas[pokja] = code
            areas[code] = {
                "name": _str(node, "name", where),
                "pokja": pokja,
                "weight": _dec(node, "weight", where),
                "parts": {},
            }
        return areas

    def _areas(self) -> tuple[AreaSpec, ...]:
        result = []
        for code, raw in self.areas_raw.items():
            part_weights: dict[str, Decimal] = raw["parts"]
            _check_sum(f"area {code}", "its parts", list(part_weights.values()), raw["weight"])
            area = AreaSpec(
                code=code,
                name=raw["name"],
                pokja=raw["pokja"],
                weight=raw["weight"],
                part_weights=dict(part_weights),
            )
            self.by_code[code] = area
            result.append(area)
        return tuple(result)

    # --- tree --------------------------------------------------------------
    def _open(
        self,
        node: Any,
        where: str,
        kind: str,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ) -> tuple[dict[str, Any], str, str, Decimal]:
        """A component, part or sub-area begins: its fields checked, its code claimed, its
        weight read. Returns the node, its code, where it is (``"part pemenuhan"``), its weight."""
        node = _keys(
            node,
            where,
            required=("code", "numbering", "name", "weight", *required),
            optional=optional,
        )
        code = _str(node, "code", where)
        where = f"{kind} {code}"
        self._claim(code, where)
        return node, code, where, _dec(node, "weight", where)

    def _close(
        self,
        spec_class: type[_N],
        node: dict[str, Any],
        where: str,
        code: str,
        weight: Decimal,
        **fields: Any,
    ) -> _N:
        """The spec of what ``_open`` began, its numbering and name read only now (after its
        children, whose errors come first), filed under its code."""
        spec = spec_class(
            code=code,
            numbering=_str(node, "numbering", where),
            name=_str(node, "name", where),
            weight=weight,
            **fields,
        )
        self.by_code[code] = spec
        return spec

    def _component(self, node: Any, index: int) -> ComponentSpec:
        node, code, where, weight = self._open(
            node, f"component #{index}", "component", required=("parts",)
        )
        parts = [self._part(p, i, code) for i, p in enumerate(_list(node, "parts", where), 1)]
        _check_sum(where, "parts", [p.weight for p in parts], weight)
        return self._close(
            ComponentSpec, node, where, code, weight, parts=tuple(p.code for p in parts)
        )

    def _part(self, node: Any, index: int, component: str) -> PartSpec:
        node, code, where, weight = self._open(
            node, f"part #{index} of component {component}", "part", optional=("areas", "items")
        )
        if ("areas" in node) == ("items" in node):
            raise FrameworkError(f"{where}: needs exactly one of 'areas' or 'items'")
        area_parts: list[AreaPartSpec] = []
        hasil: list[HasilItemSpec] = []
        if "areas" in node:
            seen: set[str] = set()
            for i, raw in enumerate(_list(node, "areas", where), 1):
                area_part = self._area_part(raw, i, component, code)
                if area_part.area in seen:
                    raise FrameworkError(f"{where}: area {area_part.area} appears twice")
                seen.add(area_part.area)
                area_parts.append(area_part)
            _check_sum(where, "areas", [a.weight for a in area_parts], weight)
        else:
            hasil = [
                self._hasil_item(raw, i, component, code)
                for i, raw in enumerate(_list(node, "items", where), 1)
            ]
            _check_sum(where, "items", [h.weight for h in hasil], weight)
        spec = self._close(
            PartSpec,
            node,
            where,
            code,
            weight,
            component=component,
            areas=tuple(area_parts),
            hasil_items=tuple(h.code for h in hasil),
        )
        self.parts.append(spec)
        return spec

    def _area_part(self, node: Any, index: int, component: str, part: str) -> AreaPartSpec:
        where = f"area #{index} in part {part}"
        node = _keys(node, where, required=("area", "weight", "sub_areas"))
        area = _str(node, "area", where)
        where = f"area {area} in part {part}"
        if area not in self.areas_raw:
            known = ", ".join(self.areas_raw) or "none"
            raise FrameworkError(
                f"{where}: area {area!r} is not defined in 'areas' (defined: {known})"
            )
        weight = _dec(node, "weight", where)
        pokja = self.areas_raw[area]["pokja"]
        context = {"component": component, "part": part, "area": area, "pokja": pokja}
        subs = [
            self._sub_area(
                raw, i, context, None, (component, part, area), f"area {area} in part {part}"
            )
            for i, raw in enumerate(_list(node, "sub_areas", where), 1)
        ]
        _check_sum(where, "sub-areas", [s.weight for s in subs], weight)
        self.areas_raw[area]["parts"][part] = weight
        spec = AreaPartSpec(
            area=area, part=part, weight=weight, sub_areas=tuple(s.code for s in subs)
        )
        self.area_parts[(area, part)] = spec
        return spec

    def _sub_area(
        self,
        node: Any,
        index: int,
        context: dict[str, Any],
        parent: str | None,
        path: tuple[str, ...],
        owner: str,
    ) -> SubAreaSpec:
        node, code, where, weight = self._open(
            node,
            f"sub-area #{index} of {owner}",
            "sub-area",
            optional=("children", "questions", "items"),
        )
        path = (*path, code)
        if ("children" in node) == ("questions" in node):
            raise FrameworkError(f"{where}: needs exactly one of 'children' or 'questions'")
        # Reserve the position before the children so the tuple stays "group before children".
        position = len(self.sub_areas)
        self.sub_areas.append(None)  # type: ignore[arg-type]
        children: tuple[str, ...] = ()
        questions: tuple[int, ...] = ()
        items: tuple[ItemSpec, ...] = ()
        if "children" in node:
            if "items" in node:
                raise FrameworkError(f"{where}: a sub-area with children has no items of its own")
            kids = [
                self._sub_area(raw, i, context, code, path, where)
                for i, raw in enumerate(_list(node, "children", where), 1)
            ]
            _check_sum(where, "children", [k.weight for k in kids], weight)
            children = tuple(k.code for k in kids)
        else:
            qs = [
                self._question(raw, i, where, context, code, None, path)
                for i, raw in enumerate(_list(node, "questions", where), 1)
            ]
            questions = tuple(q.number for q in qs)
            items = self._items(node, where, {q.number: q for q in qs})
        spec = self._close(
            SubAreaSpec,
            node,
            where,
            code,
            weight,
            component=context["component"],
            part=context["part"],
            area=context["area"],
            parent=parent,
            children=children,
            questions=questions,
            items=items,
            path=path,
        )
        self.sub_areas[position] = spec
        return spec

    def _items(
        self, node: dict[str, Any], where: str, own: dict[int, QuestionSpec]
    ) -> tuple[ItemSpec, ...]:
        items: list[ItemSpec] = []
        if "items" not in node:
            items = [
                QuestionItem(question=q.number)
                for q in own.values()
                if q.kind in (CHOICE, INDEX) and not q.information_only
            ]
        else:
            for i, raw in enumerate(_list(node, "items", where), 1):
                items.append(self._item(raw, f"{where} item {i}", own))
        if not items:
            raise FrameworkError(f"{where}: has no scored items")
        used: dict[int, str] = {}
        for i, item in enumerate(items, 1):
            numbers = (item.question,) if isinstance(item, QuestionItem) else item.questions
            for number in numbers:
                if isinstance(item, QuestionItem) and number in used:
                    raise FrameworkError(f"{where}: question {number} is scored twice")
                used.setdefault(number, f"item {i}")
        for number, q in own.items():
            if q.information_only and number in used:
                raise FrameworkError(
                    f"{where}: question {number} is information only but used by {used[number]}"
                )
            if not q.information_only and number not in used:
                raise FrameworkError(
                    f"{where}: question {number} is used by no item; "
                    "score it or mark it information_only"
                )
        return tuple(items)

    def _item(self, raw: Any, where: str, own: dict[int, QuestionSpec]) -> ItemSpec:
        if not isinstance(raw, dict) or raw.get("kind") not in ("question", "ratio"):
            raise FrameworkError(f"{where}: 'kind' must be 'question' or 'ratio'")
        if raw["kind"] == "question":
            node = _keys(raw, where, required=("kind", "question"))
            number = _int(node, "question", where)
            q = self._own_question(number, where, own, "names")
            if q.kind not in (CHOICE, INDEX):
                raise FrameworkError(
                    f"{where}: question {number} is a {q.kind} question; "
                    "a question item needs a choice or index question"
                )
            return QuestionItem(question=number)
        node = _keys(
            raw,
            where,
            required=("kind", "label", "numerator", "denominator", "lever", "if_denominator_zero"),
        )
        numerator = _keys(
            node["numerator"], f"{where} numerator", required=("add",), optional=("subtract",)
        )
        denominator = _keys(node["denominator"], f"{where} denominator", required=("add",))
        terms: list[Term] = []
        for key, sign in (("add", 1), ("subtract", -1)):
            if key in numerator:
                for number in self._count_list(numerator, key, f"{where} numerator", own):
                    terms.append(Term(question=number, sign=sign))
        den = self._count_list(denominator, "add", f"{where} denominator", own)
        lever = _int(node, "lever", where)
        if lever not in {t.question for t in terms}:
            raise FrameworkError(f"{where}: lever {lever} must be one of the numerator's questions")
        zero_where = f"{where} if_denominator_zero"
        zero = _keys(
            node["if_denominator_zero"],
            zero_where,
            required=("numerator_zero", "numerator_nonzero", "rule", "why"),
        )
        rule = _str(zero, "rule", zero_where)
        if rule not in self.rule_codes:
            raise FrameworkError(f"{zero_where}: rule {rule!r} is not declared in 'rules'")
        return RatioItem(
            label=_str(node, "label", where),
            numerator=tuple(terms),
            denominator=tuple(den),
            lever=lever,
            value_if_zero_denominator_numerator_zero=_dec(
                zero, "numerator_zero", zero_where, high=_ONE
            ),
            value_if_zero_denominator_numerator_nonzero=_dec(
                zero, "numerator_nonzero", zero_where, high=_ONE
            ),
            zero_denominator_rule=rule,
            zero_denominator_why=_str(zero, "why", zero_where),
        )

    def _count_list(
        self, node: dict[str, Any], key: str, where: str, own: dict[int, QuestionSpec]
    ) -> list[int]:
        numbers = _list(node, key, where)
        result = []
        for value in numbers:
            if isinstance(value, bool) or not isinstance(value, int):
                raise FrameworkError(f"{where}: {key!r} must list question numbers, got {value!r}")
            q = self._own_question(value, where, own, "names")
            if q.kind != COUNT:
                raise FrameworkError(
                    f"{where}: names question {value}, which is not a count question ({q.scheme})"
                )
            result.append(value)
        return result

    def _own_question(
        self, number: int, where: str, own: dict[int, QuestionSpec], verb: str
    ) -> QuestionSpec:
        if number in own:
            return own[number]
        home = self.question_home.get(number) or self.prescan.get(number)
        if home is not None:
            raise FrameworkError(f"{where}: {verb} question {number}, which belongs to {home}")
        raise FrameworkError(f"{where}: {verb} question {number}, which does not exist")

    def _hasil_item(self, node: Any, index: int, component: str, part: str) -> HasilItemSpec:
        where = f"item #{index} of part {part}"
        node = _keys(node, where, required=("code", "name", "weight", "question"))
        code = _str(node, "code", where)
        where = f"hasil item {code}"
        self._claim(code, where)
        context = {"component": component, "part": part, "area": None, "pokja": None}
        q = self._question(node["question"], 1, where, context, None, code, (component, part, code))
        if q.kind not in (CHOICE, INDEX):
            raise FrameworkError(
                f"{where}: question {q.number} is a {q.kind} question; "
                "a hasil item needs a choice or index question"
            )
        if q.information_only:
            raise FrameworkError(f"{where}: question {q.number} cannot be information only")
        spec = HasilItemSpec(
            code=code,
            name=_str(node, "name", where),
            weight=_dec(node, "weight", where),
            component=component,
            part=part,
            question=q.number,
        )
        self.by_code[code] = spec
        self.hasil_items.append(spec)
        return spec

    def _question(
        self,
        node: Any,
        index: int,
        owner: str,
        context: dict[str, Any],
        sub_area: str | None,
        hasil_item: str | None,
        path: tuple[str, ...],
    ) -> QuestionSpec:
        where = f"question #{index} of {owner}"
        if (
            isinstance(node, dict)
            and isinstance(node.get("number"), int)
            and not isinstance(node["number"], bool)
        ):
            where = f"question {node['number']}"
        node = _keys(
            node,
            where,
            required=("number", "text", "kriteria", "type", "scheme", "excel_row"),
            optional=("options", "range", "information_only"),
        )
        number = _int(node, "number", where)
        if number in self.question_home:
            raise FrameworkError(
                f"{where}: number used twice ({self.question_home[number]} and {owner})"
            )
        self.question_home[number] = owner
        kind = _str(node, "type", where)
        if kind not in QUESTION_KINDS:
            raise FrameworkError(
                f"{where}: type must be one of {', '.join(QUESTION_KINDS)}, got {kind!r}"
            )
        options: tuple[OptionSpec, ...] = ()
        index_range: tuple[Decimal, Decimal] | None = None
        if kind == CHOICE:
            options = self._options(node, where)
        elif "options" in node:
            raise FrameworkError(f"{where}: only choice questions have options")
        if kind == INDEX:
            index_range = self._range(node, where)
        elif "range" in node:
            raise FrameworkError(f"{where}: only index questions have a range")
        information_only = _bool(node, "information_only", where)
        if information_only and kind != COUNT:
            raise FrameworkError(f"{where}: only count questions can be information only")
        row = _int(node, "excel_row", where)
        if (self.sheet, row) in self.rows:
            raise FrameworkError(
                f"{where}: excel row {row} is also question {self.rows[(self.sheet, row)]}"
            )
        self.rows[(self.sheet, row)] = number
        q = QuestionSpec(
            number=number,
            text=_str(node, "text", where),
            kriteria=_str(node, "kriteria", where, empty=True),
            kind=kind,
            scheme=_str(node, "scheme", where),
            options=options,
            index_range=index_range,
            information_only=information_only,
            excel=ExcelCell(sheet=self.sheet, row=row, **self.columns),
            component=context["component"],
            part=context["part"],
            area=context["area"],
            sub_area=sub_area,
            hasil_item=hasil_item,
            pokja=context["pokja"],
            path=path,
        )
        self.questions.append(q)
        return q

    def _options(self, node: dict[str, Any], where: str) -> tuple[OptionSpec, ...]:
        if "options" not in node:
            raise FrameworkError(f"{where}: a choice question needs 'options'")
        options = []
        keys: set[str] = set()
        for i, raw in enumerate(_list(node, "options", where), 1):
            owhere = f"{where} option #{i}"
            if isinstance(raw, dict) and isinstance(raw.get("key"), str):
                owhere = f"{where} option {raw['key']!r}"
            raw = _keys(raw, owhere, required=("key", "label", "value"))
            key = _str(raw, "key", owhere)
            if key in keys:
                raise FrameworkError(f"{owhere}: key used twice")
            keys.add(key)
            if raw["value"] is None:
                raise FrameworkError(f"{owhere}: has no value")
            value = _dec(raw, "value", owhere, high=_ONE)
            options.append(OptionSpec(key=key, label=_str(raw, "label", owhere), value=value))
        if len({k.casefold() for k in keys}) != len(keys):
            raise FrameworkError(
                f"{where}: option keys differ only by case; answers match keys case-insensitively"
            )
        return tuple(options)

    def _range(self, node: dict[str, Any], where: str) -> tuple[Decimal, Decimal]:
        if "range" not in node:
            raise FrameworkError(f"{where}: an index question needs 'range': [min, max]")
        raw = node["range"]
        if not isinstance(raw, list) or len(raw) != 2:
            raise FrameworkError(f'{where}: range must be [min, max], e.g. ["0", "4"]')
        low = _dec_value(raw[0], "range min", where)
        high = _dec_value(raw[1], "range max", where)
        if low >= high:
            raise FrameworkError(f"{where}: range min must be below max, got {raw}")
        return (low, high)

    # --- predicates ----------------------------------------------------------
    def _predicates(self, nodes: list[Any]) -> tuple[PredicateSpec, ...]:
        predicates: list[PredicateSpec] = []
        for i, node in enumerate(nodes, 1):
            where = f"predicate #{i}"
            node = _keys(
                node,
                where,
                required=("code", "name", "criteria"),
                optional=("source", "requires_held"),
            )
            code = _str(node, "code", where)
            where = f"predicate {code}"
            if any(p.code == code for p in predicates):
                raise FrameworkError(f"{where}: code used twice")
            requires = node.get("requires_held")
            if requires is not None and (
                not isinstance(requires, str) or not any(p.code == requires for p in predicates)
            ):
                raise FrameworkError(
                    f"{where}: requires_held must name a predicate defined before it, "
                    f"got {requires!r}"
                )
            source = _str(node, "source", where) if "source" in node else ""
            criteria = []
            seen: set[str] = set()
            for j, raw in enumerate(_list(node, "criteria", where), 1):
                criterion = self._criterion(raw, f"{where} criterion #{j}")
                if criterion.code in seen:
                    raise FrameworkError(f"{where} criterion {criterion.code}: code used twice")
                seen.add(criterion.code)
                criteria.append(criterion)
            predicates.append(
                PredicateSpec(
                    code=code,
                    name=_str(node, "name", where),
                    source=source,
                    requires_held=requires,
                    criteria=tuple(criteria),
                )
            )
        return tuple(predicates)

    def _criterion(self, raw: Any, where: str) -> CriterionSpec:
        if isinstance(raw, dict) and isinstance(raw.get("code"), str):
            where = f"{where.rsplit(' criterion', 1)[0]} criterion {raw['code']}"
        node = _keys(
            raw, where, required=("code", "label", "of"), optional=("ref", "min", "min_percent")
        )
        code = _str(node, "code", where)
        target = _str(node, "of", where)
        if target not in CRITERION_TARGETS:
            raise FrameworkError(
                f"{where}: 'of' must be one of {', '.join(CRITERION_TARGETS)}, got {target!r}"
            )
        kinds = {"component": ComponentSpec, "part": PartSpec, "hasil_item": HasilItemSpec}
        ref = None
        if target in kinds:
            if "ref" not in node:
                raise FrameworkError(f"{where}: a {target} criterion needs 'ref'")
            ref = _str(node, "ref", where)
            if not isinstance(self.by_code.get(ref), kinds[target]):
                raise FrameworkError(f"{where}: ref {ref!r} is not a {target.replace('_', ' ')}")
        elif "ref" in node:
            raise FrameworkError(f"{where}: a {target} criterion takes no 'ref'")
        minimum = min_percent = None
        if target == "each_area":
            if "min" in node or "min_percent" not in node:
                raise FrameworkError(
                    f"{where}: an each_area criterion needs 'min_percent' (and no 'min')"
                )
            min_percent = _dec(node, "min_percent", where, high=Decimal(100))
        else:
            if "min_percent" in node or "min" not in node:
                raise FrameworkError(
                    f"{where}: a {target} criterion needs 'min' (and no 'min_percent')"
                )
            minimum = _dec(node, "min", where)
        return CriterionSpec(
            code=code,
            label=_str(node, "label", where),
            target=target,
            ref=ref,
            minimum=minimum,
            min_percent=min_percent,
        )


def _prescan(data: Any, found: dict[int, str]) -> None:
    """Best-effort walk collecting question numbers; malformed nodes are left to the strict pass."""

    def questions(node: Any, owner: str) -> None:
        for q in node.get("questions", []) if isinstance(node.get("questions"), list) else []:
            if isinstance(q, dict) and isinstance(q.get("number"), int):
                found.setdefault(q["number"], owner)

    def sub_area(node: Any) -> None:
        if not isinstance(node, dict):
            return
        questions(node, f"sub-area {node.get('code')}")
        for child in node.get("children", []) if isinstance(node.get("children"), list) else []:
            sub_area(child)

    def each(node: Any, key: str) -> list[Any]:
        value = node.get(key) if isinstance(node, dict) else None
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    for component in each(data, "components"):
        for part in each(component, "parts"):
            for area in each(part, "areas"):
                for node in each(area, "sub_areas"):
                    sub_area(node)
            for item in each(part, "items"):
                question = item.get("question")
                if isinstance(question, dict) and isinstance(question.get("number"), int):
                    found.setdefault(question["number"], f"hasil item {item.get('code')}")


def parse_framework(data: Mapping[str, Any]) -> FrameworkSpec:
    """Validate a framework dict and return its spec; raise FrameworkError naming the bad node."""
    return _Parser(data).parse()

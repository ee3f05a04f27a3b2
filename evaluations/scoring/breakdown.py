"""Scoring one set of answers: the compiled plan of a framework, ``score``, the predicate
checks and the JSON contract of a breakdown. Exact arithmetic as the package docstring says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import gcd, lcm
from typing import Any

from evaluations.framework_spec import CHOICE, FrameworkSpec, QuestionItem, RatioItem
from evaluations.scoring.answers import _reject
from evaluations.scoring.results import (
    _EXACT,
    _HUNDRED,
    AnswerError,
    AnswerInput,
    AnswerValue,
    AreaResult,
    Breakdown,
    Completeness,
    ComponentResult,
    HasilItemResult,
    PartResult,
    PredicateResult,
    Shortfall,
    SubAreaResult,
    display,
)
from figures.rounding import share_of_weight

__all__ = ["contract_dict", "score"]

# --------------------------------------------------------------------------- the plan
# Item tuples (tuples, not objects: this loop runs thousands of times a second). A "slot" is a
# question's position in spec.questions; answers are read into a list by slot once per scoring.
#   (_CHOICE, slot, number, {key: points}, unanswered_points)
#   (_INDEX, slot, number, full_points, low_num, low_den, span_num, span_den, unanswered_points,
#    low, high)
#   (_RATIO, ((slot, numerator_sign, denominator_sign, number), ...), full_points,
#    zero_points_num0, zero_points_num1, unanswered_points)
#   each count once, the numerator's first; its signs say how often it is added to the
#   numerator (-1: subtracted) and to the denominator (0: not on that side).
# "points" are integers in units of 1/D0 (D0 is the spec's common denominator).
_CHOICE, _INDEX, _RATIO = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Plan:
    d0: int
    numbers: frozenset[int]
    node_codes: tuple[str, ...]  # sub-area codes, then hasil item codes
    leaves: tuple[tuple[int, tuple[tuple[Any, ...], ...]], ...]  # (node, items)
    slots: tuple[tuple[int, int], ...]  # (question number, node) in spec.questions order
    groups: tuple[tuple[int, tuple[int, ...]], ...]  # (node, children), children before parents
    area_parts: tuple[tuple[str, str, tuple[int, ...]], ...]  # (area, part, top-level nodes)
    counts: tuple[int, ...]  # questions under each node
    hasil_nodes: dict[str, int]  # hasil item code -> node
    sub_area_info: tuple[tuple[Any, ...], ...]  # (code, name, area, part, parent, is_group, weight)
    area_weights: dict[str, Fraction]


def _plan(spec: FrameworkSpec) -> _Plan:
    plan = spec._cache.get("scoring_plan")
    if plan is None:
        plan = _compile(spec)
        spec._cache["scoring_plan"] = plan
    return plan


def _leaf_factors(
    spec: FrameworkSpec,
) -> list[tuple[int, Fraction, tuple[Any, ...], tuple[int, ...]]]:
    """(node, points of one item at value 1, items, questions) for every scored node."""
    result = []
    for node, sub_area in enumerate(spec.sub_areas):
        if not sub_area.is_group:
            factor = Fraction(sub_area.weight) / len(sub_area.items)
            result.append((node, factor, sub_area.items, sub_area.questions))
    offset = len(spec.sub_areas)
    for i, item in enumerate(spec.hasil_items):
        result.append(
            (offset + i, Fraction(item.weight), (QuestionItem(item.question),), (item.question,))
        )
    return result


def _ratio_terms(
    item: RatioItem, slot_of: Mapping[int, int]
) -> tuple[tuple[int, int, int, int], ...]:
    """(slot, numerator sign, denominator sign, number) of each count a ratio item reads."""
    signs: dict[int, list[int]] = {}
    for term in item.numerator:
        signs.setdefault(term.question, [0, 0])[0] += term.sign
    for number in item.denominator:
        signs.setdefault(number, [0, 0])[1] += 1
    return tuple((slot_of[n], on_top, below, n) for n, (on_top, below) in signs.items())


def _compile(spec: FrameworkSpec) -> _Plan:
    unanswered = Fraction(spec.unanswered_item_value)
    leaves = _leaf_factors(spec)
    # Every fixed contribution must be an integer number of 1/D0 units.
    denominators = {1}
    for _, factor, items, _ in leaves:
        denominators.add((factor * unanswered).denominator)
        denominators.add(factor.denominator)
        for item in items:
            if isinstance(item, QuestionItem):
                for option in spec.question(item.question).options:
                    denominators.add((factor * Fraction(option.value)).denominator)
            else:
                for value in (
                    item.value_if_zero_denominator_numerator_zero,
                    item.value_if_zero_denominator_numerator_nonzero,
                ):
                    denominators.add((factor * Fraction(value)).denominator)
    d0 = lcm(*denominators)

    def points(fraction: Fraction) -> int:
        scaled = fraction * d0
        assert scaled.denominator == 1
        return scaled.numerator

    slot_of = {q.number: i for i, q in enumerate(spec.questions)}
    node_of: dict[int, int] = {}
    compiled = []
    for node, factor, items, questions in leaves:
        for number in questions:
            node_of[number] = node
        plans: list[tuple[Any, ...]] = []
        for item in items:
            if isinstance(item, RatioItem):
                plans.append(
                    (
                        _RATIO,
                        _ratio_terms(item, slot_of),
                        points(factor),
                        points(factor * Fraction(item.value_if_zero_denominator_numerator_zero)),
                        points(factor * Fraction(item.value_if_zero_denominator_numerator_nonzero)),
                        points(factor * unanswered),
                    )
                )
                continue
            q = spec.question(item.question)
            if q.kind == CHOICE:
                table = {o.key: points(factor * Fraction(o.value)) for o in q.options}
                plans.append(
                    (_CHOICE, slot_of[q.number], q.number, table, points(factor * unanswered))
                )
            else:
                low, high = q.index_range  # type: ignore[misc]
                low_f = Fraction(low)
                span = Fraction(high) - low_f
                # value = (x - low) / span; as integers so the hot loop needs no Fraction objects.
                plans.append(
                    (
                        _INDEX,
                        slot_of[q.number],
                        q.number,
                        points(factor),
                        low_f.numerator,
                        low_f.denominator,
                        span.numerator,
                        span.denominator,
                        points(factor * unanswered),
                        low,
                        high,
                    )
                )
        compiled.append((node, tuple(plans), questions))

    index_of = {s.code: i for i, s in enumerate(spec.sub_areas)}
    groups = tuple(
        (index_of[s.code], tuple(index_of[c] for c in s.children))
        for s in reversed(spec.sub_areas)
        if s.is_group
    )
    area_parts = tuple(
        (ap.area, ap.part, tuple(index_of[c] for c in ap.sub_areas))
        for part in spec.parts
        for ap in part.areas
    )
    counts = [0] * (len(spec.sub_areas) + len(spec.hasil_items))
    for node, _, questions in compiled:
        counts[node] = len(questions)
    for node, children in groups:
        counts[node] = sum(counts[c] for c in children)
    offset = len(spec.sub_areas)
    return _Plan(
        d0=d0,
        counts=tuple(counts),
        hasil_nodes={h.code: offset + i for i, h in enumerate(spec.hasil_items)},
        numbers=frozenset(spec.numbers),
        node_codes=(*(s.code for s in spec.sub_areas), *(h.code for h in spec.hasil_items)),
        leaves=tuple((node, items) for node, items, _ in compiled),
        slots=tuple((q.number, node_of[q.number]) for q in spec.questions),
        sub_area_info=tuple(
            (s.code, s.name, s.area, s.part, s.parent, s.is_group, s.weight) for s in spec.sub_areas
        ),
        area_weights={a.code: Fraction(a.weight) for a in spec.areas},
        groups=groups,
        area_parts=area_parts,
    )


# --------------------------------------------------------------------------- scoring


def score(
    spec: FrameworkSpec,
    answers: Mapping[int, AnswerInput],
    *,
    holds_wbk: bool | None = None,
    held: Mapping[str, bool] | None = None,
) -> Breakdown:
    """Score one set of answers (use ``effective_answers`` to merge unit and TPI answers).

    ``holds_wbk``: whether the unit already holds WBK (None = unknown); a predicate that
    ``requires_held`` WBK lists "does not yet hold WBK" as a shortfall when it is False, but its
    ``meets`` only reflects the score thresholds. ``held`` states the same for any predicate code.
    """
    plan = _plan(spec)
    unknown = answers.keys() - plan.numbers
    if unknown:
        number = sorted(unknown, key=str)[0]
        raise AnswerError(
            f"question {number} does not exist in framework {spec.slug}", question=number
        )

    n_nodes = len(plan.node_codes)
    sums = [0] * n_nodes
    answered = [0] * n_nodes
    evidenced = [0] * n_nodes
    fractions: list[tuple[int, int, int]] = []  # (node, p, q): p/q units of 1/D0 that do not divide
    get = answers.get

    values: list[AnswerValue] = []
    append = values.append
    for number, node in plan.slots:
        answer = get(number)
        if answer is None:
            append(None)
            continue
        value = answer.value
        append(value)
        if value is not None:
            answered[node] += 1
        if answer.has_evidence:
            evidenced[node] += 1

    for node, items in plan.leaves:
        subtotal = 0
        for item in items:
            kind = item[0]
            if kind == _CHOICE:
                value = values[item[1]]
                if value is None:
                    subtotal += item[4]
                else:
                    points = item[3].get(value) if isinstance(value, str) else None
                    if points is None:
                        raise _reject(spec, item[2], value)
                    subtotal += points
            elif kind == _RATIO:
                numerator = 0
                denominator = 0
                missing = False
                for slot, on_top, below, number in item[1]:
                    value = values[slot]
                    if value is None:
                        missing = True
                        break
                    if type(value) is not int or value < 0:
                        raise _reject(spec, number, value)
                    numerator += on_top * value
                    denominator += below * value
                if missing:
                    subtotal += item[5]
                elif denominator == 0:
                    subtotal += item[3] if numerator == 0 else item[4]
                elif numerator >= denominator:
                    subtotal += item[2]
                elif numerator > 0:
                    p = item[2] * numerator
                    divisor = gcd(p, denominator)
                    if divisor == denominator:
                        subtotal += p // divisor
                    else:
                        fractions.append((node, p // divisor, denominator // divisor))
                # numerator <= 0: the item is worth 0 (clamped)
            else:  # _INDEX
                value = values[item[1]]
                if value is None:
                    subtotal += item[8]
                else:
                    if (
                        not isinstance(value, Decimal)
                        or not value.is_finite()
                        or not item[9] <= value <= item[10]
                    ):
                        raise _reject(spec, item[2], value)
                    p, q = value.as_integer_ratio()
                    # points x (p/q - low_n/low_d) / (span_n/span_d)
                    p = item[3] * (p * item[5] - item[4] * q) * item[7]
                    q = q * item[5] * item[6]
                    divisor = gcd(p, q)
                    if divisor == q:
                        subtotal += p // divisor
                    else:
                        fractions.append((node, p // divisor, q // divisor))
        sums[node] = subtotal

    # One common denominator for this scoring: D0 x lcm of the leftover denominators.
    if fractions:
        scale = lcm(*{q for _, _, q in fractions})
        nums = [s * scale for s in sums]
        for node, p, q in fractions:
            nums[node] += p * (scale // q)
    else:
        scale = 1
        nums = sums
    common = plan.d0 * scale
    common_decimal = Decimal(common)

    def exact(numerator: int) -> Decimal:
        return _EXACT.divide(Decimal(numerator), common_decimal)

    counts = plan.counts
    for node, children in plan.groups:
        n = a = e = 0
        for c in children:
            n += nums[c]
            a += answered[c]
            e += evidenced[c]
        nums[node] = n
        answered[node] = a
        evidenced[node] = e

    sub_areas: dict[str, SubAreaResult] = {}
    for node, (code, name, area, part, parent, is_group, weight) in enumerate(plan.sub_area_info):
        sub_areas[code] = SubAreaResult(
            code=code,
            name=name,
            area=area,
            part=part,
            parent=parent,
            is_group=is_group,
            weight=weight,
            score=exact(nums[node]),
            completeness=Completeness(answered[node], counts[node], evidenced[node]),
        )

    # Sums over the tree, all on integer numerators: (points, answered, questions, with evidence).
    area_part: dict[tuple[str, str], tuple[int, int, int, int]] = {}
    for area, part, tops in plan.area_parts:
        n = a = t = e = 0
        for c in tops:
            n += nums[c]
            a += answered[c]
            t += counts[c]
            e += evidenced[c]
        area_part[(area, part)] = (n, a, t, e)

    areas: dict[str, AreaResult] = {}
    for spec_area in spec.areas:
        n = a = t = e = 0
        by_part: dict[str, Decimal] = {}
        for part_code in spec_area.part_weights:
            pn, pa, pt, pe = area_part[(spec_area.code, part_code)]
            n += pn
            a += pa
            t += pt
            e += pe
            by_part[part_code] = exact(pn)
        weight = plan.area_weights[spec_area.code]
        areas[spec_area.code] = AreaResult(
            code=spec_area.code,
            name=spec_area.name,
            pokja=spec_area.pokja,
            weight=spec_area.weight,
            total=exact(n),
            parts=by_part,
            part_weights=dict(spec_area.part_weights),
            percent=_EXACT.divide(
                Decimal(n * 100 * weight.denominator), Decimal(common * weight.numerator)
            )
            if weight
            else _HUNDRED,
            completeness=Completeness(a, t, e),
        )

    hasil_items: dict[str, HasilItemResult] = {}
    for h in spec.hasil_items:
        node = plan.hasil_nodes[h.code]
        answer = get(h.question)
        hasil_items[h.code] = HasilItemResult(
            code=h.code,
            name=h.name,
            part=h.part,
            question=h.question,
            answer=None if answer is None else answer.value,
            weight=h.weight,
            score=exact(nums[node]),
        )

    parts: dict[str, PartResult] = {}
    part_sums: dict[str, tuple[int, int, int, int]] = {}
    for part_spec in spec.parts:
        n = a = t = e = 0
        if part_spec.has_areas:
            for ap in part_spec.areas:
                pn, pa, pt, pe = area_part[(ap.area, part_spec.code)]
                n += pn
                a += pa
                t += pt
                e += pe
        else:
            for code in part_spec.hasil_items:
                node = plan.hasil_nodes[code]
                n += nums[node]
                a += answered[node]
                t += counts[node]
                e += evidenced[node]
        part_sums[part_spec.code] = (n, a, t, e)
        parts[part_spec.code] = PartResult(
            code=part_spec.code,
            name=part_spec.name,
            component=part_spec.component,
            has_areas=part_spec.has_areas,
            weight=part_spec.weight,
            score=exact(n),
            completeness=Completeness(a, t, e),
        )

    components: dict[str, ComponentResult] = {}
    total_num = total_answered = total_questions = total_evidenced = 0
    for component in spec.components:
        n = a = t = e = 0
        for code in component.parts:
            pn, pa, pt, pe = part_sums[code]
            n += pn
            a += pa
            t += pt
            e += pe
        total_num += n
        total_answered += a
        total_questions += t
        total_evidenced += e
        components[component.code] = ComponentResult(
            code=component.code,
            name=component.name,
            weight=component.weight,
            score=exact(n),
            parts=component.parts,
            completeness=Completeness(a, t, e),
        )

    total = exact(total_num)
    held_map = dict(held or {})
    if holds_wbk is not None:
        held_map.setdefault("WBK", holds_wbk)
    predicates = {
        p.code: _check_predicate(
            spec, p.code, total, components, parts, areas, hasil_items, held_map
        )
        for p in spec.predicates
    }
    return Breakdown(
        framework=spec.slug,
        framework_version=spec.version,
        total=total,
        total_weight=spec.total_weight,
        completeness=Completeness(total_answered, total_questions, total_evidenced),
        components=components,
        parts=parts,
        areas=areas,
        sub_areas=sub_areas,
        hasil_items=hasil_items,
        predicates=predicates,
    )


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _check_predicate(
    spec: FrameworkSpec,
    code: str,
    total: Decimal,
    components: dict[str, ComponentResult],
    parts: dict[str, PartResult],
    areas: dict[str, AreaResult],
    hasil_items: dict[str, HasilItemResult],
    held: Mapping[str, bool],
) -> PredicateResult:
    predicate = spec.predicate(code)
    shortfalls: list[Shortfall] = []
    for criterion in predicate.criteria:
        if criterion.target == "each_area":
            percent = criterion.min_percent
            assert percent is not None
            for area in areas.values():
                actual = display(area.total)
                required = display(area.weight * percent / _HUNDRED)
                if actual >= required:
                    continue
                gap = required - actual
                # The shown score over the weight, two decimals: a failing area never reads as
                # its minimum (8.99 of 15 is 59.93%).
                shown = share_of_weight(actual, area.weight) if area.weight else _HUNDRED
                shortfalls.append(
                    Shortfall(
                        predicate=code,
                        criterion=criterion.code,
                        label=area.name,
                        area=area.code,
                        actual=actual,
                        required=required,
                        gap=gap,
                        message=(
                            f"{area.name} {actual} of {_fmt(area.weight)} ({shown}%); "
                            f"{code} needs {_fmt(percent)}% = {required} (+{gap})"
                        ),
                    )
                )
            continue
        if criterion.target == "total":
            value = total
        elif criterion.target == "component":
            value = components[criterion.ref].score  # type: ignore[index]
        elif criterion.target == "part":
            value = parts[criterion.ref].score  # type: ignore[index]
        else:
            value = hasil_items[criterion.ref].score  # type: ignore[index]
        actual = display(value)
        required = display(criterion.minimum)  # type: ignore[arg-type]
        if actual >= required:
            continue
        gap = required - actual
        shortfalls.append(
            Shortfall(
                predicate=code,
                criterion=criterion.code,
                label=criterion.label,
                area=None,
                actual=actual,
                required=required,
                gap=gap,
                message=f"{criterion.label} {actual}; {code} needs {required} (+{gap})",
            )
        )
    meets = not shortfalls
    if predicate.requires_held is not None and held.get(predicate.requires_held) is False:
        shortfalls.append(
            Shortfall(
                predicate=code,
                criterion="held",
                label=f"holds {predicate.requires_held}",
                area=None,
                actual=None,
                required=None,
                gap=None,
                message=f"does not yet hold {predicate.requires_held}",
            )
        )
    return PredicateResult(
        code=code, name=predicate.name, meets=meets, shortfalls=tuple(shortfalls)
    )


# --------------------------------------------------------------------------- contract


def contract_dict(breakdown: Breakdown) -> dict[str, Any]:
    """The CLI/API contract: two-decimal JSON numbers keyed by the framework's codes.

    For lke-2021: ``{"framework", "total", "pengungkit", "pemenuhan", "reform", "hasil",
    "areas": {"MP": {"pemenuhan", "reform", "total", "weight"}, ...}, "hasil_items": {"ipak",
    "capaian_kinerja", "ipkp", "bersih_akuntabel", "pelayanan_prima"}, "meets": {"WBK",
    "WBBM"}, "shortfalls": {"WBK": [message], "WBBM": [message]}}``.
    """

    def number(value: Decimal) -> float:
        # float of a two-decimal Decimal prints back as the same two decimals in JSON.
        return float(display(value))

    result: dict[str, Any] = {"framework": breakdown.framework, "total": number(breakdown.total)}
    for component in breakdown.components.values():
        result[component.code] = number(component.score)
        for code in component.parts:
            part = breakdown.parts[code]
            if part.has_areas:
                result[code] = number(part.score)
    result["areas"] = {
        area.code: {
            **{code: number(value) for code, value in area.parts.items()},
            "total": number(area.total),
            "weight": number(area.weight),
        }
        for area in breakdown.areas.values()
    }
    hasil: dict[str, float] = {
        code: number(item.score) for code, item in breakdown.hasil_items.items()
    }
    for part in breakdown.parts.values():
        if not part.has_areas:
            hasil[part.code] = number(part.score)
    result["hasil_items"] = hasil
    result["meets"] = {code: p.meets for code, p in breakdown.predicates.items()}
    result["shortfalls"] = {
        code: [s.message for s in p.shortfalls] for code, p in breakdown.predicates.items()
    }
    return result

"""What-if: the total and predicates a programme would reach with some answers changed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from evaluations.framework_spec import FrameworkSpec, QuestionSpec
from evaluations.scoring import (
    AnswerError,
    AnswerInput,
    AnswerValue,
    Breakdown,
    normalize_answer,
    score,
)
from evaluations.selectors.answers import answer_input, answer_layers
from evaluations.selectors.overview import Overview, PredicateView, predicate_views
from evaluations.wording import bad_answer
from pokja.models import Programme

# --------------------------------------------------------------------------- what-if


@dataclass
class WhatIfItem:
    """One question in the what-if form: its answer in force and the hypothetical one."""

    spec: QuestionSpec
    current: AnswerValue
    value: AnswerValue  # what the form shows: the hypothetical answer, else the current one
    raw: str | None = None  # the text as typed, when it could not be read
    error: str | None = None
    survey_fed: bool = False

    @property
    def changed(self) -> bool:
        return self.error is None and self.value != self.current

    @property
    def number(self) -> int:
        return self.spec.number

    @property
    def shown(self) -> str:
        """The value for a text/number input (dot decimals, as HTML wants; an index to the two
        decimals every page shows it with)."""
        if self.raw is not None:
            return self.raw
        return answer_input(self.value)


@dataclass
class WhatIf:
    real: Breakdown
    real_predicates: list[PredicateView]
    hypothetical: Breakdown | None  # None until something valid was changed
    hypothetical_predicates: list[PredicateView]
    items: dict[int, WhatIfItem]
    focus: list[WhatIfItem]  # the questions that close the shortfalls cheapest
    groups: list[tuple[str, str, list[WhatIfItem]]]  # (section code, name, items)
    submitted: bool

    @property
    def changed(self) -> list[WhatIfItem]:
        return [item for item in self.items.values() if item.changed]

    @property
    def errors(self) -> list[WhatIfItem]:
        return [item for item in self.items.values() if item.error]

    @property
    def total_delta(self) -> Decimal:
        if self.hypothetical is None:
            return Decimal(0)
        return self.hypothetical.total - self.real.total


FOCUS_SIZE = 12


def what_if_from(
    *,
    spec: FrameworkSpec,
    effective: Mapping[int, AnswerInput],
    survey_fed: frozenset[int],
    holds_wbk: bool,
    real: Breakdown,
    real_predicates: list[PredicateView],
    target: str,
    raw: Mapping[int, str] | None,
) -> WhatIf:
    """Score hypothetical answers over the ones in force. Stores nothing.

    ``raw`` maps question numbers to the text submitted (blank: unanswered); questions not in
    it keep their answer. An unreadable value is reported on its question and nothing is scored.
    """
    items: dict[int, WhatIfItem] = {}
    for q in spec.questions:
        current = effective[q.number].value
        items[q.number] = WhatIfItem(q, current, current, survey_fed=q.number in survey_fed)
    for number, text in (raw or {}).items():
        item = items.get(number)
        if item is None:
            continue
        if text.strip() == answer_input(item.current):
            continue  # the field as the form showed it (an index to two decimals): unchanged
        try:
            item.value = normalize_answer(spec, number, text)
        except AnswerError:
            item.raw, item.error = text, bad_answer(spec, number, text)
    hypothetical = None
    hypothetical_predicates: list[PredicateView] = []
    changed = [i for i in items.values() if i.changed]
    if changed and not any(i.error for i in items.values()):
        answers = dict(effective)
        for item in changed:
            answers[item.number] = AnswerInput(item.value, effective[item.number].has_evidence)
        hypothetical = score(spec, answers, holds_wbk=holds_wbk)
        hypothetical_predicates, _gains = predicate_views(spec, hypothetical, answers, survey_fed)
        tried = {item.number: item.value for item in changed}
        for view in hypothetical_predicates:
            for row in view.rows:
                row.tried = tried  # its steps come on top of what is tried already
    order = sorted(real_predicates, key=lambda p: p.code != target)
    focus: dict[int, WhatIfItem] = {}
    for predicate in order:
        for plan in predicate.plans:
            for gain in plan.steps:
                if len(focus) < FOCUS_SIZE:
                    for number in gain.questions:  # every answer the step needs (q88, q89)
                        focus.setdefault(number, items[number])
    for item in changed:  # what the user changed stays in view
        focus.setdefault(item.number, item)
    groups: dict[str, list[WhatIfItem]] = defaultdict(list)
    for q in spec.questions:
        if q.number not in focus:  # one field per question, or the form would send it twice
            groups[q.area or q.component].append(items[q.number])
    named = [
        (
            code,
            spec.area(code).name if code in spec.area_codes else spec.component(code).name,
            members,
        )
        for code, members in groups.items()
    ]
    return WhatIf(
        real=real,
        real_predicates=real_predicates,
        hypothetical=hypothetical,
        hypothetical_predicates=hypothetical_predicates,
        items=items,
        focus=list(focus.values()),
        groups=named,
        submitted=raw is not None,
    )


def programme_what_if(
    programme: Programme, raw: Mapping[int, str] | None, *, base: Overview | None = None
) -> WhatIf:
    """The what-if of a programme: hypothetical answers over its effective answers."""
    if base is None:
        layers = answer_layers(programme)
        spec = layers.spec
        effective = layers.layer("effective")
        real = score(spec, effective, holds_wbk=programme.holds_wbk)
        real_predicates, _gains = predicate_views(spec, real, effective, layers.survey_fed)
    else:
        layers, spec = base.layers, base.spec
        effective = layers.layer("effective")
        real, real_predicates = base.breakdown, base.predicates
    return what_if_from(
        spec=spec,
        effective=effective,
        survey_fed=layers.survey_fed,
        holds_wbk=programme.holds_wbk,
        real=real,
        real_predicates=real_predicates,
        target=programme.target,
        raw=raw,
    )


__all__ = [
    "FOCUS_SIZE",
    "WhatIf",
    "WhatIfItem",
    "programme_what_if",
    "what_if_from",
]

"""python manage.py survey_index --instrument SLUG FILE.csv

Computes a survey's indices from a CSV of responses, exactly as the results pages do, and
prints one JSON object:

    {"instrument", "respondents", "item_means": {"U1": ..}, "index", "ikm", "category",
     "quality", "lke_score"}

Numbers have two decimals (half up, from the exact value). ``ikm``, ``category`` and
``quality`` are given for SKM-type instruments and ``lke_score`` for the perception surveys
(SPAK, SPKP), whose LKE weight is read from the LKE framework; the others are null, as is
anything that cannot be computed (an item nobody answered).

The CSV: a header row of item codes (U1..U9 for skm-2017), one row per respondent, values on
the instrument's scale (1..4), an empty cell for "not answered" (left out of that item's
mean). The instrument's profile columns may be present and are ignored. Any bad input (a
value off the scale, a non-number, an unknown column, a missing item column, an unknown
instrument, an unreadable file) exits with status 2 and one line on stderr naming the row
and column, and prints nothing on stdout.

Lives here rather than in surveys/ because it joins the survey arithmetic with the LKE
framework's weights, and only apps above both may read both.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from evaluations.framework_spec import (
    BUILTIN_DIR,
    FrameworkError,
    builtin_framework_path,
    load_framework_file,
)
from surveys.indices import aggregate_answers, round_display, survey_results
from surveys.instrument_spec import (
    INSTRUMENTS_DIR,
    InstrumentError,
    InstrumentSpec,
    load_instrument_file,
)
from surveys.response_csv import ResponseCsvError, parse_response_csv

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the command refuses; the message is the one line written to stderr."""


def _dumps(value: Any) -> str:
    """JSON with Decimals written as given (e.g. 3.50), so two decimals stay two decimals."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_dumps(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def _shown(value: Any) -> Decimal | None:
    return None if value is None else round_display(value)


def _instrument(slug: str) -> InstrumentSpec:
    path = INSTRUMENTS_DIR / f"{slug}.json"
    if "/" in slug or "\\" in slug or not path.is_file():
        known = ", ".join(sorted(p.stem for p in INSTRUMENTS_DIR.glob("*.json")))
        raise BadInput(f"--instrument {slug}: unknown instrument; known: {known}")
    try:
        return load_instrument_file(path)
    except InstrumentError as exc:
        raise BadInput(str(exc)) from None


def _lke_weight(spec: InstrumentSpec, framework: str | None) -> Decimal | None:
    """The weight of the LKE question the instrument feeds, from the LKE framework."""
    if spec.kind != "perception" or spec.lke_question is None:
        return None
    if framework:
        path = Path(framework) if framework.endswith(".json") else builtin_framework_path(framework)
    else:
        bundled = sorted(BUILTIN_DIR.glob("*.json"))
        if not bundled:
            raise BadInput("no bundled LKE framework to read the question's weight from")
        path = bundled[-1]  # slugs carry the regulation's year: the last is the newest
    try:
        framework_spec = load_framework_file(path)
    except FrameworkError as exc:
        raise BadInput(f"--framework: {exc}") from None
    for item in framework_spec.hasil_items:
        if item.question == spec.lke_question:
            return item.weight
    return None


class Command(BaseCommand):
    help = (
        "Compute the indices of a survey from a CSV of responses and print them as JSON "
        "(exit status 2 on bad input)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str):
            sys.stderr.write(f"survey_index: {message}\n")
            sys.exit(EXIT_BAD_INPUT)

        parser.error = one_line_error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--instrument", required=True, help="e.g. skm-2017, spak-2021")
        parser.add_argument("file", help="CSV file: header row of item codes, a row per respondent")
        parser.add_argument(
            "--framework",
            help="LKE framework (bundled slug or path) for the weight of the LKE score; "
            "default: the newest bundled framework",
        )

    def handle(self, *args, instrument: str, file: str, framework: str | None = None, **options):
        try:
            output = self.compute(instrument, file, framework)
        except BadInput as exc:
            # One line, whatever the message carries.
            sys.stderr.write(" ".join(str(exc).split()) + "\n")
            sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(_dumps(output))

    def compute(self, slug: str, file: str, framework: str | None) -> dict[str, Any]:
        spec = _instrument(slug)
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise BadInput(f"{file}: cannot read ({exc.strerror or exc})") from None
        try:
            sheet = parse_response_csv(content, spec)
        except ResponseCsvError as exc:
            raise BadInput(f"{file}: {exc}") from None
        items, respondents = aggregate_answers((row.answers for row in sheet.rows), spec)
        weight = _lke_weight(spec, framework)
        result = survey_results(spec, items=items, respondents=respondents, lke_weight=weight)
        ikm = result.ikm
        return {
            "instrument": spec.slug,
            "respondents": result.respondents,
            "item_means": {item.code: _shown(item.mean) for item in result.items},
            "index": _shown(result.index),
            "ikm": None if ikm is None else ikm.shown,
            "category": None if ikm is None else ikm.category.id,
            "quality": None if ikm is None else ikm.quality,
            "lke_score": _shown(result.lke_score),
        }

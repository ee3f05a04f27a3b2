"""Score LKE answers from a file, or a stored programme's worksheet, and print the contract JSON.

    python manage.py lke_score [--framework lke-2021] FILE.json
    python manage.py lke_score --programme POLRES-LABUHANBATU/2026 [--layer effective|unit|tpi]

FILE.json is ``{"answers": {"1": "Ya", "2": "B", "88": 12, "125": 3.61}}`` (question numbers as
keys; the option key for choice questions, a whole number 0 or more for counts, a number in the
index range for survey indices; a missing key is unanswered), optionally with
``"holds_wbk": true|false``. "-" reads the file from standard input.

The contract: the JSON of ``evaluations.scoring.contract_dict`` on stdout, every number with two
decimals. Any bad input: exit status 2, one line on stderr naming the question (or the file
position) and what is allowed, nothing on stdout.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from evaluations.framework_spec import (
    BUILTIN_DIR,
    FrameworkError,
    FrameworkSpec,
    builtin_framework_path,
    load_framework_file,
)
from evaluations.models import Framework
from evaluations.scoring import AnswerError, AnswerInput, contract_dict, normalize_answer, score
from evaluations.selectors import LAYERS, programme_answers
from pokja.models import Programme

DEFAULT_FRAMEWORK = "lke-2021"
EXIT_BAD_INPUT = 2
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PROGRAMME = re.compile(r"^(?P<unit>[A-Z0-9]+(?:-[A-Z0-9]+)*)/(?P<year>\d{4})$")


class BadInput(Exception):
    """One line for stderr; the command exits with status 2."""


class _JsonNumber(Decimal):
    """A JSON number with a fraction, kept exact and shown as written in messages."""

    def __repr__(self) -> str:
        return str(self)


def _no_constants(name: str) -> Any:
    raise BadInput(f"{name} is not a number JSON allows")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            where = f"question {key}" if key.isdigit() else f"key {key!r}"
            raise BadInput(f"{where} is given twice")
        result[key] = value
    return result


def dump_two_decimals(value: Any, indent: int = 0) -> str:
    """JSON with every float written with exactly two decimals (79.28, 8.00)."""
    pad, end = "  " * (indent + 1), "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {dump_two_decimals(v, indent + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{pad}{dump_two_decimals(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    if isinstance(value, float):
        return f"{value:.2f}"
    return json.dumps(value, ensure_ascii=False)


class Command(BaseCommand):
    help = (
        "Score LKE answers and print the breakdown as JSON: from FILE.json "
        '({"answers": {"1": "Ya", "88": 12, "125": 3.61}}) or from a stored programme '
        "(--programme UNIT-CODE/YEAR). Bad input: exit status 2 and one line on stderr."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str):
            self._fail(f"{message} (see --help)")

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help='answers file (JSON), or "-" for stdin')
        parser.add_argument(
            "--framework",
            help=f"framework slug for FILE (default {DEFAULT_FRAMEWORK}; the newest stored "
            "version, else the bundled file)",
        )
        parser.add_argument(
            "--programme", help="score a stored worksheet, e.g. POLRES-LABUHANBATU/2026"
        )
        parser.add_argument(
            "--layer",
            help="with --programme: effective (TPI answers win, the default), unit or tpi",
        )

    def _fail(self, message: str):
        self.stderr.write(" ".join(str(message).split()), style_func=lambda text: text)
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args, file=None, framework=None, programme=None, layer=None, **options):
        try:
            if programme is not None:
                if file is not None:
                    raise BadInput("give either FILE.json or --programme, not both")
                result = self._score_programme(programme, framework, layer)
            else:
                if file is None:
                    raise BadInput("give an answers file (FILE.json) or --programme UNIT-CODE/YEAR")
                if layer is not None:
                    raise BadInput("--layer applies to --programme only")
                result = self._score_file(file, framework or DEFAULT_FRAMEWORK)
        except BadInput as exc:
            self._fail(str(exc))
        self.stdout.write(dump_two_decimals(contract_dict(result)))

    # --- a stored programme -------------------------------------------------------------
    def _score_programme(self, key: str, framework: str | None, layer: str | None):
        match = _PROGRAMME.match(key.strip())
        if match is None:
            raise BadInput(
                f"--programme {key!r} must look like UNIT-CODE/YEAR, e.g. POLRES-LABUHANBATU/2026"
            )
        layer = layer or "effective"
        if layer not in LAYERS:
            raise BadInput(f"--layer {layer!r} is not allowed; allowed: {', '.join(LAYERS)}")
        try:
            found = (
                Programme.objects.select_related("unit", "framework")
                .filter(unit__code=match["unit"], year=int(match["year"]))
                .first()
            )
        except DatabaseError as exc:  # not bad input: the database is not there
            raise CommandError(f"cannot read the database: {exc}") from None
        if found is None:
            raise BadInput(f"there is no programme {match['unit']}/{match['year']}")
        if framework is not None and framework != found.framework.slug:
            raise BadInput(
                f"programme {found.key} is scored with {found.framework.slug}; "
                "leave out --framework"
            )
        answers = programme_answers(found, layer)  # type: ignore[arg-type]
        return score(found.framework.spec, answers, holds_wbk=found.holds_wbk)

    # --- an answers file ----------------------------------------------------------------
    def _spec(self, slug: str) -> FrameworkSpec:
        if not _SLUG.match(slug):
            raise BadInput(f"--framework {slug!r} is not a framework slug, e.g. lke-2021")
        try:
            stored = Framework.objects.filter(slug=slug).order_by("-version").first()
        except DatabaseError:  # no database set up: the bundled files still work
            stored = None
        if stored is not None:
            return stored.spec
        path = builtin_framework_path(slug)
        if not path.exists():
            known = sorted({p.stem for p in BUILTIN_DIR.glob("*.json")})
            with contextlib.suppress(DatabaseError):
                known = sorted(set(known) | set(Framework.objects.values_list("slug", flat=True)))
            raise BadInput(f"unknown framework {slug!r}; available: {', '.join(known)}")
        try:
            return load_framework_file(path)
        except FrameworkError as exc:
            raise BadInput(str(exc)) from None

    def _read(self, file: str) -> tuple[str, str]:
        if file == "-":
            return "stdin", sys.stdin.read()
        path = Path(file)
        try:
            return path.name, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise BadInput(f"{path.name}: not a UTF-8 text file") from None
        except OSError as exc:
            raise BadInput(f"{file}: cannot read: {exc.strerror}") from None

    def _score_file(self, file: str, slug: str):
        name, text = self._read(file)
        try:
            data = json.loads(
                text,
                parse_float=_JsonNumber,
                parse_constant=_no_constants,
                object_pairs_hook=_unique_keys,
            )
        except json.JSONDecodeError as exc:
            raise BadInput(
                f"{name}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        except RecursionError:
            raise BadInput(f"{name}: not valid JSON: nested too deeply") from None
        if not isinstance(data, dict):
            raise BadInput(f'{name}: must be a JSON object like {{"answers": {{"1": "Ya"}}}}')
        unknown = sorted(set(data) - {"answers", "holds_wbk"})
        if unknown:
            raise BadInput(f"{name}: unknown key {unknown[0]!r}; allowed: answers, holds_wbk")
        if "answers" not in data:
            raise BadInput(f'{name}: missing "answers" (question number -> answer)')
        raw_answers = data["answers"]
        if not isinstance(raw_answers, dict):
            raise BadInput(f'{name}: "answers" must be an object of question number -> answer')
        holds_wbk = data.get("holds_wbk")
        if holds_wbk is not None and not isinstance(holds_wbk, bool):
            raise BadInput(f'{name}: "holds_wbk" must be true or false')
        spec = self._spec(slug)
        low, high = min(spec.numbers), max(spec.numbers)
        answers: dict[int, AnswerInput] = {}
        for key, raw in raw_answers.items():
            if not re.fullmatch(r"[0-9]{1,9}", key.strip()):
                raise BadInput(
                    f"answers: key {key!r} is not a question number; allowed: {low}..{high}"
                )
            number = int(key)
            if number in answers:
                raise BadInput(f"question {number} is given twice")
            try:
                value = normalize_answer(spec, number, raw)
            except AnswerError as exc:
                raise BadInput(str(exc)) from None
            if isinstance(value, Decimal):
                value = Decimal(value)  # a plain Decimal, not the JSON parser's subclass
            answers[number] = AnswerInput(value)
        return score(spec, answers, holds_wbk=holds_wbk)

"""Survey instruments as data: parse and validate an instrument file.

An instrument file (``surveys/instruments/<slug>.json``) holds everything that is survey
content or a threshold: item codes and wording, the answer scale and its labels, the SKM
interval table, the minimum number of respondents, the respondent profile. Python holds only
the arithmetic (``surveys/indices.py``), so a new regulation means a new file, not new code.

Validation is strict and names the node that is wrong (``skm-2017: items[U4].labels: ...``),
because these files are edited by hand and a typo must not reach a survey form.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"

FORMAT_VERSION = 1
KINDS = ("skm", "perception")
# Where a piece of wording or a rule comes from. "project" marks choices this project made
# where the regulation is silent or unconfirmed, so users can see what they may change.
ORIGINS = ("regulation", "project")
PROFILE_KINDS = ("choice", "service")

# IKM bands are written, shown and compared at two decimals; contiguous bands therefore
# meet at a step of exactly 0.01 (76.60 | 76.61).
BAND_STEP = Decimal("0.01")

# Codes end up as CSV column names and CSV cell values, so no separators or spaces.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class InstrumentError(ValueError):
    """An instrument file is malformed; the message names the node."""

    def __init__(self, node: str, problem: str) -> None:
        super().__init__(f"{node}: {problem}")
        self.node = node
        self.problem = problem


@dataclass(frozen=True)
class Text:
    """A user-facing string in Indonesian (``id``, shown first) and English (``en``)."""

    id: str
    en: str


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: Text


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: tuple[ScalePoint, ...]  # one per value, ascending
    origin: str

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Dimension:
    """An SKM/SPKP element (unsur) or an SPAK aspect."""

    code: str
    name: Text


@dataclass(frozen=True)
class Item:
    code: str
    dimension: str
    question: Text
    labels: tuple[ScalePoint, ...]  # one per scale value, ascending
    origin: str


@dataclass(frozen=True)
class IkmBand:
    min: Decimal
    max: Decimal
    quality: str
    category: Text


@dataclass(frozen=True)
class IkmTable:
    conversion_factor: Decimal
    bands: tuple[IkmBand, ...]  # ascending, contiguous at BAND_STEP
    origin: str

    def band_for(self, shown: Decimal) -> IkmBand:
        """The band holding a two-decimal IKM as shown to users."""
        for band in self.bands:
            if band.min <= shown <= band.max:
                return band
        raise ValueError(f"IKM {shown} lies outside every band")


@dataclass(frozen=True)
class ProfileOption:
    code: str
    label: Text


@dataclass(frozen=True)
class ProfileField:
    code: str
    label: Text
    kind: str  # "choice": one of options; "service": from the survey's own service list
    options: tuple[ProfileOption, ...]
    origin: str


@dataclass(frozen=True)
class Source:
    regulation: str
    note: Text | None


@dataclass(frozen=True)
class InstrumentSpec:
    slug: str
    title: Text
    kind: str
    source: Source
    lke_question: int | None
    minimum_respondents: int
    instructions: Text | None
    scale: Scale
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    ikm: IkmTable | None  # present exactly when kind == "skm"
    profile: tuple[ProfileField, ...]
    notes: tuple[Text, ...]

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def item(self, code: str) -> Item:
        return _with_code(self.items, code)

    def profile_field(self, code: str) -> ProfileField:
        return _with_code(self.profile, code)


_Coded = TypeVar("_Coded", Item, ProfileField)


def _with_code(entries: tuple[_Coded, ...], code: str) -> _Coded:
    for entry in entries:
        if entry.code == code:
            return entry
    raise KeyError(code)


# ---------------------------------------------------------------------------------------
# Parsing helpers: each takes the node path so errors can name it.


def _mapping(value: Any, node: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InstrumentError(node, f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, node: str, *, non_empty: bool = True) -> list[Any]:
    if not isinstance(value, list):
        raise InstrumentError(node, f"expected a list, got {type(value).__name__}")
    if non_empty and not value:
        raise InstrumentError(node, "must not be empty")
    return value


def _keys(
    obj: Mapping[str, Any],
    node: str,
    required: set[str],
    optional: set[str] | frozenset[str] = frozenset(),
) -> None:
    missing = sorted(required - obj.keys())
    if missing:
        raise InstrumentError(node, f"missing key(s) {', '.join(missing)}")
    unknown = sorted(obj.keys() - required - optional)
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        raise InstrumentError(node, f"unknown key(s) {', '.join(unknown)}; allowed: {allowed}")


def _string(value: Any, node: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstrumentError(node, "expected a non-empty string")
    return value.strip()


def _code(value: Any, node: str) -> str:
    code = _string(value, node)
    if not _CODE.match(code):
        raise InstrumentError(node, f"code {code!r} must be letters, digits, '_' or '-'")
    return code


def _int(value: Any, node: str, *, minimum: int | None = None) -> int:
    # bool is an int subclass; "true" as a count is always a typo.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstrumentError(node, f"expected a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise InstrumentError(node, f"must be at least {minimum}, got {value}")
    return value


def _decimal(value: Any, node: str) -> Decimal:
    # Strings are preferred in files ("88.31"); floats come from json.load without
    # parse_float and are taken through their shortest repr, which is what was written.
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InstrumentError(node, f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InstrumentError(node, f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise InstrumentError(node, f"expected a finite number, got {value!r}")
    return number


def _text(value: Any, node: str) -> Text:
    obj = _mapping(value, node)
    _keys(obj, node, {"id", "en"})
    return Text(id=_string(obj["id"], f"{node}.id"), en=_string(obj["en"], f"{node}.en"))


def _origin(value: Any, node: str) -> str:
    if value not in ORIGINS:
        raise InstrumentError(node, f"must be one of {', '.join(ORIGINS)}, got {value!r}")
    return str(value)


def _labels(value: Any, node: str, values: range) -> tuple[ScalePoint, ...]:
    """Labels keyed by scale value ("1".."4" in JSON): exactly one per value."""
    obj = _mapping(value, node)
    by_value: dict[int, Text] = {}
    for key, label in obj.items():
        try:
            scale_value = int(key)
        except ValueError:
            raise InstrumentError(node, f"key {key!r} is not a scale value") from None
        if scale_value not in values:
            raise InstrumentError(
                node, f"label for {key} lies outside the scale {values.start}..{values.stop - 1}"
            )
        if scale_value in by_value:
            raise InstrumentError(node, f"two labels for scale value {scale_value}")
        by_value[scale_value] = _text(label, f"{node}.{key}")
    for scale_value in values:
        if scale_value not in by_value:
            raise InstrumentError(node, f"no label for scale value {scale_value}")
    return tuple(ScalePoint(v, by_value[v]) for v in values)


def _unique(codes: list[str], node: str, what: str) -> None:
    # Case-insensitive: item, profile and option codes are matched that way in CSV files,
    # so "U1" and "u1" would be the same column.
    seen: set[str] = set()
    for code in codes:
        if code.casefold() in seen:
            raise InstrumentError(node, f"duplicate {what} code {code!r}")
        seen.add(code.casefold())


def _entry(node: str, index: int, raw: Any) -> tuple[str, Mapping[str, Any]]:
    """A list entry and its node: named by its code when it has a usable one, else by index."""
    obj = _mapping(raw, f"{node}[{index}]")
    code = obj.get("code")
    if isinstance(code, str) and _CODE.match(code.strip()):
        return f"{node}[{code.strip()}]", obj
    return f"{node}[{index}]", obj


# ---------------------------------------------------------------------------------------
# Sections.


def _parse_scale(value: Any, node: str) -> Scale:
    obj = _mapping(value, node)
    _keys(obj, node, {"min", "max", "labels", "origin"})
    low = _int(obj["min"], f"{node}.min")
    high = _int(obj["max"], f"{node}.max")
    if low >= high:
        raise InstrumentError(node, f"min {low} must be below max {high}")
    values = range(low, high + 1)
    return Scale(
        min=low,
        max=high,
        labels=_labels(obj["labels"], f"{node}.labels", values),
        origin=_origin(obj["origin"], f"{node}.origin"),
    )


def _parse_dimensions(value: Any, node: str) -> tuple[Dimension, ...]:
    dimensions = []
    for index, raw in enumerate(_list(value, node)):
        here, obj = _entry(node, index, raw)
        _keys(obj, here, {"code", "name"})
        code = _code(obj["code"], f"{here}.code")
        dimensions.append(Dimension(code=code, name=_text(obj["name"], f"{here}.name")))
    _unique([d.code for d in dimensions], node, "dimension")
    return tuple(dimensions)


def _parse_items(
    value: Any, node: str, scale: Scale, dimensions: tuple[Dimension, ...], dimensions_node: str
) -> tuple[Item, ...]:
    dimension_codes = {d.code for d in dimensions}
    items = []
    for index, raw in enumerate(_list(value, node)):
        here, obj = _entry(node, index, raw)
        _keys(obj, here, {"code", "dimension", "question", "origin"}, {"labels"})
        code = _code(obj["code"], f"{here}.code")
        dimension = _code(obj["dimension"], f"{here}.dimension")
        if dimension not in dimension_codes:
            raise InstrumentError(f"{here}.dimension", f"unknown dimension {dimension!r}")
        # Items whose answers read exactly like the scale (agreement, frequency) leave
        # "labels" out and share the scale's; SKM items each have their own wording.
        labels = (
            _labels(obj["labels"], f"{here}.labels", scale.values)
            if "labels" in obj
            else scale.labels
        )
        items.append(
            Item(
                code=code,
                dimension=dimension,
                question=_text(obj["question"], f"{here}.question"),
                labels=labels,
                origin=_origin(obj["origin"], f"{here}.origin"),
            )
        )
    _unique([i.code for i in items], node, "item")
    used = {i.dimension for i in items}
    unused = [d.code for d in dimensions if d.code not in used]
    if unused:
        raise InstrumentError(f"{dimensions_node}[{unused[0]}]", "no item measures this dimension")
    return tuple(items)


def _parse_ikm(value: Any, node: str, scale: Scale) -> IkmTable:
    obj = _mapping(value, node)
    _keys(obj, node, {"conversion_factor", "intervals", "origin"})
    factor = _decimal(obj["conversion_factor"], f"{node}.conversion_factor")
    if factor <= 0:
        raise InstrumentError(f"{node}.conversion_factor", f"must be positive, got {factor}")
    bands = []
    for index, raw in enumerate(_list(obj["intervals"], f"{node}.intervals")):
        here = f"{node}.intervals[{index}]"
        band_obj = _mapping(raw, here)
        _keys(band_obj, here, {"min", "max", "quality", "category"})
        low = _decimal(band_obj["min"], f"{here}.min")
        high = _decimal(band_obj["max"], f"{here}.max")
        for bound, name in ((low, "min"), (high, "max")):
            if bound != bound.quantize(BAND_STEP):
                raise InstrumentError(f"{here}.{name}", f"{bound} has more than two decimals")
        if low > high:
            raise InstrumentError(here, f"min {low} is above max {high}")
        bands.append(
            IkmBand(
                min=low,
                max=high,
                quality=_code(band_obj["quality"], f"{here}.quality"),
                category=_text(band_obj["category"], f"{here}.category"),
            )
        )
    _unique([b.quality for b in bands], f"{node}.intervals", "quality")
    bands.sort(key=lambda band: band.min)
    for lower, upper in itertools.pairwise(bands):
        expected = lower.max + BAND_STEP
        if upper.min > expected:
            raise InstrumentError(
                f"{node}.intervals",
                f"gap between {lower.quality} (..{lower.max}) and {upper.quality} ({upper.min}..)",
            )
        if upper.min < expected:
            raise InstrumentError(
                f"{node}.intervals",
                f"{lower.quality} (..{lower.max}) overlaps {upper.quality} ({upper.min}..)",
            )
    floor, ceiling = scale.min * factor, scale.max * factor
    if bands[0].min != floor or bands[-1].max != ceiling:
        raise InstrumentError(
            f"{node}.intervals",
            f"must cover {floor}..{ceiling} (scale {scale.min}..{scale.max} x {factor}), "
            f"they cover {bands[0].min}..{bands[-1].max}",
        )
    return IkmTable(
        conversion_factor=factor,
        bands=tuple(bands),
        origin=_origin(obj["origin"], f"{node}.origin"),
    )


def _parse_profile(value: Any, node: str, item_codes: set[str]) -> tuple[ProfileField, ...]:
    fields = []
    for index, raw in enumerate(_list(value, node)):
        here, obj = _entry(node, index, raw)
        _keys(obj, here, {"code", "label", "kind", "origin"}, {"options"})
        code = _code(obj["code"], f"{here}.code")
        # Profile fields and items share one CSV header row, matched case-insensitively.
        if code.casefold() in item_codes:
            raise InstrumentError(f"{here}.code", f"{code!r} is also an item code")
        kind = obj["kind"]
        if kind not in PROFILE_KINDS:
            raise InstrumentError(
                f"{here}.kind", f"must be one of {', '.join(PROFILE_KINDS)}, got {kind!r}"
            )
        options: list[ProfileOption] = []
        if kind == "choice":
            if "options" not in obj:
                raise InstrumentError(here, "a choice field needs options")
            for option_index, option_raw in enumerate(_list(obj["options"], f"{here}.options")):
                option_node = f"{here}.options[{option_index}]"
                option_obj = _mapping(option_raw, option_node)
                _keys(option_obj, option_node, {"code", "label"})
                options.append(
                    ProfileOption(
                        code=_code(option_obj["code"], f"{option_node}.code"),
                        label=_text(option_obj["label"], f"{option_node}.label"),
                    )
                )
            _unique([o.code for o in options], f"{here}.options", "option")
        elif "options" in obj:
            raise InstrumentError(
                f"{here}.options",
                "a service field takes its options from the survey, not the instrument",
            )
        fields.append(
            ProfileField(
                code=code,
                label=_text(obj["label"], f"{here}.label"),
                kind=kind,
                options=tuple(options),
                origin=_origin(obj["origin"], f"{here}.origin"),
            )
        )
    _unique([f.code for f in fields], node, "profile field")
    return tuple(fields)


_TOP_REQUIRED = {
    "format",
    "slug",
    "title",
    "kind",
    "source",
    "lke_question",
    "minimum_respondents",
    "scale",
    "dimensions",
    "items",
    "profile",
}
_TOP_OPTIONAL = {"ikm", "instructions", "notes"}


def parse_instrument(data: Mapping[str, Any]) -> InstrumentSpec:
    """Validate an instrument's JSON data and return it as frozen dataclasses.

    Raises InstrumentError naming the first bad node, prefixed by the slug when known.
    """
    obj = _mapping(data, "instrument")
    slug = obj.get("slug")
    root = slug if isinstance(slug, str) and _SLUG.match(slug) else "instrument"
    _keys(obj, root, _TOP_REQUIRED, _TOP_OPTIONAL)
    if obj["format"] != FORMAT_VERSION:
        raise InstrumentError(
            f"{root}.format", f"this code reads format {FORMAT_VERSION}, got {obj['format']!r}"
        )
    if root == "instrument":
        raise InstrumentError("instrument.slug", f"{slug!r} must be lower-case words joined by '-'")

    def node(path: str) -> str:
        return f"{root}: {path}"

    kind = obj["kind"]
    if kind not in KINDS:
        raise InstrumentError(node("kind"), f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")

    source_obj = _mapping(obj["source"], node("source"))
    _keys(source_obj, node("source"), {"regulation"}, {"note"})
    source = Source(
        regulation=_string(source_obj["regulation"], node("source.regulation")),
        note=_text(source_obj["note"], node("source.note")) if "note" in source_obj else None,
    )

    lke_question = obj["lke_question"]
    if lke_question is not None:
        lke_question = _int(lke_question, node("lke_question"), minimum=1)

    scale = _parse_scale(obj["scale"], node("scale"))
    dimensions = _parse_dimensions(obj["dimensions"], node("dimensions"))
    items = _parse_items(obj["items"], node("items"), scale, dimensions, node("dimensions"))

    if kind == "skm":
        if "ikm" not in obj:
            raise InstrumentError(node("ikm"), "an skm instrument needs the IKM interval table")
        ikm = _parse_ikm(obj["ikm"], node("ikm"), scale)
        # IKM = sum(NRR x 1/n) x factor with n the number of elements: that weighting is
        # only right when each element is measured by exactly one item.
        per_dimension: dict[str, list[str]] = {}
        for item in items:
            per_dimension.setdefault(item.dimension, []).append(item.code)
        for dimension, codes in per_dimension.items():
            if len(codes) > 1:
                raise InstrumentError(
                    node(f"dimensions[{dimension}]"),
                    f"an skm element needs exactly one item, found {', '.join(codes)}",
                )
    else:
        if "ikm" in obj:
            raise InstrumentError(node("ikm"), "only an skm instrument has an IKM table")
        ikm = None

    notes = tuple(
        _text(note, node(f"notes[{index}]"))
        for index, note in enumerate(_list(obj.get("notes", []), node("notes"), non_empty=False))
    )
    return InstrumentSpec(
        slug=root,
        title=_text(obj["title"], node("title")),
        kind=kind,
        source=source,
        lke_question=lke_question,
        minimum_respondents=_int(
            obj["minimum_respondents"], node("minimum_respondents"), minimum=1
        ),
        instructions=_text(obj["instructions"], node("instructions"))
        if "instructions" in obj
        else None,
        scale=scale,
        dimensions=dimensions,
        items=items,
        ikm=ikm,
        profile=_parse_profile(
            obj["profile"], node("profile"), {item.code.casefold() for item in items}
        ),
        notes=notes,
    )


def load_instrument_file(path: str | Path) -> InstrumentSpec:
    """Read and validate one instrument file; its slug must equal the file name."""
    path = Path(path)
    try:
        # parse_float=Decimal keeps "88.31" exact even when written without quotes.
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as error:
        raise InstrumentError(str(path), f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InstrumentError(str(path), "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InstrumentError(
            str(path), f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    spec = parse_instrument(data)
    if spec.slug != path.stem:
        raise InstrumentError(
            str(path), f"slug {spec.slug!r} differs from the file name {path.stem!r}"
        )
    return spec


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 25, 25.0 and "25.00" are the same factor and must hash alike.
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return value


def content_hash(spec: InstrumentSpec) -> str:
    """SHA-256 (hex) of the instrument's meaning, for idempotent loading.

    Computed from the parsed spec, not the file bytes, so reformatting the file, reordering
    keys or writing 25 as "25.00" leaves it unchanged, while any change of wording, code,
    label or threshold changes it.
    """
    payload = json.dumps(
        _canonical(dataclasses.asdict(spec)),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()

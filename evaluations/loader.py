"""Loading framework data files into the database, idempotently.

Loading a file whose content is already stored changes nothing (if the content is that of an
older version, that version is the one returned); a changed file becomes a new version of the
framework. Stored versions are never changed or removed: programmes and their assessments keep
the version they were created with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evaluations.framework_spec import (
    BUILTIN_DIR,
    FrameworkError,
    FrameworkSpec,
    parse_framework,
)
from evaluations.models import Framework, FrameworkArea, FrameworkQuestion, FrameworkSubArea
from zi_tracker.data_files import bundled_paths, resolve_data_file, store_version


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool


def read_framework_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: the top level must be a JSON object")
    return data


def bundled_framework_paths() -> list[Path]:
    return bundled_paths(BUILTIN_DIR)


def resolve_framework_argument(value: str) -> Path:
    """A path to a data file, or the slug of a bundled framework."""
    path = resolve_data_file(value, BUILTIN_DIR)
    if path is None:
        names = ", ".join(p.stem for p in bundled_framework_paths())
        raise FrameworkError(f"no bundled framework {value!r}; bundled: {names}")
    return path


def load_framework_data(data: dict) -> LoadResult:
    """Validate a framework dict and store it unless its content is stored already."""
    spec = parse_framework(data)  # validates; raises FrameworkError naming the node

    def create(version: int) -> Framework:
        framework = Framework.objects.create(
            slug=spec.slug,
            version=version,
            title=spec.title,
            label=spec.version,
            content_hash=spec.content_hash,
            definition=data,
        )
        _store_rows(framework, spec)
        return framework

    framework, created = store_version(
        Framework, slug=spec.slug, content_hash=spec.content_hash, create=create
    )
    return LoadResult(framework, created=created)


def _store_rows(framework: Framework, spec: FrameworkSpec) -> None:
    areas = {
        area.code: FrameworkArea.objects.create(
            framework=framework,
            code=area.code,
            name=area.name,
            pokja_number=area.pokja,
            weight=area.weight,
        )
        for area in spec.areas
    }
    sub_areas: dict[str, FrameworkSubArea] = {}
    for order, sub in enumerate(spec.sub_areas, start=1):  # parents come before children
        sub_areas[sub.code] = FrameworkSubArea.objects.create(
            framework=framework,
            area=areas[sub.area],
            parent=sub_areas.get(sub.parent) if sub.parent else None,
            code=sub.code,
            part=sub.part,
            numbering=sub.numbering,
            name=sub.name,
            weight=sub.weight,
            order=order,
        )
    FrameworkQuestion.objects.bulk_create(
        FrameworkQuestion(
            framework=framework,
            sub_area=sub_areas.get(q.sub_area) if q.sub_area else None,
            area_code=q.area or "",
            part=q.part,
            hasil_item=q.hasil_item or "",
            number=q.number,
            kind=q.kind,
            scheme=q.scheme,
            text=q.text,
            kriteria=q.kriteria,
            options=[{"key": o.key, "label": o.label, "value": str(o.value)} for o in q.options],
            information_only=q.information_only,
            excel_row=q.excel.row,
            order=order,
        )
        for order, q in enumerate(spec.questions, start=1)
    )


def load_framework_path(path: Path) -> LoadResult:
    """Load one data file; a FrameworkError names the file and the node."""
    data = read_framework_file(path)
    try:
        return load_framework_data(data)
    except FrameworkError as exc:
        raise FrameworkError(f"{path.name}: {exc}") from None


def load_bundled_framework(slug: str) -> Framework:
    """The newest stored version of a bundled framework, loading the file if needed."""
    return load_framework_path(BUILTIN_DIR / f"{slug}.json").framework

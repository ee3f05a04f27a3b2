"""What a benchmark module measured, handed to `make bench` (tests/bench/__main__.py).

Each module calls `record()` for every figure it prints. Run by `make bench`, the figures go
to the file named by ZI_BENCH_FIGURES (one JSON object a line), which the runner turns into
one table and `bench-results.json`; run alone, a module only prints.
"""

from __future__ import annotations

import json
import os


def record(figure: str, value: float, *, target: str, unit: str, ok: bool) -> None:
    path = os.environ.get("ZI_BENCH_FIGURES")
    if not path:
        return
    line = {"figure": figure, "value": value, "target": target, "unit": unit, "ok": bool(ok)}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")

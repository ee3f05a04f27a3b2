"""`make bench`: run every benchmark module (tests/bench/bench_*.py) in turn.

Each prints what it measured in this run and the ratio to its target; none is a timed test.
bench_dashboards builds its own large dataset (500 units) in a database beside DATABASE_URL's.
`python -m tests.bench NAME` runs only the modules whose name contains NAME.
"""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[1] if len(argv) > 1 else ""
    modules = sorted(p.stem for p in HERE.glob("bench_*.py") if wanted in p.stem)
    if not modules:
        print(f"no benchmark matches {wanted!r}")
        return 1
    for name in modules:
        print(f"\n=== {name} ===", flush=True)
        runpy.run_module(f"tests.bench.{name}", run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

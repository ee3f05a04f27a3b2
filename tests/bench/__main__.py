"""`make bench`: run every benchmark module (tests/bench/bench_*.py) on SQLite and PostgreSQL.

Each module runs in a process of its own, once per database engine, and looks after its own
database (created and dropped by the module: one module's clean-up cannot pull the database
from under the next). SQLite always; PostgreSQL when DATABASE_URL names a server (the modules
create their databases beside it). Then one table of every figure with its target and the
machine it ran on is printed, and written to bench-results.json
(`{"<figure>": {"value", "target", "unit", "ok"}}`). A missed target or a module that fails
is shown in the table; it never fails the build (these are measurements, not tests).

`python -m tests.bench NAME` runs only the modules whose name contains NAME.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "bench-results.json"
# SQLite serialises every write (one writer at a time): the load benches run smaller there,
# so that a run stays within minutes; their figures name the sizes measured.
SQLITE_ARGUMENTS = {
    "bench_surveys": ["--submissions", "1000", "--replays", "100", "--baseline", "1000"],
    "bench_dashboards": ["--units", "100"],
}


def engines() -> list[tuple[str, str]]:
    found = [("sqlite", "")]  # each module makes its own SQLite file
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found.append(("postgresql", url))
    return found


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    try:
        load = ", load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except OSError:
        load = ""
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs{memory}{load}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def postgres_version(url: str) -> str:
    try:
        import psycopg2

        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    except Exception as exc:
        return f"unknown ({exc.__class__.__name__})"


def run_module(name: str, engine: str, url: str) -> list[dict]:
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as out:
        figures_path = out.name
    env = {**os.environ, "ZI_BENCH_FIGURES": figures_path, "ZI_BENCH_ENGINE": engine}
    if engine == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = url
    print(f"\n=== {name} on {engine} ===", flush=True)
    started = time.monotonic()
    arguments = SQLITE_ARGUMENTS.get(name, []) if engine == "sqlite" else []
    command = [sys.executable, "-m", f"tests.bench.{name}", *arguments]
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    took = time.monotonic() - started
    lines = Path(figures_path).read_text(encoding="utf-8").splitlines()
    Path(figures_path).unlink(missing_ok=True)
    figures = [json.loads(line) for line in lines if line.strip()]
    if result.returncode != 0:
        figures.append(
            {
                "figure": f"{name}: the module stopped (exit {result.returncode})",
                "value": None,
                "target": "runs to the end",
                "unit": "",
                "ok": False,
            }
        )
    elif not figures:
        figures.append(
            {
                "figure": f"{name}: nothing measured",
                "value": None,
                "target": "figures",
                "unit": "",
                "ok": False,
            }
        )
    print(f"({name} on {engine}: {took:.0f} s)", flush=True)
    return figures


def show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def main(argv: list[str]) -> int:
    wanted = argv[1] if len(argv) > 1 else ""
    modules = sorted(p.stem for p in HERE.glob("bench_*.py") if wanted in p.stem)
    if not modules:
        print(f"no benchmark matches {wanted!r}")
        return 0
    results: dict[str, dict] = {}
    rows: list[tuple[str, dict]] = []
    databases: list[str] = []
    try:
        for engine, url in engines():
            version = "SQLite" if engine == "sqlite" else f"PostgreSQL {postgres_version(url)}"
            databases.append(version)
            for name in modules:
                for figure in run_module(name, engine, url):
                    key = f"{figure['figure']} [{engine}]"
                    results[key] = {k: figure[k] for k in ("value", "target", "unit", "ok")}
                    rows.append((key, figure))
                # Written after each module: an interrupted run keeps what it measured.
                RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    except KeyboardInterrupt:
        print("\ninterrupted: the table shows what was measured until then")
    report(rows, databases)
    return 0


def report(rows: list[tuple[str, dict]], databases: list[str]) -> None:
    print(f"\nmachine: {machine()}")
    print(f"databases: {', '.join(databases)}")
    if not rows:
        print("nothing measured")
        return
    width = max(len(key) for key, _ in rows)
    print(f"\n{'figure':<{width}}  {'value':>10}  {'unit':<12} {'target':<16} ok")
    for key, figure in rows:
        verdict = "yes" if figure["ok"] else "NO"
        print(
            f"{key:<{width}}  {show(figure['value']):>10}  {figure['unit']:<12} "
            f"{figure['target']:<16} {verdict}"
        )
    missed = sum(1 for _, figure in rows if not figure["ok"])
    print(f"\n{len(rows)} figures, {missed} missed; written to {RESULTS.name}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))

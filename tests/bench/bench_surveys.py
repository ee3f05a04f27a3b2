"""Survey submissions under load, and survey indices over many responses (not timed tests).

    python -m tests.bench.bench_surveys [--clients 50] [--submissions 10000] [--replays 1000]

On PostgreSQL when DATABASE_URL=postgres://... names the server: the bench works in a fresh
database of its own beside it (<name>_bench, dropped afterwards); otherwise on a fresh SQLite
file in a temporary folder. REDIS_URL, when set, is
the cache the rate limit uses, as in production.

1. Throughput. gunicorn serves the application (DJANGO_DEBUG=false) on PostgreSQL; 50
   concurrent clients (threads in several processes) send
   - to a bench-only view that inserts one row (same middleware, same form body): the
     baseline, measured before and after the submissions;
   - to the public survey page: 10,000 new submissions, each from its own browser, with
     1,000 deliberate replays of earlier ones mixed in (some race their original).
   Prints accepted submissions per second against the baseline's inserts per second (the
   target is at least 70%); replays are sent in the same run but not counted as throughput.
2. Exactness. Responses stored must equal the submissions accepted (303 to the thanks
   page), every replay must be thanked, and nothing else may be stored.
3. Index. 100,000 responses in the database: time of the results computation (one
   aggregate query plus the arithmetic); the target is under a second.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from tests.bench.figures import record
from tests.bench.harness import bench_database, database_name, is_postgres

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
HOST = "127.0.0.1"
TARGET_RATIO = 0.70
TARGET_INDEX_SECONDS = 1.0
INDEX_RESPONSES = 100_000


def server_environment(url: str, var_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.bench.survey_bench_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_DB_CONN_MAX_AGE": "600",
        "ZI_VAR_DIR": var_dir,
        "DJANGO_STATIC_ROOT": str(Path(var_dir) / "static"),
        # Every client comes from 127.0.0.1: the per-address limit would stop the bench.
        "ZI_SURVEY_RATE_LIMIT": str(10**9),
        "PYTHONPATH": str(ROOT),
    }
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


# --------------------------------------------------------------------------------------
# Child mode: Django set up against the bench database (run through manage.py shell).

SETUP = """
import json
from django.db import connection
from tests.factories import build_world
from tests.surveys.factories import make_survey
from tests.bench.survey_bench_urls import TABLE
world = build_world()
warm = make_survey(world.programme, "spak-2021", title="Warm-up", population=5000)
measured = make_survey(world.programme, "spak-2021", title="Measured", population=5000)
with connection.cursor() as cursor:
    serial = "bigserial" if connection.vendor == "postgresql" else "integer"
    cursor.execute(f"CREATE TABLE {TABLE} (id {serial} PRIMARY KEY, payload text NOT NULL)")

print(json.dumps({"warm": warm.public_token, "measured": measured.public_token,
                  "items": list(measured.spec.item_codes)}))
"""

VERIFY = """
import json, os
from django.db import connection
from surveys.models import Survey, SurveyResponse, BrowserClaim
from tests.bench.survey_bench_urls import TABLE
token = os.environ["BENCH_SURVEY"]
survey = Survey.objects.get(public_token=token)
ids = [str(i) for i in SurveyResponse.objects.filter(survey=survey).values_list("submission_id", flat=True)]
with connection.cursor() as cursor:
    cursor.execute(f"SELECT count(*) FROM {TABLE}")
    inserted = cursor.fetchone()[0]
print(json.dumps({"stored": ids, "claims": BrowserClaim.objects.filter(survey=survey).count(),
                  "inserted": inserted}))
"""

INDEX = """
import json, random, statistics, time, uuid, datetime
from decimal import Decimal
from django.db import connection
from surveys.models import Survey, SurveyResponse
from surveys.selectors import survey_report, lke_survey_figures
from surveys.services import Answers, build_response
survey = Survey.objects.get(title="Measured")
spec = survey.spec
rng = random.Random(7)
rows = []
for number in range({count}):
    answers = {{code: rng.choices((1, 2, 3, 4), (2, 6, 30, 62))[0] for code in spec.item_codes}}
    rows.append(build_response(
        survey,
        Answers(submission_id=uuid.UUID(int=rng.getrandbits(128), version=4), items=answers,
                profile={{"sex": rng.choice("LP"), "age_band": "30_39"}},
                service=rng.choice(("sim", "skck", "laporan"))),
        "online", datetime.date(2026, 11, 2)))
SurveyResponse.objects.filter(survey=survey).delete()
SurveyResponse.objects.bulk_create(rows, batch_size=5000)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE surveys_surveyresponse")
survey_report(survey)  # warm the parsed instrument and the database's caches
times = []
for _ in range(5):
    start = time.perf_counter()
    report = survey_report(survey)
    times.append(time.perf_counter() - start)
start = time.perf_counter()
figures = lke_survey_figures(survey.programme)
lke_time = time.perf_counter() - start
print(json.dumps({{"n": report.respondents, "index": str(report.index_shown),
                  "median": statistics.median(times), "best": min(times),
                  "lke": lke_time, "lke_index": str(figures[125].index)[:8]}}))
"""


def django_child(env: dict[str, str], code: str, **extra: str) -> dict:
    child_env = {**env, "DJANGO_SETTINGS_MODULE": "tests.bench.survey_bench_settings", **extra}
    output = manage(child_env, "shell", "--no-imports", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------
# The HTTP clients.


def _request(connection_box: list, method: str, path: str, body: str, headers: dict) -> int:
    for attempt in range(3):
        connection = connection_box[0]
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection_box[0] = http.client.HTTPConnection(HOST, connection.port, timeout=60)
            return response.status
        except (http.client.HTTPException, OSError):
            connection.close()
            connection_box[0] = http.client.HTTPConnection(HOST, connection.port, timeout=60)
            if attempt == 2:
                return 0
    return 0


def run_client_process(arguments: tuple) -> dict:
    """One process of clients: threads sending their share of the jobs, as fast as they can."""
    port, path, jobs_per_thread, csrf, start_at = arguments
    results: list[list[tuple[str, int]]] = [[] for _ in jobs_per_thread]
    times: list[tuple[float, float]] = []
    latencies: list[float] = []  # seconds per request, as the client saw it

    def thread(index: int) -> None:
        box = [http.client.HTTPConnection(HOST, port, timeout=60)]
        out = results[index]
        while time.time() < start_at:
            time.sleep(0.001)
        begin = time.time()
        for submission, body, browser in jobs_per_thread[index]:
            cookie = f"csrftoken={csrf}; zi_survey_browser={browser}"
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Host": f"{HOST}:{port}",
            }
            sent = time.perf_counter()
            out.append((submission, _request(box, "POST", path, body, headers)))
            latencies.append(time.perf_counter() - sent)
        times.append((begin, time.time()))
        box[0].close()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(len(jobs_per_thread))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "results": [item for chunk in results for item in chunk],
        "latencies": latencies,
        "begin": min(b for b, _ in times),
        "end": max(e for _, e in times),
    }


def run_clients(port: int, path: str, jobs: list, csrf: str, clients: int, processes: int) -> dict:
    """Send `jobs` with `clients` concurrent clients; returns statuses and the elapsed time."""
    per_thread: list[list] = [[] for _ in range(clients)]
    for index, job in enumerate(jobs):
        per_thread[index % clients].append(job)
    groups = [per_thread[p::processes] for p in range(processes)]
    start_at = time.time() + 1.5
    # Through the module's import name: run by `python -m tests.bench`, this file executes as
    # __main__ of runpy, whose functions worker processes could not find by name.
    worker = importlib.import_module("tests.bench.bench_surveys").run_client_process
    with ProcessPoolExecutor(max_workers=processes) as pool:
        outputs = list(pool.map(worker, [(port, path, g, csrf, start_at) for g in groups]))
    results = [item for output in outputs for item in output["results"]]
    latencies = sorted(t for output in outputs for t in output["latencies"])
    elapsed = max(o["end"] for o in outputs) - min(o["begin"] for o in outputs)
    return {"results": results, "elapsed": elapsed, "latencies": latencies}


def percentiles(latencies: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds of sorted latencies in seconds."""
    last = len(latencies) - 1
    return {
        name: latencies[min(last, round(share * last))] * 1000
        for name, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
    }


def form_body(items: list[str], submission: str, csrf: str, rng: random.Random) -> str:
    data = {
        "csrfmiddlewaretoken": csrf,
        "submission": submission,
        "website": "",
        "service": rng.choice(("sim", "skck", "laporan")),
        "sex": rng.choice("LP"),
        "age_band": "30_39",
    }
    data.update({code: str(rng.choices((1, 2, 3, 4), (2, 6, 30, 62))[0]) for code in items})
    return urlencode(data)


def fresh_jobs(count: int, items: list[str], csrf: str, rng: random.Random) -> list:
    jobs = []
    for _ in range(count):
        submission = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        jobs.append(
            (submission, form_body(items, submission, csrf, rng), secrets.token_urlsafe(24))
        )
    return jobs


def with_replays(jobs: list, replays: int, rng: random.Random) -> list:
    """Insert copies of `replays` earlier jobs a little after their originals."""
    mixed = list(jobs)
    for original in sorted(rng.sample(range(len(jobs)), replays), reverse=True):
        later = min(len(mixed), original + rng.randint(1, 400))
        mixed.insert(later, jobs[original])
    return mixed


def csrf_token(port: int, token: str) -> str:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", f"/s/{token}/")
    response = connection.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";")[0].split("=", 1)[1]
    # The first answer redirects to the form; the page itself sets the CSRF cookie.
    location = response.getheader("Location")
    connection.request("GET", location)
    response = connection.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";")[0].split("=", 1)[1]
    raise RuntimeError("the survey page set no CSRF cookie")


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def cpu_seconds(names: tuple[str, ...]) -> float:
    """CPU time used so far by the processes with these command names (Linux /proc)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if name.startswith(names):
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def busy_seconds() -> float:
    """CPU time the whole machine has been busy (all processes, kernel included)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    values = [int(v) for v in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle) / (os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100)


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """The application under gunicorn as in production: `workers` processes of 4 threads."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "zi_tracker.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            "--threads=4",
            "--keep-alive=30",
            "--backlog=2048",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )


def stop_gunicorn(server: subprocess.Popen | None) -> None:
    """Stop the server of start_gunicorn (nothing when none was started)."""
    if server is not None:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--replays", type=int, default=1_000)
    parser.add_argument("--baseline", type=int, default=10_000, help="inserts per baseline round")
    parser.add_argument("--index-responses", type=int, default=INDEX_RESPONSES)
    parser.add_argument("--processes", type=int, default=5, help="client processes")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    # `python -m tests.bench surveys` leaves its selector in argv: ignore what is not ours.
    args, _unknown = parser.parse_known_args()

    if hasattr(os, "sched_setaffinity"):
        # Another bench of the same run may have pinned this process to one CPU; the server,
        # the database clients and the load clients started from here need them all.
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    with bench_database("bench") as (url, _folder):
        engine = "PostgreSQL" if is_postgres(url) else "SQLite"
        database = ("postgres",) if engine == "PostgreSQL" else ()  # SQLite runs in gunicorn
        cache = (
            "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else "the file cache (no REDIS_URL)"
        )
        print(f"database: {database_name(url)} (fresh); rate-limit counters in {cache}")
        rng = random.Random(2026)
        server = None
        try:
            with tempfile.TemporaryDirectory(prefix="zi-bench-") as var_dir:
                env = server_environment(url, var_dir)
                Path(env["DJANGO_STATIC_ROOT"]).mkdir()
                manage(env, "migrate", "--noinput", "-v0")
                manage(env, "load_bundled_data")
                setup = django_child(env, SETUP)
                port = free_port()
                server = start_gunicorn(env, port, args.workers)
                wait_for(port)
                csrf = csrf_token(port, setup["measured"])
                items = setup["items"]
                print(
                    f"gunicorn: {args.workers} workers x 4 threads; clients: {args.clients} "
                    f"concurrent in {args.processes} processes; CPUs: {os.cpu_count()}"
                )

                cpu_use: dict[str, list[float]] = {}

                def measured(label: str, path: str, jobs: list) -> dict:
                    """Run the jobs; note the CPU the web server and the database spent on them."""
                    before = (cpu_seconds(("gunicorn",)), cpu_seconds(database), busy_seconds())
                    run = run_clients(port, path, jobs, csrf, args.clients, args.processes)
                    after = (cpu_seconds(("gunicorn",)), cpu_seconds(database), busy_seconds())
                    use = cpu_use.setdefault(label, [0.0, 0.0, 0.0, 0])
                    for position in range(3):
                        use[position] += after[position] - before[position]
                    use[3] += len(jobs)
                    return run

                def baseline(count: int) -> float:
                    jobs = [
                        (str(i), form_body(items, str(uuid.uuid4()), csrf, rng), "x" * 24)
                        for i in range(count)
                    ]
                    run = measured("insert one row", "/bench/insert/", jobs)
                    bad = sum(1 for _, status in run["results"] if status != 303)
                    if bad:
                        raise RuntimeError(f"baseline: {bad} requests failed")
                    return count / run["elapsed"]

                # Warm-up of both paths (imports, connections, caches), on a survey of its own.
                baseline(1000)
                warm_jobs = fresh_jobs(1000, items, csrf, rng)
                run_clients(
                    port, f"/s/{setup['warm']}/", warm_jobs, csrf, args.clients, args.processes
                )

                before = baseline(args.baseline)
                jobs = fresh_jobs(args.submissions, items, csrf, rng)
                mixed = with_replays(jobs, args.replays, rng)
                run = measured("survey submission", f"/s/{setup['measured']}/", mixed)
                after = baseline(args.baseline)

                statuses: dict[int, int] = {}
                for _, status in run["results"]:
                    statuses[status] = statuses.get(status, 0) + 1
                accepted = {submission for submission, status in run["results"] if status == 303}
                rate = len(accepted) / run["elapsed"]
                insert_rate = (before + after) / 2

                stop_gunicorn(server)
                server = None
                check = django_child(env, VERIFY, BENCH_SURVEY=setup["measured"])
                stored = set(check["stored"])

                print()
                print(f"1. Submission throughput (gunicorn + {engine})")
                print(f"   baseline 'insert one row': {before:,.0f}/s before, {after:,.0f}/s after")
                print(
                    f"   survey submissions: {len(accepted):,} accepted in {run['elapsed']:.1f} s "
                    f"= {rate:,.0f}/s (plus {args.replays:,} replays in the same run)"
                )
                print(f"   statuses: {dict(sorted(statuses.items()))}")
                spread = percentiles(run["latencies"])
                print(
                    "   time per submission, as the clients saw it: "
                    + ", ".join(f"{name} {value:.0f} ms" for name, value in spread.items())
                )
                for name, value in spread.items():
                    record(
                        f"surveys: {args.clients} clients, submission {name}",
                        round(value, 1),
                        target="",
                        unit="ms",
                        ok=True,
                    )
                for label, (web, database, machine, requests) in cpu_use.items():
                    print(
                        f"   CPU per request, {label}: web {web / requests * 1000:.2f} ms, "
                        f"database {database / requests * 1000:.2f} ms, whole machine "
                        f"{machine / requests * 1000:.2f} ms"
                    )
                ratio = rate / insert_rate
                verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
                print(
                    f"   ratio to the baseline: {ratio:.2f} (target >= {TARGET_RATIO:.2f}: {verdict})"
                )
                record(
                    f"surveys: {args.clients} clients, submissions/s",
                    round(rate),
                    target="",
                    unit="/s",
                    ok=not set(statuses) - {303},
                )
                record(
                    "surveys: bare insert view/s", round(insert_rate), target="", unit="/s", ok=True
                )
                record(
                    "surveys: intake / bare insert",
                    round(ratio, 2),
                    target=f">= {TARGET_RATIO:g}",
                    unit="ratio",
                    ok=ratio >= TARGET_RATIO,
                )
                print()
                print("2. Exactness after the replays")
                exact = stored == accepted and len(stored) == args.submissions
                print(
                    f"   stored {len(stored):,}, accepted {len(accepted):,}, browser claims "
                    f"{check['claims']:,}, submissions sent {args.submissions:,}, replays sent "
                    f"{args.replays:,}: {'exact' if exact else 'MISMATCH'}"
                )
                record(
                    f"surveys: stored = accepted ({args.replays:,} replays refused)",
                    len(stored),
                    target=f"{args.submissions:,}",
                    unit="responses",
                    ok=exact,
                )
                if not exact:
                    print(
                        f"   stored but not accepted: {len(stored - accepted)}; accepted but not stored: {len(accepted - stored)}"
                    )

                index = django_child(env, INDEX.format(count=args.index_responses))
                print()
                print(f"3. Index over {index['n']:,} responses in the database")
                print(
                    f"   results computation: median {index['median'] * 1000:.0f} ms, best "
                    f"{index['best'] * 1000:.0f} ms of 5; LKE figures {index['lke'] * 1000:.0f} ms"
                )
                print(
                    f"   ratio to the 1 s target: {index['median'] / TARGET_INDEX_SECONDS:.2f} "
                    f"({'meets' if index['median'] < TARGET_INDEX_SECONDS else 'ABOVE'}); "
                    f"index {index['index']}"
                )
                record(
                    f"surveys: index over {index['n']:,} responses",
                    round(index["median"] * 1000),
                    target=f"< {TARGET_INDEX_SECONDS * 1000:.0f} ms",
                    unit="ms",
                    ok=index["median"] < TARGET_INDEX_SECONDS,
                )
        finally:
            stop_gunicorn(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())

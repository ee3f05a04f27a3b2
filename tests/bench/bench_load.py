"""Load: 20 coordinators on their dashboards while Pokja members save LKE answers (not a
timed test; bounded in count and time, 127.0.0.1 only).

    python -m tests.bench.bench_load [--coordinators 20] [--members 6] [--views 2000] [--saves 400]

gunicorn serves the application (DJANGO_DEBUG=false) on the bench's own database (PostgreSQL
when DATABASE_URL names a server, else SQLite), seeded by `seed_demo --units 19`: 20
programmes, each with its coordinator. Each coordinator reads their own dashboard again and
again; at the same time the six Pokja members of the demo programme save answers of their
own areas (a real change each time, so the demo dashboard is rebuilt after each save while
the others are served from the cache). Every request is timed from the client's side.
Prints p50/p95/p99 and throughput per kind, and the errors (any status other than the
expected one): none is the target.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.bench.bench_surveys import (
    HOST,
    django_child,
    free_port,
    manage,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
    wait_for,
)
from tests.bench.figures import record
from tests.bench.harness import bench_database, database_name, is_postgres

CSRF = secrets.token_hex(16)  # a 32-character secret: the form sends it unmasked

SESSIONS = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from pokja.models import Programme, ProgrammeRole, User

def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

coordinators = []
for role in ProgrammeRole.objects.filter(kind=ProgrammeRole.Kind.KOORDINATOR).select_related(
        "user", "programme__unit").order_by("programme__unit__code")[:{coordinators}]:
    p = role.programme
    coordinators.append({{"session": session(role.user),
                         "path": f"/programmes/{{p.unit.code}}/{{p.year}}/dashboard/"}})
demo = Programme.objects.get(unit__code="POLRES-LABUHANBATU")
spec = demo.framework.spec
members = []
for number in range(1, {members} + 1):
    user = User.objects.get(username=f"anggota{{number}}")
    questions = [[q.number, list(q.option_keys)] for q in spec.questions
                 if q.pokja == number and q.kind == "choice" and len(q.options) >= 2][:10]
    members.append({{"session": session(user), "questions": questions,
                    "prefix": f"/programmes/{{demo.unit.code}}/{{demo.year}}/lke/"}})
print(json.dumps({{"coordinators": coordinators, "members": members}}))
"""


AUDITED = """
import json
from audit.models import AuditEntry
print(json.dumps({"entries": AuditEntry.objects.count()}))
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def client(port: int, session: str, jobs: list, expected: int, out: list, start_at: float):
    """One person's browser: a kept-alive connection sending its requests one after another."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    cookie = f"sessionid={session}; csrftoken={CSRF}"
    while time.time() < start_at:
        time.sleep(0.001)
    for method, path, body in jobs:
        headers = {"Host": f"{HOST}:{port}", "Cookie": cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        begin = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (http.client.HTTPException, OSError):
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            status = 0
        out.append((time.perf_counter() - begin, status == expected, status))
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coordinators", type=int, default=20)
    parser.add_argument("--members", type=int, default=6)
    parser.add_argument("--views", type=int, default=2000, help="dashboard requests in all")
    parser.add_argument("--saves", type=int, default=400, help="answer saves in all")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    args, _unknown = parser.parse_known_args()

    with bench_database("load") as (url, _folder):
        engine = "PostgreSQL" if is_postgres(url) else "SQLite"
        print(f"database: {database_name(url)} (fresh, {engine})")
        server = None
        try:
            with tempfile.TemporaryDirectory(prefix="zi-load-") as var_dir:
                env = server_environment(url, var_dir)
                env["DJANGO_SETTINGS_MODULE"] = "zi_tracker.settings"
                Path(env["DJANGO_STATIC_ROOT"]).mkdir()
                manage(env, "migrate", "--noinput", "-v0")
                manage(env, "load_bundled_data")
                manage(env, "collectstatic", "--noinput", "-v0")  # pages name hashed static files
                manage(env, "seed_demo", "--force", "--units", str(args.coordinators - 1))
                people = django_child(
                    {**env},
                    SESSIONS.format(coordinators=args.coordinators, members=args.members),
                    DJANGO_SETTINGS_MODULE="zi_tracker.settings",
                )
                port = free_port()
                server = start_gunicorn(env, port, args.workers)
                wait_for(port)
                coordinators, members = people["coordinators"], people["members"]
                print(
                    f"gunicorn: {args.workers} workers x 4 threads; {len(coordinators)} coordinators "
                    f"reading, {len(members)} members saving; CPUs: {os.cpu_count()}"
                )

                def view_jobs(person: dict, count: int) -> list:
                    return [("GET", person["path"], None)] * count

                def save_jobs(person: dict, count: int) -> list:
                    jobs = []
                    for index in range(count):
                        number, keys = person["questions"][index % len(person["questions"])]
                        value = keys[(index // len(person["questions"])) % len(keys)]
                        body = urlencode({"csrfmiddlewaretoken": CSRF, "value": value, "note": ""})
                        jobs.append(("POST", f"{person['prefix']}q/{number}/unit/", body))
                    return jobs

                # Warm-up: every dashboard once, every member's first save.
                warm: list = []
                for person in coordinators:
                    client(port, person["session"], view_jobs(person, 1), 200, warm, 0)
                results: dict[str, list] = {"dashboard": [], "answer save": []}
                start_at = time.time() + 1.0
                people_at_work = [
                    (person, view_jobs(person, args.views // len(coordinators)), 200, "dashboard")
                    for person in coordinators
                ] + [
                    # saved, back to the section (a refusal would answer 200)
                    (person, save_jobs(person, args.saves // len(members)), 302, "answer save")
                    for person in members
                ]
                threads = [
                    threading.Thread(
                        target=client,
                        args=(port, person["session"], jobs, expected, results[kind], start_at),
                    )
                    for person, jobs, expected, kind in people_at_work
                ]
                trail_before = django_child(
                    env, AUDITED, DJANGO_SETTINGS_MODULE="zi_tracker.settings"
                )
                began = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - began

                print()
                print(f"Load on gunicorn + {engine}, {elapsed:.1f} s in all")
                print(
                    f"   {'kind':<12} {'requests':>8} {'errors':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'per s':>7}"
                )
                for kind, rows in results.items():
                    times = [t * 1000 for t, _ok, _status in rows]
                    errors = sum(1 for _t, ok, _status in rows if not ok)
                    p50, p95, p99 = (percentile(times, s) for s in (0.50, 0.95, 0.99))
                    rate = len(rows) / elapsed
                    print(
                        f"   {kind:<12} {len(rows):>8} {errors:>6} {p50:>6.0f}ms {p95:>6.0f}ms "
                        f"{p99:>6.0f}ms {rate:>7.1f}"
                    )
                    if errors:
                        statuses = sorted({s for _t, ok, s in rows if not ok})
                        print(f"      unexpected statuses: {statuses}")
                    label = f"load: {len(coordinators)} dashboards + {len(members)} savers, {kind}"
                    for name, value in (("p50", p50), ("p95", p95), ("p99", p99)):
                        record(f"{label} {name}", round(value, 1), target="", unit="ms", ok=True)
                    record(f"{label} errors", errors, target="0", unit="", ok=errors == 0)
                    record(f"{label} throughput", round(rate, 1), target="", unit="/s", ok=True)
                mean = statistics.mean(t for t, _ok, _s in results["dashboard"]) * 1000
                print(f"   mean dashboard time {mean:.0f} ms")
                trail_after = django_child(
                    env, AUDITED, DJANGO_SETTINGS_MODULE="zi_tracker.settings"
                )
                audited = trail_after["entries"] - trail_before["entries"]
                saves = len(results["answer save"])
                print(
                    f"   audit entries written during the run: {audited:,} for {saves:,} saves "
                    "(a save that keeps the stored answer changes nothing and writes none)"
                )
                record("load: audit entries of the saves", audited, target="", unit="", ok=True)
        finally:
            stop_gunicorn(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())

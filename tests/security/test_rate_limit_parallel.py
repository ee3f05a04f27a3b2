"""The survey rate limit holds under parallel clients, without Redis, on SQLite and PostgreSQL.

A real server (gunicorn: two worker processes of four threads, on 127.0.0.1 only) takes
parallel submissions from 20 clients; exactly the limit gets through in the window, however
the hits interleave. (Counted in Django's file-based cache, 20 clients got 87 submissions
through a limit of 60.)
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.project.test_settings import ROOT, clean_environ
from tests.workers import database_url, stop_process

LIMIT = 60
CLIENTS = 20
POSTS_PER_CLIENT = 5  # 100 submissions against a limit of 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **clean_environ(),
        "DATABASE_URL": database_url,  # and no REDIS_URL: the embedded set-up
        "ZI_VAR_DIR": str(var_dir),
        "ZI_SURVEY_RATE_LIMIT": str(LIMIT),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
        "PYTHONPATH": str(ROOT),
    }


class Server:
    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "zi_tracker.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode()[-3000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the server did not start within 60 s")

    def stop(self):
        stop_process(self.process)


def respondent(port: int, token: str, statuses: list[int], start: threading.Barrier):
    """One browser: opens the form (its CSRF cookie and token), then sends it again and again."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/s/{token}/"
    conn.request("GET", path)
    first = conn.getresponse()
    first.read()
    conn.request("GET", first.getheader("Location"))
    page = conn.getresponse()
    html = page.read().decode()
    cookies = "; ".join(
        value.split(";", 1)[0] for name, value in page.getheaders() if name == "Set-Cookie"
    )
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode({"csrfmiddlewaretoken": csrf, "website": ""})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookies,
        "Referer": f"http://127.0.0.1:{port}{path}",
    }
    start.wait()
    for _ in range(POSTS_PER_CLIENT):
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        statuses.append(response.status)
    conn.close()


def submit_in_parallel(port: int, token: str) -> list[int]:
    statuses: list[int] = []
    start = threading.Barrier(CLIENTS)
    threads = [
        threading.Thread(target=respondent, args=(port, token, statuses, start))
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(statuses) == CLIENTS * POSTS_PER_CLIENT, "a client did not finish"
    return statuses


def assert_exactly_the_limit_got_through(statuses: list[int]):
    refused = statuses.count(429)
    through = len(statuses) - refused
    assert through == LIMIT, f"{through} submissions got through a limit of {LIMIT}"
    assert set(statuses) - {429} <= {200, 303}, statuses  # refused or answered, no error


SURVEY_SCRIPT = """
import django
django.setup()
from tests.factories import make_programme
from tests.surveys.factories import make_survey
print(make_survey(make_programme()).public_token)
"""


def test_parallel_clients_get_exactly_the_limit_through_on_sqlite(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'zi.sqlite3'}", tmp_path)

    def python(*args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    migrate = python("manage.py", "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    made = python("-c", SURVEY_SCRIPT)
    assert made.returncode == 0, made.stderr[-3000:]
    token = made.stdout.split()[-1]
    server = Server(env)
    try:
        statuses = submit_in_parallel(server.port, token)
    finally:
        server.stop()
    assert_exactly_the_limit_got_through(statuses)


@pytest.mark.postgres
def test_parallel_clients_get_exactly_the_limit_through_on_postgresql(transactional_db, tmp_path):
    from tests.factories import make_programme
    from tests.surveys.factories import make_survey

    token = make_survey(make_programme()).public_token
    server = Server(server_env(database_url(), tmp_path))
    try:
        statuses = submit_in_parallel(server.port, token)
    finally:
        server.stop()
    assert_exactly_the_limit_got_through(statuses)

"""PostgreSQL restarted while gunicorn serves: with a PostgreSQL cluster of the test's own
(tests/faults/services.py) holding a copy of the test database, and the application under
gunicorn as in production (DJANGO_DEBUG=false, connections kept between requests).

While the database is down, pages fail with the 503 page (it says the database is away and
to try again; Retry-After) and /healthz says so; once it is back, the same gunicorn serves
the next request normally: no restart of the application.
"""

from __future__ import annotations

import http.client
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import build_world
from tests.faults.services import HOST, PrivatePostgres, free_port
from tests.surveys.factories import make_survey
from tests.workers import database_url, require_postgres_and_redis

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, "Accept-Language": "id"})
    response = connection.getresponse()
    response.body = response.read().decode("utf-8", "replace")
    connection.close()
    return response


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("gunicorn stopped")
        try:
            get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 60 s")


def test_pages_say_503_while_postgres_restarts_and_recover_without_a_restart(tmp_path):
    require_postgres_and_redis("faults")
    world = build_world()
    survey = make_survey(world.programme)
    page = f"/s/{survey.public_token}/"

    postgres = PrivatePostgres()
    postgres.start()
    server = None
    try:
        # The private cluster gets a copy of the test database, as the tests left it.
        dump = tmp_path / "dump.sql"
        subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "-f", str(dump), database_url()],
            check=True,
            capture_output=True,
        )
        postgres.psql("postgres", "-c", "CREATE DATABASE zi")
        postgres.psql("zi", "-f", str(dump))

        port = free_port()
        log = (tmp_path / "gunicorn.log").open("wb")
        var = tmp_path / "var"
        env = {
            **os.environ,
            "DATABASE_URL": postgres.url("zi"),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "ERROR",
            "DJANGO_DB_CONN_MAX_AGE": "600",  # connections kept: the restart breaks them
            "ZI_VAR_DIR": str(var),
            "DJANGO_STATIC_ROOT": str(var / "static"),
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        # As a deployment does (the production storage serves hashed names from a manifest).
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=settings.BASE_DIR,
            check=True,
        )
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "zi_tracker.wsgi:application",
                f"--bind={HOST}:{port}",
                "--workers=1",
                "--worker-class=gthread",
                "--threads=2",
                "--log-level=critical",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_serving(port, server)
        opened = get(port, page)  # the survey's link names a new filled-in form
        assert opened.status == 302, opened.body[:500]
        page = opened.getheader("Location")
        first = get(port, page)
        assert first.status == 200, (tmp_path / "gunicorn.log").read_text()[-3000:]
        assert get(port, "/healthz").status == 200

        postgres.stop()
        away = get(port, page)
        assert away.status == 503
        assert away.getheader("Retry-After") == "30"
        assert "Layanan sedang tidak tersedia" in away.body
        assert "Traceback" not in away.body
        assert get(port, "/healthz").status == 503

        postgres.start()
        back = get(port, page)  # the very next request, on the same gunicorn
        assert back.status == 200, back.body[:500]
        assert "Survei Zona Integritas Polres Alpha" in back.body
        assert get(port, "/healthz").status == 200
        assert server.poll() is None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        postgres.remove()

"""Real Celery worker processes for tests: started on the test database and a Redis broker,
waited on by what they log, stopped (or killed) at the end.

The worker reads what the tests commit (transactional tests, no wrapping transaction) and
sends its e-mails to files in a folder of its own (DJANGO_EMAIL_FILE_PATH).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from zi_tracker.celery import app

# Generous: the machine may be busy with other work (a CPU-bound process beside the suite
# must not fail it); the tests wait on what they caused, so a quiet machine passes at once.
WAIT_SECONDS = 120


def database_url(name: str | None = None) -> str:
    """The address of the test database (or of the database `name` on its server), for
    processes started by the tests."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{name or db['NAME']}"


def require_postgres_and_redis(what: str) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(f"[{what}] needs PostgreSQL")
    if not os.environ.get("REDIS_URL"):
        pytest.skip(f"[{what}] needs Redis: set REDIS_URL=redis://…")


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL when the process has not ended 20 s later."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    mail: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            stop_process(self.process)

    def kill(self) -> None:
        """SIGKILL: the worker dies on the spot, as in a crash or an out-of-memory kill."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def start_worker(
    folder: Path, *, broker_url: str, mail: Path, module: str | None = None, **env: str
) -> Worker:
    """A `celery -A zi_tracker worker` (or ``python -m module`` that starts one) on the test
    database; ready when it returns."""
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / f"worker-{time.monotonic_ns()}.log"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_EMAIL_FILE_PATH": str(mail),
        "DJANGO_DB_CONN_MAX_AGE": "0",
        "ZI_VAR_DIR": str(folder / "var"),
        "PYTHONPATH": str(settings.BASE_DIR),
        **env,
    }
    environment.pop("EMAIL_HOST", None)
    command = (
        [sys.executable, "-m", module]
        if module
        else [str(Path(sys.executable).with_name("celery")), "-A", "zi_tracker"]
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *command,
                "worker",
                "--pool=solo",  # one task at a time, in the order sent
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill takes all of it
        )
    worker = Worker(process, log_path, mail)
    wait(lambda: b" ready." in log_path.read_bytes() or process.poll() is not None, 60)
    if process.poll() is not None:
        pytest.fail("the worker stopped:\n" + log_path.read_text(errors="replace"))
    return worker


def wait(condition, seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def wait_for(condition, what: str, worker: Worker, seconds: float = WAIT_SECONDS) -> None:
    if not wait(condition, seconds):
        log = worker.log.read_text(errors="replace")[-4000:]
        pytest.fail(f"not within {seconds} s: {what}\n--- worker log ---\n{log}")


def wait_for_tasks(worker: Worker, *results) -> None:
    """Wait until the worker has run each of these tasks (its log says how each ended)."""
    ends = ("] succeeded in", "] raised", "] failed", "] ignored")

    def done() -> bool:
        log = worker.log.read_text(errors="replace")
        return all(any(f"[{r.id}{end}" in log for end in ends) for r in results)

    wait_for(done, "tasks " + ", ".join(r.id for r in results), worker)


def wait_for_what_they_queued(worker: Worker) -> None:
    """Wait until the worker has also run what the finished tasks queued (their e-mails): a
    marker sent now runs after them, the worker taking one task at a time in order."""
    wait_for_tasks(worker, app.send_task("celery.accumulate", args=(1,)))


# Django's file backend ends each message with a line of 79 dashes, and two connections opened
# in the same second may write to the same file (its name is the time and the connection's
# id, which a new connection can reuse): count messages, not files.
MAIL_END = "\n" + "-" * 79 + "\n"


def mails(worker_or_folder) -> list[str]:
    folder = getattr(worker_or_folder, "mail", worker_or_folder)
    found = []
    for path in sorted(Path(folder).glob("*.log")):
        text = path.read_text(encoding="utf-8")
        found += [m + MAIL_END for m in text.split(MAIL_END) if m.strip()]
    return found

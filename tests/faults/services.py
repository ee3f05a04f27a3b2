"""Private Redis and PostgreSQL servers for the fault tests: started on free ports of
127.0.0.1 in temporary folders, so that a test may stop and restart them without touching the
servers the rest of the suite (and anyone else on the machine) uses."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


_taken: set[int] = set()


def server_port() -> int:
    """A free port for a server the test stops and starts again on the same port: below the
    kernel's range for ports given out on request (what `free_port` and every client gets),
    so that nothing else started meanwhile (another test's server, in a parallel run) can
    take it while the server is down. Apart per process, so parallel test processes differ."""
    low, span = 20000, 10000
    for attempt in range(span):
        port = low + (os.getpid() * 97 + attempt) % span
        if port in _taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise RuntimeError("no free port for a private server")


def _until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"not within {seconds} s: {what}")


class PrivateRedis:
    """redis-server on a port of its own, keeping nothing on disk (as the suite's Redis)."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if not self.binary:
            pytest.skip("[faults] needs redis-server")
        self.port = server_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{db}"

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _until(self.answers, 20, "the private Redis to answer")

    def stop(self) -> None:
        """Gone at once, with what it held (as when the server crashes)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        _until(lambda: not self.answers(), 10, "the private Redis to stop")


class PrivatePostgres:
    """A PostgreSQL cluster of its own (initdb in a temporary folder, trust authentication)."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not bins:
            pytest.skip("[faults] needs the PostgreSQL server binaries (/usr/lib/postgresql)")
        self.bin = bins[-1].parent
        # Directly under the temporary folder: the server's user must reach it.
        folder = Path(tempfile.mkdtemp(prefix="zi-faults-pg-"))
        self.folder = folder
        self.data = folder / "data"
        self.port = server_port()
        self._as_server_user = []
        if os.geteuid() == 0:  # the server refuses to run as root
            self._as_server_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self._as_server_user, str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}")

    def remove(self) -> None:
        """Stopped if it runs, and its folder removed."""
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -h {HOST} -k {self.folder} -F",
            "start",
        )

    def stop(self) -> None:
        """A fast shutdown: open sessions are cut, as in a restart."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def psql(self, database: str, *args: str, stdin=None) -> None:
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                HOST,
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                *args,
            ],
            check=True,
            capture_output=True,
            stdin=stdin,
        )

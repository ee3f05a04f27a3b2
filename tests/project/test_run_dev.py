"""`make run` (bin/run-dev) sets the address links use from HOST and PORT.

The script is run with stand-ins for the two programs it starts (the web server and the
Celery worker): each writes down the environment it was given and exits.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.project.test_settings import ROOT, clean_environ

STAND_IN = """#!/bin/sh
if [ "$1" = "-c" ]; then exec "{python}" "$@"; fi
echo "$(basename "$0") ZI_SITE_URL=$ZI_SITE_URL DJANGO_ALLOWED_HOSTS=$DJANGO_ALLOWED_HOSTS" >> "{log}"
sleep 1  # the script stops both programs once one ends: let the other write first
"""


def run_dev(tmp_path: Path, host: str, port: str, **env: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "started.log"
    for name in ("python", "celery"):
        stand_in = bin_dir / name
        stand_in.write_text(STAND_IN.format(python=sys.executable, log=log))
        stand_in.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    result = subprocess.run(
        ["bash", str(ROOT / "bin" / "run-dev"), str(bin_dir / "python"), host, port],
        cwd=work,
        env={**clean_environ(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [*sorted(log.read_text().splitlines()), result.stdout]


def test_links_follow_host_and_port(tmp_path):
    *started, printed = run_dev(tmp_path, "127.0.0.1", "8011")
    expected = (
        "ZI_SITE_URL=http://127.0.0.1:8011 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,[::1],127.0.0.1"
    )
    assert started == [f"celery {expected}", f"python {expected}"]
    assert "ZI Tracker runs at  http://127.0.0.1:8011/" in printed


def test_a_wildcard_host_links_to_the_machines_own_address(tmp_path):
    *started, _printed = run_dev(tmp_path, "0.0.0.0", "8011")  # noqa: S104
    site = started[0].split()[1].removeprefix("ZI_SITE_URL=")
    assert site.startswith("http://") and site.endswith(":8011")
    assert "0.0.0.0" not in site  # noqa: S104
    host = site.removeprefix("http://").removesuffix(":8011")
    assert started[0].split()[2].endswith(f",{host}")  # and the server accepts that host


def test_an_address_given_in_the_environment_wins(tmp_path):
    *started, _printed = run_dev(
        tmp_path,
        "0.0.0.0",  # noqa: S104
        "8000",
        ZI_SITE_URL="https://zi.polres.example",
        DJANGO_ALLOWED_HOSTS="zi.polres.example",
    )
    assert started[0] == (
        "celery ZI_SITE_URL=https://zi.polres.example DJANGO_ALLOWED_HOSTS=zi.polres.example"
    )


@pytest.mark.skipif(os.name != "posix", reason="a shell script")
def test_the_script_is_valid_shell():
    assert subprocess.run(["bash", "-n", str(ROOT / "bin" / "run-dev")]).returncode == 0

"""The WSGI entry point gunicorn serves (zi_tracker/wsgi.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_imports_the_urlconf_when_it_starts_not_in_its_first_request(tmp_path):
    code = (
        "import sys, zi_tracker.wsgi; "
        "print('zi_tracker.urls' in sys.modules, 'portalrb.api' in sys.modules)"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wsgi.sqlite3'}",
        "ZI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]

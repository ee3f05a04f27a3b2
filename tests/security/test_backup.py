"""The README's backup: a pg_dump of the demo restores into a fresh database that holds the
same data, the same intact audit trail and the same LKE scores."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.project.test_settings import ROOT, clean_environ
from tests.workers import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Run against a database given by DATABASE_URL, in a process of its own: what an operator's
# `manage.py` would see after a restore.
SNAPSHOT = r"""
import dataclasses, hashlib, json
import django
django.setup()
from django.apps import apps
from audit.services import audit_verify_chain
from evaluations.models import Assessment
from evaluations.selectors import programme_breakdown
from pokja.models import Programme

tables = {}
for model in apps.get_models():
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = model._default_manager.order_by("pk").values_list(*fields)
    digest = hashlib.sha256()
    count = 0
    for row in rows.iterator():
        digest.update(repr(row).encode())
        count += 1
    tables[model._meta.label] = [count, digest.hexdigest()]
check = audit_verify_chain()
scores = {}
for programme in Programme.objects.filter(
    pk__in=Assessment.objects.values("programme_id")
).select_related("framework", "unit"):
    breakdown = programme_breakdown(programme)
    scores[programme.key] = json.loads(json.dumps(dataclasses.asdict(breakdown), default=str))
print(json.dumps({
    "tables": tables,
    "audit": [check.ok, check.checked, check.last_entry_id, check.last_hash],
    "scores": scores,
}))
"""


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": s["HOST"] or "127.0.0.1",
        "PGPORT": str(s["PORT"] or 5432),
        "PGUSER": s["USER"],
    }
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{args[0]}: {result.stdout[-2000:]}{result.stderr[-3000:]}"
    return result


def _django(database: str, *args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        **clean_environ(),
        "DATABASE_URL": database_url(database),
        "ZI_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
    }
    return _run(sys.executable, *args, cwd=ROOT, env=env)


def _snapshot(database: str, tmp_path) -> dict:
    out = _django(database, "-c", SNAPSHOT, tmp_path=tmp_path).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_dump_of_the_demo_restores_with_the_same_data_trail_and_scores(tmp_path):
    from dashboards.demo import seed_demo

    demo = seed_demo(units=2)  # with its worksheet: unit answers, TPI review under way
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "zi.dump"
    env = _pg_env()
    # The README's backup: an anchor of the audit trail first (kept with the dump), then the dump.
    noted = _django(source, "manage.py", "audit_anchor", tmp_path=tmp_path).stdout.strip()
    _run("pg_dump", "-Fc", "-d", source, "-f", str(dump), env=env)
    _run("dropdb", "--if-exists", restored, env=env)
    _run("createdb", restored, env=env)
    try:
        _run("pg_restore", "--no-owner", "--single-transaction", "-d", restored, str(dump), env=env)
        before = _snapshot(source, tmp_path)
        after = _snapshot(restored, tmp_path)
        anchor = f"{before['audit'][2]}:{before['audit'][3]}"
        verified = _django(
            restored, "manage.py", "verify_audit", "--anchor", noted, tmp_path=tmp_path
        )
    finally:
        _run("dropdb", "--if-exists", restored, env=env)

    assert before["audit"][0] and before["audit"][1] > 20
    assert after["audit"] == before["audit"]
    assert noted.endswith(f"anchor {anchor} entries={before['audit'][1]}")
    assert "Audit trail intact" in verified.stdout
    assert "Matches the anchor of" in verified.stdout
    assert before["tables"]["pokja.Programme"][0] == 3
    assert before["tables"]["evaluations.Answer"][0] > 100
    assert before["tables"]["evaluations.AnswerEvidence"][0] > 0
    mismatched = {
        label: (counts, after["tables"].get(label))
        for label, counts in before["tables"].items()
        if after["tables"].get(label) != counts
    }
    assert not mismatched
    key = demo.programme.key
    assert float(before["scores"][key]["total"]) > 0
    assert after["scores"] == before["scores"]

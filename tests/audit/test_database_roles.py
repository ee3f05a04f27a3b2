"""The database roles of deploy/postgres/: migrations run as an owner, the application as a
role that owns nothing. As the application's role, emptying, changing or unprotecting the
audit trail is refused by PostgreSQL itself, while the application works as usual.

A database and two roles of their own are created on the test server (roles are shared by
the whole server: their names carry the test database's) and dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg2
import pytest
from django.db import connection
from psycopg2 import errors

from tests.project.test_settings import ROOT, clean_environ

pytestmark = pytest.mark.postgres

ROLES_SQL = ROOT / "deploy" / "postgres" / "zi-roles.psql"
INIT_SCRIPT = ROOT / "deploy" / "postgres" / "10-zi-roles.sh"

# Run as the application's role, in a process of its own: an ordinary day's writes.
NORMAL_USE = r"""
import django
django.setup()
from audit.models import AuditChainHead, AuditEntry
from audit.services import audit_verify_chain
from evaluations.loader import load_bundled_framework
from pokja import services
from pokja.models import Unit, User

framework = load_bundled_framework("lke-2021")
unit = Unit.objects.create(code="POLRES-ROLES", name="Polres Peran", kind="polres")
waka = services.user_create(
    actor=None, username="waka", full_name="Waka", password="Sangat-Rahasia-2026"
)
programme = services.programme_create(actor=waka, unit=unit, year=2026, framework=framework)
services.programme_role_add(actor=waka, programme=programme, user=waka, kind="koordinator")
services.programme_update(actor=waka, programme=programme, target="WBBM")
role = programme.roles.get()
services.programme_role_remove(actor=waka, role=role)
check = audit_verify_chain()
assert check.ok, check.reason
assert check.checked == AuditEntry.objects.count() == 5, check.checked
assert AuditChainHead.objects.get().last_entry_id == check.last_entry_id
print("normal use works:", check.checked, "entries")
"""


def _server() -> dict[str, str]:
    s = connection.settings_dict
    return {"host": s["HOST"] or "127.0.0.1", "port": str(s["PORT"] or 5432), "user": s["USER"]}


def _run(*args, env=None) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert result.returncode == 0, f"{args[:3]}: {result.stdout[-2000:]}{result.stderr[-3000:]}"
    return result


def _superuser(sql: str) -> None:
    s = _server()
    _run("psql", "-h", s["host"], "-p", s["port"], "-U", s["user"], "-d", "postgres", "-qc", sql)


def _django(role: str, database: str, *args: str, tmp_path) -> subprocess.CompletedProcess:
    s = _server()
    env = {
        **clean_environ(),
        "DATABASE_URL": f"postgres://{role}:secret@{s['host']}:{s['port']}/{database}",
        "ZI_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
    }
    return _run(sys.executable, *args, env=env)


@pytest.fixture(scope="module")
def roles(tmp_path_factory):
    """A database set up by zi-roles.psql, migrated as its owner, granted to the app role."""
    base = connection.settings_dict["NAME"]
    database, owner, app = f"{base}_roles", f"{base}_owner", f"{base}_app"
    s = _server()
    tmp_path = tmp_path_factory.mktemp("roles")
    cleanup = (
        f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
        f"DROP ROLE IF EXISTS {app}",
        f"DROP ROLE IF EXISTS {owner}",
    )
    for sql in cleanup:
        _superuser(sql)
    # What the db service of docker-compose runs on its first start ...
    owner_password = tmp_path / "db_owner_password"
    owner_password.write_text("secret\n")
    _run(
        str(INIT_SCRIPT),
        env={
            "PATH": os.environ["PATH"],
            "PGHOST": s["host"],
            "PGPORT": s["port"],
            "POSTGRES_USER": s["user"],
            "ZI_DB_NAME": database,
            "ZI_DB_OWNER": owner,
            "ZI_DB_APP": app,
            "ZI_DB_APP_PASSWORD": "secret",
            "ZI_DB_OWNER_PASSWORD_FILE": str(owner_password),
        },
    )
    # ... and the roles file run again by hand (an upgrade): it changes nothing.
    psql = ("psql", "-h", s["host"], "-p", s["port"], "-U", s["user"], "-d", "postgres", "-q")
    variables = ("-v", f"dbname={database}", "-v", f"owner={owner}", "-v", f"app={app}")
    secrets = ("-v", "owner_password=secret", "-v", "app_password=secret")
    _run(*psql, *variables, *secrets, "-f", str(ROLES_SQL))
    _django(owner, database, "manage.py", "migrate", "--noinput", "-v0", tmp_path=tmp_path)
    granted = _django(owner, database, "manage.py", "grant_app_role", app, tmp_path=tmp_path)
    try:
        yield {"database": database, "owner": owner, "app": app, "granted": granted.stdout}
    finally:
        for sql in cleanup:
            _superuser(sql)


def _connect(role: str, database: str):
    s = _server()
    db = psycopg2.connect(
        host=s["host"], port=s["port"], user=role, password="secret", dbname=database
    )
    db.autocommit = True
    return db


REFUSED_TO_THE_APP = [
    "TRUNCATE audit_auditentry",
    "TRUNCATE audit_auditchainhead",
    "TRUNCATE audit_auditentry, audit_auditchainhead",
    "DELETE FROM audit_auditentry",
    "DELETE FROM audit_auditchainhead",
    "UPDATE audit_auditentry SET note = 'forged'",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
    "ALTER TABLE audit_auditchainhead DISABLE TRIGGER audit_head_append_only",
    "DROP TABLE audit_auditentry",
    "DROP TRIGGER audit_entry_no_truncate ON audit_auditentry",
    "CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE sql AS 'SELECT NULL'",
    # Switching triggers off for the session, as a superuser may.
    "SET session_replication_role = replica",
    # Rewriting history by hand in the table of applied migrations, or adding tables.
    "DELETE FROM django_migrations",
    "CREATE TABLE audit_shadow (id int)",
    # Ordinary tables are not emptied wholesale either.
    "TRUNCATE pokja_unit CASCADE",
]


def test_the_application_role_cannot_empty_change_or_unprotect_the_trail(roles, tmp_path):
    assert "only SELECT, INSERT on audit_auditentry" in roles["granted"]
    assert "only SELECT, INSERT, UPDATE on audit_auditchainhead" in roles["granted"]
    used = _django(roles["app"], roles["database"], "-c", NORMAL_USE, tmp_path=tmp_path)
    assert "normal use works: 5 entries" in used.stdout
    app = _connect(roles["app"], roles["database"])
    try:
        refused = {}
        for sql in REFUSED_TO_THE_APP:
            with app.cursor() as cursor:
                try:
                    cursor.execute(sql)
                except errors.InsufficientPrivilege as exc:
                    refused[sql] = str(exc).splitlines()[0]
        assert set(refused) == set(REFUSED_TO_THE_APP), set(REFUSED_TO_THE_APP) - set(refused)
        assert refused["TRUNCATE audit_auditentry"].startswith("permission denied")
        assert refused["ALTER TABLE audit_auditentry DISABLE TRIGGER ALL"].startswith(
            "must be owner"
        )
        with app.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditentry")
            assert cursor.fetchone()[0] == 5
            # The head moves only forward, and only by the trigger's rule, for the app too.
            cursor.execute("SELECT last_entry_id FROM audit_auditchainhead")
            (last,) = cursor.fetchone()
            with pytest.raises(errors.RestrictViolation, match="audit chain head"):
                cursor.execute("UPDATE audit_auditchainhead SET last_entry_id = %s", [last - 1])
    finally:
        app.close()
    verified = _django(
        roles["app"], roles["database"], "manage.py", "verify_audit", tmp_path=tmp_path
    )
    assert "Audit trail intact: 5 entries verified." in verified.stdout


def test_the_owner_is_no_superuser_and_its_truncate_is_refused_by_the_trigger(roles):
    owner = _connect(roles["owner"], roles["database"])
    try:
        with owner.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            assert cursor.fetchone() == (False,)
            cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
            assert cursor.fetchall() == [(roles["owner"],)]
            for table in ("audit_auditentry", "audit_auditchainhead"):
                with pytest.raises(errors.RestrictViolation, match="append-only: TRUNCATE"):
                    cursor.execute(f"TRUNCATE {table}")
            with pytest.raises(errors.InsufficientPrivilege):
                cursor.execute("SET session_replication_role = replica")
    finally:
        owner.close()


def test_the_grant_refuses_roles_that_could_alter_the_trail(roles, tmp_path):
    s = _server()
    env = {
        **clean_environ(),
        "DATABASE_URL": f"postgres://{roles['owner']}:secret@{s['host']}:{s['port']}/{roles['database']}",
        "ZI_VAR_DIR": str(tmp_path / "var"),
    }
    for role, message in (
        (roles["owner"], "is the role this command connects as"),
        (s["user"], "superuser"),
        (f"{roles['app']}_missing", "there is no database role"),
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", "grant_app_role", role],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        assert result.returncode == 1, role
        assert message in result.stderr, result.stderr
    assert os.path.exists(ROLES_SQL)

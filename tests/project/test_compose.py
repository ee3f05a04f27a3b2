"""docker-compose.yml cannot run here (no Docker engine); check what it declares."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


APP_SERVICES = ("web", "worker", "beat")


def test_compose_declares_the_five_services_with_healthchecks_and_the_migration_run():
    compose = load_compose()
    services = compose["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        if name != "migrate":  # runs to completion, then stops
            assert "healthcheck" in service, f"{name} has no healthcheck"
    assert services["migrate"]["restart"] == "no"
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_app_services_share_one_image_and_the_real_stack():
    services = load_compose()["services"]
    for name in (*APP_SERVICES, "migrate"):
        service = services[name]
        assert service["build"] == "."
        assert service["image"] == "zi-tracker:latest"
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DJANGO_DEBUG"] == "false"
    for name in APP_SERVICES:
        service = services[name]
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        assert "media:/data/media" in service["volumes"]
    assert "gunicorn zi_tracker.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A zi_tracker worker")
    assert services["beat"]["command"].startswith("celery -A zi_tracker beat")


def test_volumes_for_media_and_database():
    compose = load_compose()
    assert {"media", "pgdata"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def test_dockerfile_serves_with_gunicorn_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER zi" in dockerfile
    assert "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile


def test_env_example_names_every_required_production_variable():
    example = (ROOT / ".env.example").read_text()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "ZI_DB_APP_PASSWORD", "ZI_SITE_URL"):
        assert f"{name}=" in example
    # The owner's and the superuser's passwords are secret files, never in the environment.
    assert "POSTGRES_PASSWORD=" not in example


def _interpolated(value: str) -> str:
    """What compose makes of `${NAME:?message}` with NAME set in .env."""
    return re.sub(r"\$\{[A-Z_]+(?::\?[^}]*)?\}", "from-dot-env", value)


def _database_user(url: str) -> str:
    return urlsplit(_interpolated(url)).username


def test_the_application_connects_as_a_role_that_owns_nothing_and_migrations_as_the_owner():
    compose = load_compose()
    services = compose["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert _database_user(env["DATABASE_URL"]) == "zi_app", name
        # Neither the owner's nor the superuser's password reaches an application container.
        assert "secrets" not in services[name], name
        assert not any("PASSWORD" in key for key in env), name
    migrate = services["migrate"]
    url = migrate["environment"]["DATABASE_URL"]
    assert _database_user(url) == "zi_owner"
    assert (
        urlsplit(_interpolated(url)).password is None
    )  # from the secret file, not the environment
    assert migrate["secrets"] == ["db_owner_password"]
    steps = [step.strip() for step in migrate["command"].split("&&")]
    assert "/run/secrets/db_owner_password" in steps[0]
    assert steps[1:] == [
        "python manage.py migrate --noinput",
        "python manage.py grant_app_role zi_app",
        "python manage.py load_bundled_data'",
    ]
    assert "migrate" not in services["web"]["command"]


def test_the_database_sets_up_the_roles_on_its_first_start():
    compose = load_compose()
    db = compose["services"]["db"]
    env = db["environment"]
    assert env["POSTGRES_USER"] == "postgres"
    assert env["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "POSTGRES_PASSWORD" not in env
    assert set(db["secrets"]) == {"postgres_password", "db_owner_password"}
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert "-h 127.0.0.1" in db["healthcheck"]["test"][1]
    assert compose["secrets"] == {
        "postgres_password": {"file": "./secrets/postgres_password"},
        "db_owner_password": {"file": "./secrets/db_owner_password"},
    }
    init = ROOT / "deploy" / "postgres" / "10-zi-roles.sh"
    assert os.access(init, os.X_OK)  # run by the entrypoint, not sourced into it
    script = init.read_text()
    for variable in ("dbname=", "owner=", "owner_password=", "app=", "app_password="):
        assert f"-v {variable}" in script
    assert "/run/secrets/db_owner_password" in script
    assert "zi-roles.psql" in script
    # The entrypoint runs *.sh and *.sql files of the folder: the roles file is neither.
    assert sorted(p.name for p in init.parent.iterdir()) == ["10-zi-roles.sh", "zi-roles.psql"]
    assert "secrets/" in (ROOT / ".gitignore").read_text().split()
    assert "secrets" in (ROOT / ".dockerignore").read_text().split()


def test_the_audit_anchors_live_in_a_volume_of_their_own_beside_the_database():
    compose = load_compose()
    services = compose["services"]
    assert "anchors" in compose["volumes"]
    # Written by the worker's nightly task, read by verify_audit in the web container.
    for name in ("web", "worker"):
        assert "anchors:/data/anchors" in services[name]["volumes"]
        assert services[name]["environment"]["ZI_AUDIT_ANCHOR_DIR"] == "/data/anchors"
    assert "/data/anchors" in (ROOT / "Dockerfile").read_text()

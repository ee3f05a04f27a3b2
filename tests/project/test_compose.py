"""docker-compose.yml cannot run here (no Docker engine); check what it declares."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_declares_the_five_services_with_healthchecks():
    compose = load_compose()
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_app_services_share_one_image_and_the_real_stack():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DJANGO_DEBUG"] == "false"
        assert set(service["depends_on"]) == {"db", "redis"}
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
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD", "ZI_SITE_URL"):
        assert f"{name}=" in example

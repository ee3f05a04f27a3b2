"""The export retention setting and the beat entry that applies it."""

from __future__ import annotations

from celery.schedules import crontab
from django.conf import settings

from tests.project.test_settings import run_django


def test_export_keep_days_is_a_typed_setting():
    ok = run_django("from django.conf import settings as s; print(s.ZI_EXPORT_KEEP_DAYS)")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "7"
    set_ = run_django(
        "from django.conf import settings as s; print(s.ZI_EXPORT_KEEP_DAYS)",
        ZI_EXPORT_KEEP_DAYS="30",
    )
    assert set_.stdout.strip() == "30"
    for bad, message in (
        ("soon", "ZI_EXPORT_KEEP_DAYS='soon' is not a whole number"),
        ("0", "ZI_EXPORT_KEEP_DAYS=0 must be at least 1"),
    ):
        result = run_django("pass", ZI_EXPORT_KEEP_DAYS=bad)
        assert result.returncode != 0
        assert message in result.stderr


def test_old_exports_are_removed_every_night_wib():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-remove-old-exports"]
    assert entry["task"] == "reports.remove_old_exports"
    assert entry["schedule"] == crontab(hour=3, minute=30)
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"

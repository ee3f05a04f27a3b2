"""The beat schedule as code: which task runs when, in WIB (Asia/Jakarta)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from zi_tracker.celery import app

WIB = ZoneInfo("Asia/Jakarta")


def fires(entry: dict, moment: datetime.datetime) -> bool:
    """Whether a crontab entry fires at `moment` (minute precision), read in the app's zone."""
    schedule = entry["schedule"]
    local = moment.astimezone(ZoneInfo(app.conf.timezone))
    celery_weekday = (local.isoweekday()) % 7  # celery: 0 = Sunday
    return (
        local.minute in schedule.minute
        and local.hour in schedule.hour
        and celery_weekday in schedule.day_of_week
        and local.day in schedule.day_of_month
        and local.month in schedule.month_of_year
    )


def week_of_firings(name: str) -> list[datetime.datetime]:
    """Every minute of the week from Monday 30 November 2026 00:00 WIB at which `name` fires."""
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    start = datetime.datetime(2026, 11, 30, tzinfo=WIB)
    minutes = (start + datetime.timedelta(minutes=m) for m in range(7 * 24 * 60))
    return [m for m in minutes if fires(entry, m)]


def test_crontab_hours_are_wib():
    assert app.conf.timezone == settings.CELERY_TIMEZONE == "Asia/Jakarta"


def test_every_entry_names_a_registered_task_with_limits():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks.get(entry["task"])
        assert task is not None, f"{name}: no task {entry['task']}"
        limit = task.time_limit or app.conf.task_time_limit
        assert limit and limit <= settings.CELERY_TASK_TIME_LIMIT, name


def test_the_stale_scores_are_repaired_every_minute():
    firings = week_of_firings("repair-stale-scores")
    assert len(firings) == 7 * 24 * 60
    assert settings.CELERY_BEAT_SCHEDULE["repair-stale-scores"]["options"]["expires"] < 60


def test_the_nightly_scores_run_at_half_past_midnight_wib_each_day():
    firings = week_of_firings("nightly-scores")
    assert [(f.day, f.hour, f.minute) for f in firings] == [(d, 0, 30) for d in range(30, 31)] + [
        (d, 0, 30) for d in range(1, 7)
    ]
    # 00:30 WIB is 17:30 UTC the evening before: the snapshot is dated with the WIB day
    assert firings[0].astimezone(datetime.UTC).strftime("%d %H:%M") == "29 17:30"


def test_the_reminders_run_every_morning_and_the_evidence_reminder_on_mondays():
    daily = week_of_firings("action-plan-reminders")
    assert len(daily) == 7 and {(f.hour, f.minute) for f in daily} == {(6, 0)}
    weekly = week_of_firings("evidence-reminders")
    assert [(f.strftime("%a"), f.hour, f.minute) for f in weekly] == [("Mon", 6, 30)]


def test_the_digest_runs_on_monday_at_seven_wib_which_is_midnight_utc():
    (firing,) = week_of_firings("weekly-digest")
    assert (firing.strftime("%a %d"), firing.hour, firing.minute) == ("Mon 30", 7, 0)
    assert firing.astimezone(datetime.UTC).strftime("%a %H:%M") == "Mon 00:00"
    assert settings.CELERY_BEAT_SCHEDULE["weekly-digest"]["task"] == "notifications.weekly_digest"


def test_each_entry_has_a_comment_saying_when_it_runs_in_wib():
    source = (Path(settings.BASE_DIR) / "zi_tracker" / "settings.py").read_text(encoding="utf-8")
    block = source[source.index("CELERY_BEAT_SCHEDULE: dict = {") :]
    block = block[: block.index("\n}\n")]
    entries = re.findall(r'((?:\s*#[^\n]*\n)+)\s*"([a-z-]+)": \{', block)
    assert {name for _, name in entries} == set(settings.CELERY_BEAT_SCHEDULE)
    for comment, name in entries:
        assert "WIB" in comment or "every minute" in comment.lower(), name


def test_old_exports_are_removed_at_half_past_three_wib_each_day():
    firings = week_of_firings("reports-remove-old-exports")
    assert len(firings) == 7 and {(f.hour, f.minute) for f in firings} == {(3, 30)}


def test_lost_event_emails_are_caught_up_every_five_minutes():
    firings = week_of_firings("event-emails")
    assert len(firings) == 7 * 24 * 12 and {f.minute % 5 for f in firings} == {0}
    assert settings.CELERY_BEAT_SCHEDULE["event-emails"]["options"]["expires"] < 5 * 60


def test_the_audit_anchor_is_noted_at_a_quarter_past_midnight_wib_each_day():
    firings = week_of_firings("audit-anchor")
    assert len(firings) == 7 and {(f.hour, f.minute) for f in firings} == {(0, 15)}
    assert settings.CELERY_BEAT_SCHEDULE["audit-anchor"]["task"] == "audit.write_anchor"


def test_lost_or_abandoned_exports_are_queued_again_every_minute():
    firings = week_of_firings("reports-repair-exports")
    assert len(firings) == 7 * 24 * 60
    entry = settings.CELERY_BEAT_SCHEDULE["reports-repair-exports"]
    assert entry["task"] == "reports.repair_exports" and entry["options"]["expires"] < 60

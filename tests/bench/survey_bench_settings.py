"""Settings of the gunicorn server that bench_surveys starts: the project's, plus the
bench-only URL of the minimal "insert one row" view. Not used by anything else."""

from zi_tracker.settings import *  # noqa: F403
from zi_tracker.settings import STORAGES as PROJECT_STORAGES

ROOT_URLCONF = "tests.bench.survey_bench_urls"
# The bench renders no page that needs collected static files; plain storage spares a
# collectstatic run.
STORAGES = {
    **PROJECT_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

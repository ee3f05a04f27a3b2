"""ZI Tracker settings: one module, configured by environment variables.

Defaults are for development on one machine with no external services (SQLite, a
filesystem Celery broker, console e-mail). ``DJANGO_DEBUG=false`` turns on the production
hardening and requires the secrets and hosts to be given explicitly.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zi_tracker.env import env_bool, env_int, env_list, env_path, env_str, env_url
from zi_tracker.published_keys import DEVELOPMENT_KEY, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running application writes (SQLite file, media, broker queue, cache).
VAR_DIR = env_path("ZI_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEVELOPMENT_KEY)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    # A key found in the application's own files (the example .env, the development key,
    # anything committed) is public: refused, with how to make one (zi_tracker.published_keys).
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    _key_problem = secret_key_problem(
        SECRET_KEY,
        BASE_DIR,
        skip=[
            VAR_DIR,
            env_path("DJANGO_MEDIA_ROOT", VAR_DIR / "media"),
            env_path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"),
        ],
    )
    if _key_problem:
        raise ImproperlyConfigured(_key_problem)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false "
            "(comma-separated host names, e.g. 'zi.polres.example,10.0.0.5')."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# --- Links -------------------------------------------------------------------------------
# The address people use to reach the site (scheme and host, no path). Every absolute link
# is built by zi_tracker.http.absolute_url: from this when set; unset, pages link to the
# address the request reached and e-mails and background files to http://127.0.0.1:8000.
SITE_URL = env_url("ZI_SITE_URL", None, schemes=("http", "https"))
if SITE_URL:
    SITE_URL = SITE_URL.rstrip("/")
    if urlsplit(SITE_URL).path or urlsplit(SITE_URL).query or not urlsplit(SITE_URL).netloc:
        raise ImproperlyConfigured(
            f"ZI_SITE_URL={SITE_URL!r} must be a scheme and host only, "
            "e.g. 'https://zi.polres.example' or 'http://10.0.0.5:8011'."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    # The project's apps, from the base upwards.
    "figures",
    "audit",
    "pokja",
    "evaluations",
    "surveys",
    "dashboards",
    "notifications",
    "reports",
    "publicpage",
    "portalrb",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zi_tracker.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "zi_tracker.middleware.CacheAndPermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: with DEBUG on, requests from other machines get the real error pages.
    "zi_tracker.debug_pages.LocalDebugPagesMiddleware",
]
# Django's debug pages (DEBUG) only for requests from this machine (zi_tracker.debug_pages).
DEFAULT_EXCEPTION_REPORTER = "zi_tracker.debug_pages.LocalOnlyExceptionReporter"

ROOT_URLCONF = "zi_tracker.urls"
WSGI_APPLICATION = "zi_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pokja.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
_database_url = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'zi_tracker.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "postgis"),
)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", 60, minimum=0)
        )
    }
except ValueError as exc:  # dj-database-url's own message says what is wrong
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
# A connection kept between requests is checked before reuse: after the database restarts,
# the next request connects again instead of failing on the broken connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default lives in a folder of its own that a fresh clone does not have yet.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Several processes (web, worker) share the file in development.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -----------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss"))

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis away: a miss, not an error (zi_tracker/cache.py); saves go on.
            "BACKEND": "zi_tracker.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # Shared between the web server and the worker without any server process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    REDIS_URL or "filesystem://",
    schemes=("redis", "rediss", "amqp", "filesystem", "memory"),
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Where the transport keeps its exchange tables (kombu's default is ./control, which
        # would write into the checkout of whoever starts a worker).
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task whose worker died is redelivered after this long (must exceed the longest task).
    _visibility = env_int("ZI_BROKER_VISIBILITY_TIMEOUT", 3600, minimum=5)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility,
        # Workers look for such tasks every 1/60 of that (a minute at most), one scan each.
        "unacked_restore_interval": max(1, min(60, _visibility // 60)),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("ZI_TASK_TIME_LIMIT", 600, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the broker is away, publishing gives up after this many seconds instead of hanging
# the user's request; the nightly run repairs what was not enqueued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
# Periodic work, as code; each entry says when it runs in WIB (Asia/Jakarta, the
# CELERY_TIMEZONE above: crontab hours are WIB hours). Every task is safe to run twice or late.
CELERY_BEAT_SCHEDULE: dict = {
    # Every minute, day and night: scores whose run was lost (broker away, worker stopped).
    "repair-stale-scores": {
        "task": "evaluations.repair_stale_scores",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},  # a run missed is replaced by the next one
    },
    # 00:30 WIB every night: every open programme scored, the day's ScoreSnapshot kept.
    "nightly-scores": {
        "task": "evaluations.nightly_scores",
        "schedule": crontab(hour=0, minute=30),
    },
    # 01:00 WIB every night: the stored results of the surveys running or just closed.
    "nightly-survey-results": {
        "task": "surveys.refresh_survey_results",
        "schedule": crontab(hour=1, minute=0),
    },
    # 06:00 WIB every day: action plans due in 7 days and in 1 day, overdue, escalations.
    "action-plan-reminders": {
        "task": "notifications.action_plan_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # 06:30 WIB every Monday: LKE questions answered without evidence, to each Pokja chair.
    "evidence-reminders": {
        "task": "notifications.evidence_reminders",
        "schedule": crontab(hour=6, minute=30, day_of_week="mon"),
    },
    # 07:00 WIB every Monday: the week's digest to each coordinator.
    "weekly-digest": {
        "task": "notifications.weekly_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Every 5 minutes, day and night (WIB like the rest): e-mails of event notices (an item
    # returned...) whose task was lost (broker away) or failed (mail server away); each is
    # queued at once when its event happens.
    "event-emails": {
        "task": "notifications.event_emails",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 290},  # a run missed is replaced by the next one
    },
    # Every minute, day and night: exports whose run was lost (broker away when asked) or
    # died with its worker; each is queued again and built once.
    "reports-repair-exports": {
        "task": "reports.repair_exports",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},  # a run missed is replaced by the next one
    },
    # Every day at 03:30 WIB: remove export files older than ZI_EXPORT_KEEP_DAYS.
    "reports-remove-old-exports": {
        "task": "reports.remove_old_exports",
        "schedule": crontab(hour=3, minute=30),
    },
    # 00:15 WIB every night: the audit trail checked against its last anchor, and a new
    # anchor noted in ZI_AUDIT_ANCHOR_DIR and the log.
    "audit-anchor": {
        "task": "audit.write_anchor",
        "schedule": crontab(hour=0, minute=15),
    },
}

# --- Audit trail --------------------------------------------------------------------------
# Anchors of the audit trail (its newest entry and hash, noted every night and at each
# backup) are kept outside the database, in this folder; verify_audit compares the trail with
# the newest. Put it where the database's administrators cannot rewrite it.
AUDIT_ANCHOR_DIR = env_path("ZI_AUDIT_ANCHOR_DIR", VAR_DIR / "audit-anchors")

# --- Auth and sessions --------------------------------------------------------------------
AUTH_USER_MODEL = "pokja.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("ZI_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: pages carry the token (forms, and hx-headers for htmx).
CSRF_COOKIE_HTTPONLY = True

# --- Sign-in throttling (pokja.signin) ---------------------------------------------------
# Failed sign-ins lock one account name from one address; from anywhere they only slow the
# account name down (a growing wait between attempts, capped), so nobody can lock another
# person out. A successful sign-in or a password reset by e-mail clears them.
AXES_FAILURE_LIMIT = env_int("ZI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZI_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
ZI_LOGIN_SLOWDOWN_MAX_SECONDS = env_int("ZI_LOGIN_SLOWDOWN_MAX_SECONDS", 60, minimum=1)
# An attempt refused while locked or slowed tries no password and is not counted: refusals
# never extend a lock or a wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # the signed-in account's own failures only (see the handler)
AXES_HANDLER = "pokja.signin.SignInThrottle"
AXES_USERNAME_CALLABLE = "pokja.signin.attempted_username"
AXES_LOCKOUT_CALLABLE = "pokja.signin.lockout_response"
AXES_VERBOSE = False
# Password-reset requests per hour: from one address, and for one e-mail address typed.
ZI_PASSWORD_RESET_ADDRESS_LIMIT = env_int("ZI_PASSWORD_RESET_ADDRESS_LIMIT", 10, minimum=1)
ZI_PASSWORD_RESET_ACCOUNT_LIMIT = env_int("ZI_PASSWORD_RESET_ACCOUNT_LIMIT", 3, minimum=1)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence; never served by URL, only through access-checked views.
MEDIA_ROOT = env_path("DJANGO_MEDIA_ROOT", VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
ZI_EVIDENCE_MAX_MB = env_int("ZI_EVIDENCE_MAX_MB", 20, minimum=1)
# Public survey pages, per client address and 10 minutes: submissions accepted, and wrong
# single-use codes tried (codes are short enough to be read off paper, so guessing is capped).
ZI_SURVEY_RATE_LIMIT = env_int("ZI_SURVEY_RATE_LIMIT", 60, minimum=1)
# Requests to a unit's public page (and its file and badge) from one address per 10 minutes.
ZI_PUBLIC_PAGE_RATE_LIMIT = env_int("ZI_PUBLIC_PAGE_RATE_LIMIT", 300, minimum=1)
ZI_SURVEY_CODE_FAILURE_LIMIT = env_int("ZI_SURVEY_CODE_FAILURE_LIMIT", 20, minimum=1)
# Export files (workbooks, PDF reports, evidence bundles) are removed after this many days.
ZI_EXPORT_KEEP_DAYS = env_int("ZI_EXPORT_KEEP_DAYS", 7, minimum=1)
# The national portal's API (portalrb): where it is served, requests per token and minute,
# and how long the evidence links in its answers stay valid.
ZI_PORTALRB_BASE_PATH = env_str("ZI_PORTALRB_BASE_PATH", "/api/portalrb/")
if not re.fullmatch(r"/([A-Za-z0-9._-]+/)+", ZI_PORTALRB_BASE_PATH):
    raise ImproperlyConfigured(
        f"ZI_PORTALRB_BASE_PATH={ZI_PORTALRB_BASE_PATH!r} must be a path that starts and ends "
        "with '/', e.g. '/api/portalrb/'."
    )
# The portal sends its token with every request: refused over plain HTTP in production
# (request.is_secure(), which honours DJANGO_BEHIND_TLS_PROXY's header).
ZI_PORTALRB_REQUIRE_HTTPS = not DEBUG
ZI_PORTALRB_RATE_LIMIT = env_int("ZI_PORTALRB_RATE_LIMIT", 120, minimum=1)
ZI_PORTALRB_LINK_DAYS = env_int("ZI_PORTALRB_LINK_DAYS", 30, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Larger uploads go to a temporary file that never grows past the largest allowed upload.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "pokja.uploads.CappedTemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640  # never executable
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# --- E-mail -------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
elif env_str("DJANGO_EMAIL_FILE_PATH"):
    # Each message a file in this folder (a staging server, or a worker under test).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(env_path("DJANGO_EMAIL_FILE_PATH", VAR_DIR / "mail"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ZI Tracker <zi-tracker@localhost>")

# --- Security headers ---------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [
    r"^healthz$",  # container health checks speak plain HTTP
    # The portal's API answers plain HTTP with its JSON error (403 HTTPS_REQUIRED), not a
    # redirect a client might follow with its token.
    "^" + re.escape(ZI_PORTALRB_BASE_PATH.lstrip("/")),
]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
ZI_TRUSTED_PROXY_COUNT = env_int("ZI_TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "zi_tracker.http.client_ip"

# The pages need no inline script or style: everything comes from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

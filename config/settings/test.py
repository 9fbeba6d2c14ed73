"""Settings for the test suite: real PostgreSQL, Celery eager unless a test starts a real worker."""

import tempfile

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-test-key")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The real-worker tests start their worker with CELERY_TASK_ALWAYS_EAGER=false, so tasks it
# sends go through the broker as in production.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A save shows on the next dashboard request, as the tests expect; the stale-while-refresh
# behaviour of production (dashboards/cache.py) is tested with its own setting.
DASHBOARDS_REFRESH_SECONDS = 0
# Tests export far more often than a person would; the limit is tested with its own setting.
EXPORT_RATE_LIMIT = "10000/m"
# Evidence files of the tests go to a temporary directory of their own.
STORAGES["evidence"]["OPTIONS"] = {  # noqa: F405
    "location": tempfile.mkdtemp(prefix="sez-test-evidence-")
}
# Each test is a transaction that never commits, so the aggregates' refresh queued for after
# the commit never runs: this stands in for the worker before each request (its text says more).
MIDDLEWARE = [*MIDDLEWARE, "tests.aggregates_catch_up.CatchUpAggregates"]  # noqa: F405

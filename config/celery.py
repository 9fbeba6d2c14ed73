"""The Celery application, configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery

# Production unless told otherwise, as WSGI: a worker started bare must not run with DEBUG,
# the development key and console e-mail. `make run` and the tests name their settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("sez")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.health_check")
def health_check(token: str) -> str:
    """Echo a token back: proves a worker picks up tasks and returns results."""
    return f"ok:{token}"

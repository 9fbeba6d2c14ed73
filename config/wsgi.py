"""The WSGI application gunicorn serves (``gunicorn config.wsgi``): one per worker process.

A worker holds about 190,000 objects for as long as it lives (Django, the views and what
they import, plotly's validators, compiled templates), and Python's cyclic garbage collector
walked every one of them at each full collection: about 150 ms of some request, every few
dozen requests under load, 4 ms a request on average. So what a worker has loaded is moved
out of the collector's sight with ``gc.freeze()``, once when it starts (every view imported
first) and once more after its first requests (what they load lazily: compiled templates,
translations, the URL resolver's caches). Only what later requests allocate is collected, as
before.
"""

import gc
import os
import threading

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

#: After how many requests a worker freezes what it has loaded once more.
WARM_UP_REQUESTS = 20


def _freeze() -> None:
    gc.collect()  # what is garbage now is freed, not kept for ever
    gc.freeze()


class FrozenAfterWarmUp:
    """``application``, with what the worker loaded for its first ``WARM_UP_REQUESTS``
    requests frozen after them: once, whether the server runs one request at a time
    (gunicorn's sync workers) or several on threads (``--threads``, ``runserver``)."""

    def __init__(self, application):
        self.application = application
        self.served = 0
        self.frozen = False
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if not self.frozen:
            with self._lock:
                self.served += 1
                if self.served > WARM_UP_REQUESTS and not self.frozen:
                    _freeze()
                    self.frozen = True
        return self.application(environ, start_response)


django_application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view, and what they import
_freeze()
application = FrozenAfterWarmUp(django_application)

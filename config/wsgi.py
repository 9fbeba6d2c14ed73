"""The WSGI application gunicorn serves (``gunicorn config.wsgi``): one per worker process.

A worker holds about 200,000 objects for as long as it lives (Django, the views and what
they import, compiled templates, plotly's validators), and Python's cyclic garbage collector
walked every one of them at each full collection: about 150 ms of some request, every few
dozen requests under load, 4 ms a request on average. So what a worker has loaded is moved
out of the collector's sight with ``gc.freeze()``, once when it starts (every view imported
first) and once more after its first requests (what they load lazily: templates, plotly's
trace classes). Only what later requests allocate is collected, as before.
"""

import gc
import os

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
    requests frozen after them."""

    def __init__(self, application):
        self.application = application
        self.served = 0

    def __call__(self, environ, start_response):
        self.served += 1
        if self.served == WARM_UP_REQUESTS + 1:
            _freeze()
        return self.application(environ, start_response)


django_application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view, and what they import
_freeze()
application = FrozenAfterWarmUp(django_application)

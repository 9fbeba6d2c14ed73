"""Error pages that need no database: a lost database answers 503, anything else 500."""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def server_error(request, template_name: str = "500.html"):
    """Django's ``handler500``, called while the exception is being handled.

    When PostgreSQL restarts or is unreachable, say so with a friendly 503 and a
    ``Retry-After``; Django drops the broken connection at the end of the request
    (``CONN_HEALTH_CHECKS``), so the next request reconnects without a restart.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        logger.warning("Database unavailable: %s", type(exception).__name__)
        response = HttpResponseServerError(render_to_string("503.html"))
        response.status_code = 503
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string(template_name))


def bad_request(request, exception, template_name: str = "400.html"):
    """Django's ``handler400``: a request over the size limits says so (413), in words."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        response = HttpResponseBadRequest(
            render_to_string("413.html", {"too_big": isinstance(exception, RequestDataTooBig)})
        )
        response.status_code = 413 if isinstance(exception, RequestDataTooBig) else 400
        return response
    return HttpResponseBadRequest(render_to_string(template_name))

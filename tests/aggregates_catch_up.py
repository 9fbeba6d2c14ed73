"""Test settings only: the worker's catch-up, before each request.

Each test runs inside one transaction that is rolled back, never committed, so the refresh
of the aggregate tables that an edit queues for after its commit never runs. This middleware
does it before the request, for the zones this thread flagged, as the worker would have a
moment after the commit; a request made when nothing was flagged costs no query. Tests that
commit (live servers, ``transactional_db``, the real worker's) go the production way."""

from __future__ import annotations

from aggregates.services import aggregates_refresh_uncommitted


class CatchUpAggregates:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        aggregates_refresh_uncommitted()
        return self.get_response(request)

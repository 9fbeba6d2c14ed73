"""Test settings only: the worker's catch-up, before each request.

Each test runs inside one transaction that is rolled back, never committed, so the refresh
of the aggregate tables that an edit queues for after its commit never runs. This middleware
does it before the request, for the zones this thread flagged, as the worker would have a
moment after the commit; a request made when nothing was flagged costs no query. Its queries
are the worker's, not the request's: they are taken out of the connection's query log, so a
test counting a page's queries counts the page's alone. Tests that commit (live servers,
``transactional_db``, the real worker's) go the production way."""

from __future__ import annotations

from django.db import connection

from aggregates.services import aggregates_refresh_uncommitted


class CatchUpAggregates:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        logged = len(connection.queries_log)
        aggregates_refresh_uncommitted()
        while len(connection.queries_log) > logged:
            connection.queries_log.pop()
        return self.get_response(request)

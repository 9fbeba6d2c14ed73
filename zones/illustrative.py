"""Which records a page counts: real ones by default, illustrative ones on request.

Illustrative records were invented to fill the demo (``is_illustrative``). They never count
in a figure unless the reader asks for them with ``?illustrative=include``; the parameter
travels with the finder's own, so every link a page builds keeps it, and every page says
which records it shows. The rule itself is ``zones.models.counted_q``; this module only
reads the request's choice, once."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

#: The querystring parameter and its one value that turns illustrative records on.
PARAMETER = "illustrative"
INCLUDE = "include"
EXCLUDE = "exclude"


@dataclass(frozen=True)
class Shown:
    """What a request asked to count: ``include`` illustrative records or not; ``error`` is
    the message for a value that means neither (the page then counts real records only)."""

    include: bool
    switch_url: str
    error: str | None = None

    @property
    def include_illustrative(self) -> bool:
        return self.include


def shown(params: QueryDict, *, path: str) -> Shown:
    """The choice in ``params`` (a request's GET), and the URL of ``path`` with the same
    parameters and the choice turned over."""
    value = params.get(PARAMETER, "")
    error = None
    if value not in ("", INCLUDE, EXCLUDE):
        error = _("“%(value)s” is not a choice: use “include” or leave it out.") % {"value": value}
    include = includes_illustrative(params)
    switched = params.copy()
    switched.pop(PARAMETER, None)
    if not include:
        switched[PARAMETER] = INCLUDE
    query = switched.urlencode()
    return Shown(include=include, switch_url=path + (f"?{query}" if query else ""), error=error)


def without_choice(params: QueryDict) -> QueryDict:
    """``params`` without the choice: the finder's filters alone (a copy)."""
    params = params.copy()
    params.pop(PARAMETER, None)
    return params


def illustrative_errors(choice: Shown) -> list[tuple[str, str]]:
    """The choice's error as a page lists filter errors: ``(label, message)`` pairs."""
    return [(_("Illustrative records"), choice.error)] if choice.error else []


def includes_illustrative(params) -> bool:
    """Whether ``params`` (a querystring or a filter set's data) ask for illustrative records."""
    return params.get(PARAMETER) == INCLUDE

"""Signed-in users' named finder views: save, list, delete; each shared as its finder link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from zones.filtersets import ZoneFilterSet, filter_errors
from zones.models import Zone

from .alerts import clean_query
from .models import SavedSearch


def finder_link(search: SavedSearch) -> str:
    """The finder view the search names: the link to share."""
    return reverse("zones:finder") + (f"?{search.query}" if search.query else "")


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(owner=user)


def saved_search_create(*, owner, name: str, query: str) -> SavedSearch:
    """Save ``query`` (finder parameters, page and sort dropped) under ``name``. Raises
    ``ValidationError`` for an empty or taken name or bad parameters: nothing is saved."""
    name = name.strip()
    query = clean_query(QueryDict(query))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the search a name.")]
    elif len(name) > 100:
        errors["name"] = [_("Keep the name under 100 characters.")]
    elif saved_searches_of(owner).filter(name=name).exists():
        errors["name"] = [_("You already have a saved search of this name.")]
    filterset = ZoneFilterSet(QueryDict(query), queryset=Zone.objects.none())
    if not filterset.is_valid():
        errors.update(filter_errors(filterset))
    if errors:
        raise ValidationError(errors)
    return SavedSearch.objects.create(owner=owner, name=name, query=query)


def saved_search_delete(*, owner, search_id: int) -> None:
    """Delete one of ``owner``'s saved searches; someone else's is not found (404)."""
    deleted, _by_model = saved_searches_of(owner).filter(pk=search_id).delete()
    if not deleted:
        raise Http404(_("You have no saved search of this number."))

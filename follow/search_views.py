"""Saved searches (/searches/): a signed-in user's named finder views, to reopen and share."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import saved_searches


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_list(request):
    """GET: the user's saved searches with their links; POST: save the finder view posted."""
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        try:
            search = saved_searches.saved_search_create(
                owner=request.user,
                name=request.POST.get("name", "")[:200],
                query=request.POST.get("query", "")[:2000],
            )
        except ValidationError as invalid:
            errors = [m for found in invalid.message_dict.values() for m in found]
            status = 400
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
            return redirect("follow:saved-searches")
    searches = [
        (search, request.build_absolute_uri(saved_searches.finder_link(search)))
        for search in saved_searches.saved_searches_of(request.user)
    ]
    return render(
        request, "follow/saved_searches.html", {"searches": searches, "errors": errors},
        status=status,
    )  # fmt: skip


@login_required
@require_POST
def saved_search_delete(request, search_id: int):
    saved_searches.saved_search_delete(owner=request.user, search_id=search_id)
    messages.success(request, _("Saved search deleted."))
    return redirect("follow:saved-searches")

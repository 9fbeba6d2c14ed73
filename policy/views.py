"""/policy/: the national timeline of policy events and the one-window clock by zone
authority. Thin: the finder's filter set narrows the zones, the event form the events,
``policy.page`` reads and draws, the template lays it out."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.finder_links import filter_params, filtered_page_context
from zones.filtersets import ZoneFilterSet, labelled_filter_errors
from zones.illustrative import illustrative_errors
from zones.selectors import zones_visible_to

from .forms import EventFilterForm
from .page import build_national


@require_GET
def national_policy(request):
    """Every policy event (or those applying to the filtered zones), newest first, by level
    and effect; and the median days to decide by zone authority and kind."""
    params = filter_params(request)
    event_form = EventFilterForm(request.GET)
    visible = zones_visible_to(request.user)
    filterset = ZoneFilterSet(params, queryset=visible, request=request)
    context = {
        "province": None,
        **filtered_page_context(request, params, filterset, finder_params=params),
        "event_form": event_form,
    }
    choice = context["shown"]
    events_valid = event_form.is_valid()
    status = 200
    if filterset.is_valid() and choice.error is None and events_valid:
        context["active_filters"] = filterset.active_filters()
        context["page"] = build_national(
            zones=filterset.qs,
            visible_zones=visible,
            zones_filtered=bool(context["active_filters"]),
            levels=event_form.cleaned_data["level"],
            effects=event_form.cleaned_data["effect"],
            include_illustrative=choice.include,
            rows_url=context["finder_url"],
        )
    else:
        status = 400
        context["errors"] = (
            illustrative_errors(choice)
            + ([] if filterset.is_valid() else labelled_filter_errors(filterset))
            + [
                (str(event_form.fields[name].label), message)
                for name, messages in event_form.errors.items()
                for message in messages
            ]
        )
    return render(request, "policy/national.html", context, status=status)

"""Template helpers for "announced vs delivered": a zone's section, and the words and numbers
of a promise."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from dashboards import cache as dashboards_cache
from delivery import display as builders
from delivery import page as delivery_page

register = template.Library()


@register.simple_tag
def zone_delivery(zone):
    """A zone's announced targets against what it delivered, with their charts: five
    queries, and none while the rendered section is in the dashboards' cache."""
    version = dashboards_cache.zone_version(zone.pk)
    key = f"dashboards:zone-delivery:{version}:{get_language()}:{zone.pk}"
    return dashboards_cache.cached(key, lambda: (True, _render(zone)))


def _render(zone) -> str:
    today = timezone.localdate()
    section = delivery_page.build_zone(zone, today=today)
    return render_to_string(
        "delivery/_zone_delivery.html", {"zone": zone, "section": section, "today": today}
    )


@register.filter
def percent(share):
    """A share (0.25) as a percentage ("25 %"); a dash when unknown."""
    return builders.percent(share)


@register.filter
def amount(value, metric):
    """A target or delivered figure of ``metric``: US$ amounts in words, counts grouped."""
    return builders.amount(metric, value)


@register.filter
def metric_label(metric):
    return builders.metric_label(metric)


@register.filter
def promise_label(promise):
    return builders.promise_label(promise)


@register.filter
def standing(promise):
    """Where a promise stands, in words."""
    return builders.status_label(promise)


@register.filter
def lateness(promise):
    """A completion promise's days late (or to go), in words."""
    return builders.lateness(promise)

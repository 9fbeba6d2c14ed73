"""Template filters for "announced vs delivered": the words and numbers of a promise."""

from __future__ import annotations

from django import template

from .. import display as builders

register = template.Library()


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


@register.filter
def reported_of(figures, key):
    """The entry of ``figures`` (reported totals by zone id or by metric) under ``key``;
    None when there is none. A lookup only: the page builder read them."""
    return (figures or {}).get(key)

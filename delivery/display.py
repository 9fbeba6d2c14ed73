"""How "announced vs delivered" reads: the words for metrics, promises and their standing,
figures in words, the numbers charts and tables carry, and the colours of the metrics.
Shared by the chart builders, the page builder and the template filters. Pure: plain values
in, translated strings and numbers out (in the language active when called)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zones.vocabulary import TargetMetric

from . import rules
from .rules import COMPLETION_DATE, EXPORTS_USD, FIRMS_OPERATING, INVESTMENT_USD, JOBS, Promise

#: Each value metric's colour, the same in every chart.
METRIC_COLOURS = {
    JOBS: "#0b5a3c",
    INVESTMENT_USD: "#1f5f99",
    FIRMS_OPERATING: "#c26a00",
    EXPORTS_USD: "#6a3d9a",
}
#: What was delivered, where a chart draws it apart from what was announced.
DELIVERED_COLOUR = "#0b5a3c"
#: Metrics counted in US dollars (the others count jobs or firms).
MONEY_METRICS = (INVESTMENT_USD, EXPORTS_USD)


# --- Words ---------------------------------------------------------------------------------


def metric_label(metric: str) -> str:
    return str(dict(TargetMetric.choices).get(metric, metric))


def promise_label(promise: Promise) -> str:
    """The metric, or for a completion date the milestone promised."""
    if promise.metric != COMPLETION_DATE:
        return metric_label(promise.metric)
    return _("Completion: %(milestone)s") % {
        "milestone": promise.milestone_title or promise.milestone_code or _("(no milestone named)")
    }


def status_label(promise: Promise) -> str:
    """Where the promise stands, in words."""
    completion = promise.metric == COMPLETION_DATE
    if promise.status == rules.MET:
        return _("Delivered on time") if completion else _("Delivered in full")
    if promise.status == rules.MET_LATE:
        return _("Delivered late")
    if promise.status == rules.MISSED:
        return _("Promised date passed, not delivered")
    if promise.status == rules.PENDING:
        return _("Not delivered yet; promised date still ahead")
    if promise.status == rules.NO_DEADLINE:
        return _("Not delivered in full; no date was promised")
    if completion:
        return _("Cannot tell: the milestone is not recorded")
    return _("Cannot tell: no value was announced")


def lateness(promise: Promise) -> str:
    """A completion promise's days late, early or still to go, in words; a dash otherwise."""
    days = promise.days_late
    if days is None:
        return "—"
    if days > 0:
        return ngettext("%(days)s day late", "%(days)s days late", days) % {"days": days}
    if promise.delivered_on is None:
        return ngettext("due in %(days)s day", "due in %(days)s days", -days) % {"days": -days}
    return _("on time")


def completion_status_labels() -> dict[str, str]:
    return {
        rules.MET: _("Delivered on time"),
        rules.MET_LATE: _("Delivered late"),
        rules.MISSED: _("Promised date passed, not delivered"),
        rules.PENDING: _("Not delivered yet; promised date still ahead"),
        rules.NO_DEADLINE: _("Not delivered; no date was promised"),
        rules.UNKNOWN: _("Cannot tell: the milestone is not recorded"),
    }


# --- Numbers -------------------------------------------------------------------------------


def amount(metric: str, value: Decimal | float | int | None) -> str:
    """A target or delivered figure in words: US$ amounts rounded, counts grouped."""
    if value is None:
        return "—"
    if metric in MONEY_METRICS:
        return "US$ " + str(intcomma(intword(int(value))))
    return formats.number_format(int(value), use_l10n=True, force_grouping=True)


def short_amount(metric: str, value: Decimal | float | int | None) -> str:
    """A figure short enough for a bar label: US$ 2.1 bn, US$ 239 m, 1,645."""
    if value is None:
        return ""
    if metric not in MONEY_METRICS:
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    value = float(value)
    if value >= 1e9:
        return _("US$ %(amount)s bn") % {"amount": formats.number_format(round(value / 1e9, 1), 1)}
    if value >= 1e6:
        return _("US$ %(amount)s m") % {"amount": formats.number_format(round(value / 1e6), 0)}
    return "US$ " + formats.number_format(int(value), use_l10n=True, force_grouping=True)


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    digits = 1 if share < 0.1 else 0
    return formats.number_format(round(share * 100, digits), digits, use_l10n=True) + " %"


def years(days: int) -> float:
    return round(days / 365.25, 1)


def plain_number(value: Decimal | int | None) -> float | int | None:
    """A figure for a trace or a table: a whole number as an int, else a float."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def share_percent(share: float | None, digits: int = 2) -> float | None:
    """A share (0.25) as a percentage (25.0) rounded to ``digits``, for traces and tables."""
    return None if share is None else round(share * 100, digits)


def iso_date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def delivered_text(promise: Promise) -> str:
    """What a promise delivered, in words, saying so when no firm reports the figure."""
    text = amount(promise.metric, promise.delivered)
    if promise.reported == 0:
        text += " (" + _("no firm reports this figure") + ")"
    return text

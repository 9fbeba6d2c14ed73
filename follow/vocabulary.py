"""The e-mail alerts' enumerations and periods (pure)."""

from __future__ import annotations

import datetime

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class AlertFrequency(TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


#: How long a digest's period lasts: at most one e-mail per address per period.
PERIODS = {
    AlertFrequency.DAILY: datetime.timedelta(days=1),
    AlertFrequency.WEEKLY: datetime.timedelta(days=7),
}

#: A digest run may start a little early (beat's clock, a slow previous run).
PERIOD_SLACK = datetime.timedelta(hours=1)

#: The finder parameters an alert keeps (not the page or the sort).
DROPPED_PARAMETERS = ("page", "sort", "csrfmiddlewaretoken")

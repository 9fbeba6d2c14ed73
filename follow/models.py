"""E-mail alerts: an address that asked (and confirmed) to hear about changes to a saved search.

Nothing is stored before the address confirms: the confirmation link carries the request
signed. The address serves only for these digests, is shown to no one, and its owner deletes
it with the unsubscribe link of any digest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zones.models import Zone

from .vocabulary import AlertFrequency


class AlertSubscription(models.Model):
    """A confirmed e-mail alert on a finder view (``query``) or on one zone (``zone``)."""

    email = models.EmailField(_("e-mail address"))
    query = models.CharField(
        _("finder parameters"),
        max_length=2000,
        blank=True,
        help_text=_("The finder's querystring the alert follows (empty: every zone)."),
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=AlertFrequency.choices)
    language = models.CharField(_("language"), max_length=10)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "query", "zone", "frequency"],
                nulls_distinct=False,
                name="alert_unique_per_address_and_search",
            )
        ]
        indexes = [models.Index(fields=["frequency", "email"], name="alert_frequency_email")]

    def __str__(self) -> str:
        return f"alert #{self.pk}"


class SavedSearch(models.Model):
    """A signed-in user's named finder view, kept to reopen and to share as a link."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("finder parameters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="saved_search_unique_name_per_owner",
                violation_error_message=_("You already have a saved search of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

"""The policy vocabulary (DOMAIN.md, version 3): levels, effects, application kinds and
decisions, and the rules on them, written once. Pure: no database, no models.

- an event **applies** to a zone when it names the zone, or names none and is federal, or
  names none and is of the zone's province (``policy.rules.applies_to``);
- an effect on an **incentive** (granted, changed, withdrawn) moves the list of incentives a
  new enterprise gets (``INCENTIVE_EFFECTS``); the other effects only enter the timeline;
- an application is **decided** when approved or rejected (``DECIDED``): the one-window
  clock's median counts these; a withdrawn application counts nowhere; a **pending** one
  has no decision date, every other decision has one, on or after the application.
"""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class PolicyLevel(TextChoices):
    FEDERAL = "federal", _("Federal")
    PROVINCIAL = "provincial", _("Provincial")


class PolicyEffect(TextChoices):
    INCENTIVE_GRANTED = "incentive_granted", _("Incentive granted")
    INCENTIVE_CHANGED = "incentive_changed", _("Incentive changed")
    INCENTIVE_WITHDRAWN = "incentive_withdrawn", _("Incentive withdrawn")
    PROCEDURE_CHANGED = "procedure_changed", _("Procedure changed")
    TARIFF_CHANGED = "tariff_changed", _("Tariff changed")


#: The effects that move the incentives a new enterprise gets.
INCENTIVE_EFFECTS: tuple[str, ...] = (
    PolicyEffect.INCENTIVE_GRANTED,
    PolicyEffect.INCENTIVE_CHANGED,
    PolicyEffect.INCENTIVE_WITHDRAWN,
)


class ApplicationKind(TextChoices):
    ENTERPRISE_STATUS = "enterprise_status", _("Zone enterprise status")
    ALLOTMENT = "allotment", _("Plot allotment")
    NOC = "noc", _("No-objection certificate")


class Decision(TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Decided applications: the clock's median is taken over these.
DECIDED: tuple[str, ...] = (Decision.APPROVED, Decision.REJECTED)

#: The kind whose median ``approval_days_max`` filters zones by.
FILTERED_KIND = ApplicationKind.ENTERPRISE_STATUS

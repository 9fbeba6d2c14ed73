"""Receivers that keep readiness scores current: an edit to any input flags its zone.

They only call :func:`readiness.services.readiness_mark_stale`; the work happens in a task
after the edit commits. Bulk writes that bypass signals (``QuerySet.update``,
``bulk_create``) must call that service themselves, or send a signal this module listens
to (the nightly recount of allotted acres sends ``zones.events.allotments_corrected``).

:func:`connect` is called once, by the app's ``ready()``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save

from investors.models import Firm
from zones.events import allotments_corrected
from zones.models import LandDispute, Milestone, UtilityConnection, Zone

from . import services

INPUT_MODELS = (UtilityConnection, LandDispute, Milestone, Firm)

# Zone fields the score reads or stores; other single-field saves leave the score alone.
ZONE_SCORE_FIELDS = frozenset(
    {"area_acres", "readiness_score", "readiness_computed_at", "readiness_stale"}
)


def remember_zone(sender, instance, **kwargs):
    """Keep the zone a record was loaded with, so moving it flags the zone it left too."""
    if "zone_id" in instance.__dict__:
        instance._readiness_zone_id = instance.zone_id


def input_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    services.readiness_mark_stale(
        zone_ids=(instance.zone_id, getattr(instance, "_readiness_zone_id", None))
    )
    instance._readiness_zone_id = instance.zone_id


def input_deleted(sender, instance, **kwargs):
    services.readiness_mark_stale(
        zone_ids=(instance.zone_id, getattr(instance, "_readiness_zone_id", None))
    )


def zone_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A zone's area is an input, and a full save writes back the score it was loaded with."""
    if raw or (update_fields is not None and not ZONE_SCORE_FIELDS.intersection(update_fields)):
        return
    services.readiness_mark_stale(zone_ids=[instance.pk])


def allotments_recounted(sender, zone_ids, **kwargs):
    """The nightly recount corrected these zones' allotted acres (an occupancy input)."""
    services.readiness_mark_stale(zone_ids=zone_ids)


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch uid)."""
    for model in INPUT_MODELS:
        name = model.__name__
        post_init.connect(remember_zone, sender=model, dispatch_uid=f"readiness-init-{name}")
        post_save.connect(input_saved, sender=model, dispatch_uid=f"readiness-save-{name}")
        post_delete.connect(input_deleted, sender=model, dispatch_uid=f"readiness-delete-{name}")
    post_save.connect(zone_saved, sender=Zone, dispatch_uid="readiness-zone-save")
    allotments_corrected.connect(allotments_recounted, dispatch_uid="readiness-allotments")

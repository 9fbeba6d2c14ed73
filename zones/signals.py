"""Receivers that keep readiness scores current: an edit to any input flags its zone.

They only call :func:`zones.services.readiness_mark_stale`; the work happens in a task
after the edit commits. Bulk writes that bypass signals (``QuerySet.update``,
``bulk_create``) must call that service themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from investors.models import Firm

from . import services
from .models import LandDispute, Milestone, UtilityConnection, Zone

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


for model in INPUT_MODELS:
    post_init.connect(remember_zone, sender=model, dispatch_uid=f"readiness-init-{model.__name__}")
    post_save.connect(input_saved, sender=model, dispatch_uid=f"readiness-save-{model.__name__}")
    post_delete.connect(
        input_deleted, sender=model, dispatch_uid=f"readiness-delete-{model.__name__}"
    )


@receiver(post_save, sender=Zone, dispatch_uid="readiness-zone-save")
def zone_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A zone's area is an input, and a full save writes back the score it was loaded with."""
    if raw or (update_fields is not None and not ZONE_SCORE_FIELDS.intersection(update_fields)):
        return
    services.readiness_mark_stale(zone_ids=[instance.pk])

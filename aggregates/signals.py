"""Receivers that keep the aggregate tables current: a write to any record a tally sums
flags its zone (and the zone it left, when a record moves). They only call
:func:`aggregates.services.aggregates_mark_stale`; the work happens after the commit.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``, SQL) are caught by
the nightly rebuild, which logs them as drift; code that makes them on purpose should call
the service itself, or send an event: the readiness recompute writes its snapshots in bulk
and sends ``readiness.events.readiness_recomputed`` (``zone_ids``) after its commit, which
flags those zones. :func:`connect` is called once, by the app's ``ready()``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save, pre_delete

from readiness.events import readiness_recomputed
from zones.models import Zone

from . import services
from .tallies import record_models


def remember_zone(sender, instance, **kwargs):
    """Keep the zone a record was loaded with, so moving it flags the zone it left too."""
    if "zone_id" in instance.__dict__:
        instance._aggregates_zone_id = instance.zone_id


def record_written(sender, instance, raw=False, **kwargs):
    if raw:
        return
    services.aggregates_mark_stale(
        zone_ids=(instance.zone_id, getattr(instance, "_aggregates_zone_id", None))
    )
    instance._aggregates_zone_id = instance.zone_id


def record_deleted(sender, instance, **kwargs):
    services.aggregates_mark_stale(
        zone_ids=(instance.zone_id, getattr(instance, "_aggregates_zone_id", None))
    )


def zone_saved(sender, instance, raw=False, **kwargs):
    """Tally rows keep their zone's province and flags (their rollup's keys): a zone saved,
    perhaps moved, published or unpublished, has its rows written again."""
    if not raw:
        services.aggregates_mark_stale(zone_ids=[instance.pk])


def zone_deleting(sender, instance, **kwargs):
    """A zone's rows go with it: take them out of the rollups first."""
    services.aggregates_forget_zone(zone_id=instance.pk)


def scores_recomputed(sender, zone_ids, **kwargs):
    """A readiness recompute committed snapshots for ``zone_ids``, in bulk."""
    services.aggregates_mark_stale(zone_ids=zone_ids)


def connect() -> None:
    """Connect the receivers for every record model a tally sums (idempotent)."""
    for model in record_models():
        label = model._meta.label
        post_init.connect(remember_zone, sender=model, dispatch_uid=f"aggregates-init-{label}")
        post_save.connect(record_written, sender=model, dispatch_uid=f"aggregates-save-{label}")
        post_delete.connect(record_deleted, sender=model, dispatch_uid=f"aggregates-del-{label}")
    post_save.connect(zone_saved, sender=Zone, dispatch_uid="aggregates-zone-save")
    pre_delete.connect(zone_deleting, sender=Zone, dispatch_uid="aggregates-zone-delete")
    readiness_recomputed.connect(scores_recomputed, dispatch_uid="aggregates-recomputed")

from django.core.management.base import BaseCommand, CommandError

from readiness import services
from zones.models import Zone


class Command(BaseCommand):
    help = (
        "Recompute readiness scores: every zone, or the zones named with --zone. "
        "With --sync the work runs here and a summary is printed; otherwise it is queued."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--zone",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="a zone's slug (repeat for several); default: every zone",
        )
        parser.add_argument(
            "--sync", action="store_true", help="compute in this process and print a summary"
        )

    def handle(self, *args, slugs=None, sync=False, **options):
        zone_ids = None
        if slugs:
            found = dict(Zone.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            unknown = sorted(set(slugs) - set(found))
            if unknown:
                raise CommandError(f"Unknown zone slug(s): {', '.join(unknown)}")
            zone_ids = sorted(found.values())
        scope = f"{len(zone_ids)} zone(s)" if zone_ids else "every zone"

        if not sync:
            task_id = services.readiness_enqueue(zone_ids=zone_ids)
            if task_id is None:
                raise CommandError(
                    "Could not reach the Celery broker; nothing was queued. "
                    "Use --sync to compute in this process."
                )
            self.stdout.write(f"Queued a readiness recompute of {scope} (task {task_id}).")
            return

        summary = services.readiness_recompute(zone_ids=zone_ids)
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {summary.recomputed} zone(s) with scoring profile version "
                f"{summary.profile_version} in {summary.seconds:.2f} s: "
                f"{summary.snapshots_written} new snapshot(s), {summary.unchanged} unchanged."
            )
        )
        if summary.skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"Skipped {len(summary.skipped)} zone(s) being edited right now; "
                    "their edits queue their own recompute."
                )
            )

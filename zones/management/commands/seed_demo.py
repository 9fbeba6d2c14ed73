from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_BUNDLE = Path(settings.BASE_DIR) / "demo_data"


class Command(BaseCommand):
    help = (
        "Load the demo bundle (researched zones with their sources, plus illustrative "
        "records marked as such) through the ordinary importer. Safe to run twice."
    )

    def handle(self, *args, **options):
        call_command("import_zones", str(DEMO_BUNDLE), stdout=self.stdout, stderr=self.stderr)

"""manage.py build_data_package: build today's open data package now (as the nightly task
does) and prune the packages past their keeping days."""

from django.core.management.base import BaseCommand

from follow import services


class Command(BaseCommand):
    help = "Build today's open data package (served at /data/) and prune old ones."

    def handle(self, *args, **options):
        package = services.data_package_build()
        deleted = services.data_packages_prune()
        self.stdout.write(f"Built {package.name} ({package.size} bytes).")
        for name in deleted:
            self.stdout.write(f"Deleted {name} (older than the days kept).")

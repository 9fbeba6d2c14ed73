"""Seed the seven ISO 3166-2:PK provinces and territories and the contract's sector slugs."""

from django.db import migrations

from zones.reference_data import PROVINCES, SECTORS


def seed(apps, schema_editor):
    Province = apps.get_model("zones", "Province")
    Sector = apps.get_model("zones", "Sector")
    for code, name in PROVINCES:
        Province.objects.update_or_create(code=code, defaults={"name": name})
    for slug, name in SECTORS:
        Sector.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("zones", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

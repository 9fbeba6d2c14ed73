"""Province rollups of the plot, unbuilt-plot and days-to-connect tallies, filled from the
tally rows already there (afterwards a refresh keeps them, as it keeps the other rollups)."""

import django.db.models.deletion
from django.db import migrations, models


def _fill(rollup: str, tally: str, keys: str, sums: list[str]) -> migrations.RunSQL:
    """The rollup's rows: the tally's rows summed by province, flags and keys."""
    owner = "province_id, zone_published, zone_illustrative, is_illustrative"
    return migrations.RunSQL(
        f"INSERT INTO {rollup} ({owner}{keys}, {', '.join(sums)}) "
        f"SELECT {owner}{keys}, {', '.join(f'sum({c})' for c in sums)} FROM {tally} "
        f"GROUP BY {owner}{keys}",
        reverse_sql=migrations.RunSQL.noop,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('aggregates', '0002_firm_markets'),
        ('zones', '0014_public_real_index'),
    ]

    operations = [
        # The aggregates' turn (``aggregates.services.TURN_LOCK``), alone: no refresh writes
        # the tallies while the new table is filled from them.
        migrations.RunSQL("SELECT pg_advisory_xact_lock(1634166642)", migrations.RunSQL.noop),
        migrations.CreateModel(
            name='ProvinceConnectionDaysTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_published', models.BooleanField()),
                ('zone_illustrative', models.BooleanField()),
                ('is_illustrative', models.BooleanField()),
                ('kind', models.CharField(choices=[('electricity', 'Electricity'), ('gas', 'Gas'), ('water', 'Water')], max_length=20)),
                ('provider', models.CharField(max_length=200)),
                ('days', models.IntegerField()),
                ('requests', models.IntegerField()),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='zones.province')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('province', 'zone_published', 'zone_illustrative', 'is_illustrative', 'kind', 'provider', 'days'), name='provinceconnectiondaystally_one_row_per_key')],
            },
        ),
        migrations.CreateModel(
            name='ProvincePlotTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_published', models.BooleanField()),
                ('zone_illustrative', models.BooleanField()),
                ('is_illustrative', models.BooleanField()),
                ('plots', models.IntegerField()),
                ('saleable_acres', models.DecimalField(decimal_places=2, max_digits=14)),
                ('available_acres', models.DecimalField(decimal_places=2, max_digits=14)),
                ('allotted_acres', models.DecimalField(decimal_places=2, max_digits=14)),
                ('held_acres', models.DecimalField(decimal_places=2, max_digits=14)),
                ('allotted_plots', models.IntegerField()),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='zones.province')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('province', 'zone_published', 'zone_illustrative', 'is_illustrative'), name='provinceplottally_one_row_per_key')],
            },
        ),
        migrations.CreateModel(
            name='ProvinceUnbuiltPlotTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_published', models.BooleanField()),
                ('zone_illustrative', models.BooleanField()),
                ('is_illustrative', models.BooleanField()),
                ('allotted_on', models.DateField()),
                ('plots', models.IntegerField()),
                ('acres', models.DecimalField(decimal_places=2, max_digits=14)),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='zones.province')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('province', 'zone_published', 'zone_illustrative', 'is_illustrative', 'allotted_on'), name='provinceunbuiltplottally_one_row_per_key')],
            },
        ),
        _fill(
            "aggregates_provinceplottally",
            "aggregates_plottally",
            "",
            [
                "plots",
                "saleable_acres",
                "available_acres",
                "allotted_acres",
                "held_acres",
                "allotted_plots",
            ],
        ),
        _fill(
            "aggregates_provinceunbuiltplottally",
            "aggregates_unbuiltplottally",
            ", allotted_on",
            ["plots", "acres"],
        ),
        _fill(
            "aggregates_provinceconnectiondaystally",
            "aggregates_connectiondaystally",
            ", kind, provider, days",
            ["requests"],
        ),
    ]

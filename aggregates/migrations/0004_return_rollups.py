"""Province rollups of the return and return-market tallies, filled from the tally rows
already there (afterwards a refresh keeps them, as it keeps the other rollups)."""

import django.db.models.deletion
from django.db import migrations, models


#: The return tally's sums that may be null, each kept beside how many zone rows give it.
NULLABLE = (
    "employees_sum", "local", "local_base", "women", "women_base", "trained", "exports",
    "imports", "net",
)  # fmt: skip


class Migration(migrations.Migration):

    dependencies = [
        ('aggregates', '0003_plot_rollups'),
        ('zones', '0014_public_real_index'),
    ]

    operations = [
        # The aggregates' turn (``aggregates.services.TURN_LOCK``), alone: no refresh writes
        # the tallies while the new table is filled from them.
        migrations.RunSQL("SELECT pg_advisory_xact_lock(1634166642)", migrations.RunSQL.noop),
        migrations.CreateModel(
            name='ProvinceReturnMarketTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_published', models.BooleanField()),
                ('zone_illustrative', models.BooleanField()),
                ('is_illustrative', models.BooleanField()),
                ('market', models.CharField(max_length=2)),
                ('first_year', models.PositiveSmallIntegerField()),
                ('zones', models.IntegerField()),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='zones.province')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('province', 'zone_published', 'zone_illustrative', 'is_illustrative', 'market', 'first_year'), name='provincereturnmarkettally_one_row_per_key')],
            },
        ),
        migrations.CreateModel(
            name='ProvinceReturnTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_published', models.BooleanField()),
                ('zone_illustrative', models.BooleanField()),
                ('is_illustrative', models.BooleanField()),
                ('year', models.PositiveSmallIntegerField()),
                ('firms_reporting', models.IntegerField()),
                ('employees_sum', models.BigIntegerField()),
                ('employees_sum_zones', models.IntegerField()),
                ('local', models.BigIntegerField()),
                ('local_zones', models.IntegerField()),
                ('local_base', models.BigIntegerField()),
                ('local_base_zones', models.IntegerField()),
                ('women', models.BigIntegerField()),
                ('women_zones', models.IntegerField()),
                ('women_base', models.BigIntegerField()),
                ('women_base_zones', models.IntegerField()),
                ('trained', models.BigIntegerField()),
                ('trained_zones', models.IntegerField()),
                ('exports', models.DecimalField(decimal_places=2, max_digits=20)),
                ('exports_zones', models.IntegerField()),
                ('imports', models.DecimalField(decimal_places=2, max_digits=20)),
                ('imports_zones', models.IntegerField()),
                ('net', models.DecimalField(decimal_places=2, max_digits=20)),
                ('net_zones', models.IntegerField()),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='zones.province')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('province', 'zone_published', 'zone_illustrative', 'is_illustrative', 'year'), name='provincereturntally_one_row_per_key')],
            },
        ),
        migrations.RunSQL(
            "INSERT INTO aggregates_provincereturntally (province_id, zone_published, "
            "zone_illustrative, is_illustrative, year, firms_reporting, "
            + ", ".join(f"{c}, {c}_zones" for c in NULLABLE)
            + ") SELECT province_id, zone_published, zone_illustrative, is_illustrative, year, "
            "sum(firms_reporting), "
            + ", ".join(f"coalesce(sum({c}), 0), count({c})" for c in NULLABLE)
            + " FROM aggregates_returntally GROUP BY province_id, zone_published, "
            "zone_illustrative, is_illustrative, year",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "INSERT INTO aggregates_provincereturnmarkettally (province_id, zone_published, "
            "zone_illustrative, is_illustrative, market, first_year, zones) "
            "SELECT province_id, zone_published, zone_illustrative, is_illustrative, market, "
            "first_year, count(*) FROM aggregates_returnmarkettally GROUP BY province_id, "
            "zone_published, zone_illustrative, is_illustrative, market, first_year",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]

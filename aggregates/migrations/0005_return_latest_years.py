"""Each return tally row says its zone's latest year (of all its returns, and of its real
ones), filled from the rows already there, so that a page finds each zone's latest figures
without ranking every zone's years."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aggregates", "0004_return_rollups"),
    ]

    operations = [
        # The aggregates' turn (``aggregates.services.TURN_LOCK``), alone: no refresh writes
        # the tallies while the new table is filled from them.
        migrations.RunSQL("SELECT pg_advisory_xact_lock(1634166642)", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="returntally",
            name="zone_latest_year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="returntally",
            name="zone_latest_real_year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunSQL(
            "UPDATE aggregates_returntally AS t "
            "SET zone_latest_year = z.latest, zone_latest_real_year = z.latest_real "
            "FROM (SELECT zone_id, max(year) AS latest, "
            "max(year) FILTER (WHERE NOT is_illustrative) AS latest_real "
            "FROM aggregates_returntally GROUP BY zone_id) AS z WHERE z.zone_id = t.zone_id",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="returntally",
            name="zone_latest_year",
            field=models.PositiveSmallIntegerField(),
        ),
    ]

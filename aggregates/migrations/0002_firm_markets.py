# The view behind FirmMarket (an unmanaged model): written by hand.
from django.db import migrations

# One row per firm and market its export markets list (each market once): the first year
# the firm's annual returns listed the market (real returns only, and any return), and its
# allotment year, the stand-in where no return lists it. PostgreSQL refuses to change the
# type of a column a view reads: a migration that alters one of these firm or return columns
# drops the view first and creates it again after.
FIRM_MARKET_VIEW = """
CREATE VIEW aggregates_firm_market AS
SELECT f.id AS firm_id, f.zone_id, f.is_illustrative, f.status, m.market, f.exports_usd,
       extract(year FROM f.allotted_on)::int AS allotted_year,
       (SELECT min(r.year) FROM investors_annualreturn AS r
        WHERE r.firm_id = f.id AND m.market = ANY(r.export_markets) AND NOT r.is_illustrative
       )::int AS returned_year,
       (SELECT min(r.year) FROM investors_annualreturn AS r
        WHERE r.firm_id = f.id AND m.market = ANY(r.export_markets)
       )::int AS returned_year_with_illustrative
FROM investors_firm AS f
CROSS JOIN LATERAL (SELECT DISTINCT unnest(f.export_markets)) AS m(market)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("aggregates", "0001_tally_tables"),
        ("investors", "0004_annual_returns"),
    ]

    operations = [
        migrations.RunSQL(FIRM_MARKET_VIEW, "DROP VIEW aggregates_firm_market"),
    ]

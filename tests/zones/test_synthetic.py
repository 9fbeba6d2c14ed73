"""generate_synthetic: a realistic synthetic country, loaded in bulk, never next to real data."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, Sum

from investors.models import Firm
from readiness import services
from tests.factories import ZoneFactory
from zones.models import LandDispute, Milestone, UtilityConnection, Zone

pytestmark = pytest.mark.django_db


def per_zone_range(model) -> tuple[int, int]:
    counts = (
        model.objects.values("zone").annotate(n=Count("pk")).aggregate(low=Min("n"), high=Max("n"))
    )
    empty = Zone.objects.exclude(pk__in=model.objects.values("zone")).exists()
    return (0 if empty else counts["low"], counts["high"])


def fingerprint() -> dict:
    return {
        "zones": list(Zone.objects.order_by("slug").values_list("slug", "area_acres", "status")),
        "firm acres": Firm.objects.aggregate(total=Sum("allotted_acres"))["total"],
        "milestones": list(
            Milestone.objects.order_by("zone__slug", "code").values_list("status", "weight")
        ),
        "utilities": UtilityConnection.objects.count(),
        "disputes": LandDispute.objects.count(),
    }


def test_it_builds_zones_with_realistic_numbers_of_records(capsys):
    call_command("generate_synthetic", "--zones", "12", "--seed", "3")

    assert Zone.objects.count() == Zone.objects.filter(is_synthetic=True).count() == 12
    low, high = per_zone_range(UtilityConnection)
    assert 4 <= low <= high <= 7
    low, high = per_zone_range(LandDispute)
    assert 0 <= low <= high <= 3
    low, high = per_zone_range(Milestone)
    assert 8 <= low <= high <= 15
    low, high = per_zone_range(Firm)
    assert 20 <= low <= high <= 200
    assert not Zone.objects.filter(sectors=None).exists()
    assert f"{Firm.objects.count():,} firms" in capsys.readouterr().out


def test_the_synthetic_country_can_be_scored():
    call_command("generate_synthetic", "--zones", "6")

    summary = services.readiness_recompute()

    assert summary.recomputed == summary.snapshots_written == 6
    assert not Zone.objects.filter(readiness_score=None).exists()
    assert len(set(Zone.objects.values_list("readiness_score", flat=True))) > 1


def test_the_same_seed_gives_the_same_country_and_another_seed_another():
    call_command("generate_synthetic", "--zones", "4", "--seed", "11")
    first = fingerprint()

    call_command("generate_synthetic", "--zones", "4", "--seed", "11", "--replace")
    again = fingerprint()
    call_command("generate_synthetic", "--zones", "4", "--seed", "12", "--replace")

    assert again == first
    assert fingerprint() != first
    assert Zone.objects.count() == 4


def test_it_refuses_a_database_with_real_zones():
    real = ZoneFactory()

    with pytest.raises(CommandError, match="holds 1 real"):
        call_command("generate_synthetic", "--zones", "2")

    assert list(Zone.objects.all()) == [real]


def test_it_adds_to_real_zones_only_when_told_to():
    real = ZoneFactory()

    call_command("generate_synthetic", "--zones", "2", "--allow-real-zones")

    assert Zone.objects.filter(is_synthetic=True).count() == 2
    assert Zone.objects.filter(pk=real.pk, is_synthetic=False).exists()


def test_replacing_a_synthetic_country_leaves_real_zones_and_their_records_alone():
    real = ZoneFactory()
    call_command("generate_synthetic", "--zones", "2", "--allow-real-zones")
    services.readiness_recompute()

    call_command("generate_synthetic", "--zones", "3", "--allow-real-zones", "--replace")

    assert Zone.objects.filter(is_synthetic=True).count() == 3
    assert real.readiness_snapshots.count() == 1
    # Foreign keys are checked only at commit: look for rows left pointing nowhere.
    for model in (Firm, Milestone, UtilityConnection, LandDispute):
        assert not model.objects.exclude(zone__in=Zone.objects.all()).exists()
    assert not Zone.sectors.through.objects.exclude(zone__in=Zone.objects.all()).exists()


def test_it_refuses_to_add_a_second_synthetic_country_without_replace():
    call_command("generate_synthetic", "--zones", "2")

    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_synthetic", "--zones", "2")


def test_it_builds_plots_requests_and_outages_that_agree_with_the_firms():
    from django.db.models import Q

    from zones.models import OutageReport, Plot, UtilityRequest

    call_command("generate_synthetic", "--zones", "6", "--seed", "5")

    low, high = per_zone_range(Plot)
    assert 14 <= low <= high <= 26
    assert UtilityRequest.objects.exists()
    months = OutageReport.objects.values("zone", "kind", "reported_by").annotate(n=Count("pk"))
    assert {row["n"] for row in months} == {24}
    # the plots are the source of truth: every firm's acres is the sum of its allotted plots
    held = Firm.objects.annotate(
        plot_acres=Sum("plots__acres", filter=Q(plots__status="allotted"), default=0)
    )
    assert not held.exclude(allotted_acres=None).exclude(allotted_acres=F("plot_acres")).exists()


def test_operating_firms_file_up_to_five_years_of_returns_and_carry_the_latest():
    from django.utils import timezone

    from investors.models import AnnualReturn

    call_command("generate_synthetic", "--zones", "4", "--seed", "7")

    last = timezone.localdate().year - 1
    operating = Firm.objects.filter(status="operating")
    assert operating.exists()
    per_firm = AnnualReturn.objects.values("firm").annotate(
        n=Count("pk"), first=Min("year"), latest=Max("year")
    )
    assert {row["latest"] for row in per_firm} == {last}
    assert max(row["n"] for row in per_firm) == 5
    assert min(row["first"] for row in per_firm) == last - 4
    assert not AnnualReturn.objects.exclude(firm__status="operating").exists()
    assert not AnnualReturn.objects.filter(is_illustrative=False).exists()
    # Each firm's current figures are those of its latest return.
    for annual_return in AnnualReturn.objects.filter(year=last).select_related("firm")[:50]:
        firm = annual_return.firm
        assert firm.jobs_actual == annual_return.employees
        assert firm.exports_usd == annual_return.exports_usd
        assert firm.export_markets == annual_return.export_markets

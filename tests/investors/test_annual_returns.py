"""Annual returns: the database refuses every rule of DOMAIN.md (version 3) whatever writes,
a firm's current jobs, exports and markets follow its latest return, and the set-based
selector matches the pure reference and hand calculations in a fixed number of queries."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from investors import return_rules, return_selectors
from investors.models import AnnualReturn, Firm
from investors.return_rules import ReturnRecord
from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def _refused(pk, **values):
    """A bare UPDATE (no model validation): the database itself must refuse."""
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        AnnualReturn.objects.filter(pk=pk).update(**values)


def test_database_refuses_each_rule():
    record = AnnualReturnFactory(employees=10)
    _refused(record.pk, employees_local=11)
    _refused(record.pk, employees_women=11)
    _refused(record.pk, employees_trained=11)
    _refused(record.pk, employees=-1)
    _refused(record.pk, exports_usd=Decimal("-1"))
    _refused(record.pk, imports_usd=Decimal("-0.01"))
    _refused(record.pk, local_inputs_share=Decimal("1.0001"))
    _refused(record.pk, local_inputs_share=Decimal("-0.1"))
    _refused(record.pk, export_markets=["CN", "XX"])
    _refused(record.pk, year=timezone.localdate().year + 1)
    _refused(record.pk, year=1989)
    other_zone = ZoneFactory()
    _refused(record.pk, zone_id=other_zone.pk)  # the firm's zone, not another
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReturnFactory(firm=record.firm, year=record.year)  # one per firm and year
    # What the rules allow is stored.
    AnnualReturn.objects.filter(pk=record.pk).update(
        employees_local=10, local_inputs_share=Decimal("1"), export_markets=["CN", "AE"]
    )


def test_model_validation_names_the_field():
    firm = FirmFactory()
    other = FirmFactory()
    record = AnnualReturn(
        zone=other.zone,
        firm=firm,
        year=timezone.localdate().year + 1,
        employees=5,
        employees_women=6,
        export_markets=["CN", "QQ"],
    )
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    errors = caught.value.message_dict
    assert "still to come" in errors["year"][0]
    assert "QQ" in errors["export_markets"][0]
    assert "another zone" in errors["firm"][0]
    assert "Women employees cannot exceed employees." in errors["__all__"]


def test_a_firm_moving_zone_takes_its_returns_along():
    record = AnnualReturnFactory()
    new_zone = ZoneFactory()
    Firm.objects.filter(pk=record.firm_id).update(zone=new_zone)
    record.refresh_from_db()
    assert record.zone_id == new_zone.pk


def test_firm_figures_follow_its_latest_return():
    firm = FirmFactory(jobs_actual=7, exports_usd=Decimal("1"), export_markets=["US"])
    AnnualReturnFactory(
        firm=firm, year=2022, employees=40, exports_usd=Decimal("900"), export_markets=["CN"]
    )
    older = AnnualReturnFactory(firm=firm, year=2020, employees=10)
    firm.refresh_from_db()
    assert (firm.jobs_actual, firm.exports_usd, firm.export_markets) == (40, 900, ["CN"])
    # An edit of the firm cannot contradict its latest return.
    firm.jobs_actual = 999
    firm.save()
    firm.refresh_from_db()
    assert firm.jobs_actual == 40
    # A newer return replaces the figures; deleting it brings back the one before.
    newest = AnnualReturnFactory(
        firm=firm, year=2024, employees=55, exports_usd=None, export_markets=["CN", "AE"]
    )
    firm.refresh_from_db()
    assert (firm.jobs_actual, firm.exports_usd, firm.export_markets) == (55, None, ["CN", "AE"])
    newest.delete()
    firm.refresh_from_db()
    assert firm.jobs_actual == 40
    AnnualReturn.objects.filter(firm=firm).exclude(pk=older.pk).delete()
    firm.refresh_from_db()
    assert firm.jobs_actual == 10


def test_a_firm_without_returns_keeps_its_own_figures():
    firm = FirmFactory(jobs_actual=7)
    firm.jobs_actual = 8
    firm.save()
    firm.refresh_from_db()
    assert firm.jobs_actual == 8


def _record(r: AnnualReturn) -> ReturnRecord:
    return ReturnRecord(
        r.year, r.employees, r.employees_local, r.employees_women, r.employees_trained,
        r.exports_usd, r.imports_usd, tuple(r.export_markets),
    )  # fmt: skip


def test_selector_by_hand():
    zone = ZoneFactory()
    a, b = FirmFactory(zone=zone), FirmFactory(zone=zone)
    usd = Decimal
    AnnualReturnFactory(
        firm=a, year=2023, employees=100, employees_local=70, exports_usd=usd(500),
        imports_usd=usd(120), export_markets=["CN"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=b, year=2023, employees=20, employees_women=5, exports_usd=usd(80),
        export_markets=["AE", "CN"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=a, year=2024, employees=0, employees_local=0, export_markets=["CN", "GB"]
    )
    AnnualReturnFactory(firm=b, year=2024, employees=30, is_illustrative=True)
    figures = return_selectors.returns_by_zone([zone.pk])[zone.pk]
    # 2023: 120 employees; local 70/100; women 5/20; exports 580; imports 120 (a only);
    # net 500 - 120 = 380; AE and CN new. 2024 (b's illustrative return left out): 0
    # employees, local share null (Σ employees 0); GB new.
    assert figures[2023].employees == 120
    assert figures[2023].local_share == Decimal("0.7000")
    assert figures[2023].women_share == Decimal("0.2500")
    assert figures[2023].exports_usd == Decimal(580)
    assert figures[2023].imports_usd == Decimal(120)
    assert figures[2023].net_foreign_exchange_usd == Decimal(380)
    assert figures[2023].new_markets == ("AE", "CN")
    assert figures[2024].firms_reporting == 1
    assert figures[2024].employees == 0
    assert figures[2024].local_share is None
    assert figures[2024].new_markets == ("GB",)
    with_demo = return_selectors.returns_by_zone([zone.pk], include_illustrative=True)[zone.pk]
    assert with_demo[2024].employees == 30
    assert with_demo[2024].firms_reporting == 2


def test_selector_matches_the_reference_in_two_queries(django_assert_num_queries):
    rng = random.Random(23)
    zones = [ZoneFactory() for _ in range(3)]
    for zone in zones:
        for _f in range(3):
            firm = FirmFactory(zone=zone)
            for year in rng.sample(range(2019, 2025), 3):
                employees = rng.choice([None, rng.randint(0, 500)])
                part = (
                    (lambda: None)
                    if employees is None
                    else (lambda e=employees: rng.choice([None, rng.randint(0, e)]))
                )
                AnnualReturnFactory(
                    firm=firm,
                    year=year,
                    employees=employees,
                    employees_local=part(),
                    employees_women=part(),
                    employees_trained=part(),
                    exports_usd=rng.choice([None, Decimal(rng.randint(0, 10**6))]),
                    imports_usd=rng.choice([None, Decimal(rng.randint(0, 10**6))]),
                    export_markets=rng.sample(["CN", "AE", "GB", "SA", "DE"], rng.randint(0, 3)),
                )
    ids = [zone.pk for zone in zones] + [ZoneFactory().pk]
    with django_assert_num_queries(2):
        figures = return_selectors.returns_by_zone(ids)
    for zone in zones:
        records = [_record(r) for r in AnnualReturn.objects.filter(zone=zone)]
        assert figures[zone.pk] == return_rules.yearly_figures(records)
    assert figures[ids[-1]] == {}


def test_a_return_and_its_changes_are_in_the_zones_history():
    from zones.history import zone_history

    record = AnnualReturnFactory(employees=10)
    record.employees = 12
    record.save()
    entries = [
        e for e in zone_history(zone=record.zone, internal=True) if e.record_type == "annual return"
    ]
    assert [(e.action, e.record) for e in entries] == [("changed", "2024"), ("created", "2024")]
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [("employees", "10", "12")]


def test_the_admin_shows_a_firms_figures_from_its_returns_without_editing_them(admin_client):
    from django.urls import reverse

    with_returns = AnnualReturnFactory(employees=42).firm
    without = FirmFactory()
    page = admin_client.get(reverse("admin:investors_firm_change", args=[with_returns.pk]))
    form = page.context["adminform"].form
    assert "jobs_actual" not in form.fields and "exports_usd" not in form.fields
    assert "42" in page.content.decode()
    page = admin_client.get(reverse("admin:investors_firm_change", args=[without.pk]))
    assert "jobs_actual" in page.context["adminform"].form.fields
    # And the returns' own admin pages open.
    listing = admin_client.get(reverse("admin:investors_annualreturn_changelist"))
    assert listing.status_code == 200
    change = reverse(
        "admin:investors_annualreturn_change", args=[with_returns.annual_returns.get().pk]
    )
    assert admin_client.get(change).status_code == 200

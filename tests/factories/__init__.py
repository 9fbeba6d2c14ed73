"""factory_boy factories for the domain models. Provinces and sectors are get-or-create,
so tests work both with the migrated reference data and after a transactional flush."""

import datetime
from decimal import Decimal

import factory

from investors.models import AnnualReturn, Firm
from policy.models import Application, PolicyEvent
from policy.vocabulary import ApplicationKind, Decision, PolicyEffect, PolicyLevel
from zones.models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    Province,
    Sector,
    Target,
    UtilityConnection,
    UtilityRequest,
    Zone,
)
from zones.reference_data import PROVINCES, SECTORS
from zones.vocabulary import (
    DisputeStatus,
    FirmStatus,
    LandUse,
    MilestoneStatus,
    Ownership,
    PlotStatus,
    Reporter,
    RequestKind,
    RequestStatus,
    ResponsibleLevel,
    TargetMetric,
    Tenure,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
)

PROVINCE_NAMES = dict(PROVINCES)
SECTOR_NAMES = dict(SECTORS)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "PK-PB"
    name = factory.LazyAttribute(lambda o: PROVINCE_NAMES.get(o.code, o.code))


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = "textiles"
    name = factory.LazyAttribute(lambda o: SECTOR_NAMES.get(o.slug, o.slug))


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Zone {n}")
    slug = factory.Sequence(lambda n: f"test-zone-{n}")
    province = factory.SubFactory(ProvinceFactory)
    district = "Faisalabad"
    latitude = Decimal("31.4180")
    longitude = Decimal("73.0790")
    area_acres = Decimal("1000")
    developer = "Test Development Company"
    status = ZoneStatus.UNDER_DEVELOPMENT
    published = True

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(
                [SectorFactory(slug=s) if isinstance(s, str) else s for s in extracted]
            )


class UtilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UtilityConnection

    zone = factory.SubFactory(ZoneFactory)
    kind = UtilityKind.ELECTRICITY
    status = UtilityStatus.PLANNED


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandDispute

    zone = factory.SubFactory(ZoneFactory)
    reference = factory.Sequence(lambda n: f"dispute-{n}")
    affected_acres = Decimal("50")
    status = DisputeStatus.OPEN
    opened_on = datetime.date(2020, 1, 1)
    parties = "Landowners v. development company"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    zone = factory.SubFactory(ZoneFactory)
    code = factory.Sequence(lambda n: f"milestone-{n}")
    title = factory.Sequence(lambda n: f"Milestone {n}")
    weight = Decimal("1")
    responsible = ResponsibleLevel.PROVINCIAL
    status = MilestoneStatus.NOT_STARTED
    baseline_date = datetime.date(2022, 1, 1)
    planned_date = datetime.date(2023, 1, 1)


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"Firm {n}")
    sector = factory.SubFactory(SectorFactory)
    origin_country = "PK"
    ownership = Ownership.DOMESTIC
    status = FirmStatus.OPERATING
    allotted_acres = Decimal("10")
    allotted_on = datetime.date(2022, 6, 1)
    jobs_planned = 200
    jobs_actual = 150


class AnnualReturnFactory(factory.django.DjangoModelFactory):
    """A firm's return for 2024 giving only its employees; its zone is the firm's."""

    class Meta:
        model = AnnualReturn

    firm = factory.SubFactory(FirmFactory)
    zone = factory.SelfAttribute("firm.zone")
    year = 2024
    employees = 100


class PlotFactory(factory.django.DjangoModelFactory):
    """An available industrial plot on lease; give ``firm`` and dates for a held one."""

    class Meta:
        model = Plot

    zone = factory.SubFactory(ZoneFactory)
    number = factory.Sequence(lambda n: f"P-{n}")
    acres = Decimal("5")
    land_use = LandUse.INDUSTRIAL
    tenure = Tenure.LEASE
    price_per_acre_pkr = Decimal("2500000")
    lease_years = 99
    status = PlotStatus.AVAILABLE


class UtilityRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UtilityRequest

    zone = factory.SubFactory(ZoneFactory)
    reference = factory.Sequence(lambda n: f"REQ-{n}")
    firm = factory.SubFactory(FirmFactory, zone=factory.SelfAttribute("..zone"))
    kind = RequestKind.ELECTRICITY
    provider = "FESCO"
    applied_on = datetime.date(2024, 1, 10)
    status = RequestStatus.WAITING


class OutageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutageReport

    zone = factory.SubFactory(ZoneFactory)
    kind = RequestKind.ELECTRICITY
    month = datetime.date(2025, 1, 1)
    reported_by = Reporter.DEVELOPER
    hours = Decimal("12")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    zone = factory.SubFactory(ZoneFactory)
    metric = TargetMetric.JOBS
    announced_on = datetime.date(2021, 5, 28)
    value = Decimal("200000")
    announced_by = "Federal government"
    source_url = "https://example.org/announcement"


class PolicyEventFactory(factory.django.DjangoModelFactory):
    """A federal event granting an incentive to every zone; give ``zones`` to name some."""

    class Meta:
        model = PolicyEvent
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"event-{n}")
    date = datetime.date(2013, 1, 1)
    level = PolicyLevel.FEDERAL
    instrument = "SEZ Act 2012"
    title = factory.Sequence(lambda n: f"Incentive {n}")
    effect = PolicyEffect.INCENTIVE_GRANTED
    source_url = "https://example.org/gazette"

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        if create and extracted:
            self.zones.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A pending application for zone enterprise status."""

    class Meta:
        model = Application

    zone = factory.SubFactory(ZoneFactory)
    reference = factory.Sequence(lambda n: f"APP-{n}")
    applicant = "A firm"
    kind = ApplicationKind.ENTERPRISE_STATUS
    applied_on = datetime.date(2024, 1, 10)
    decision = Decision.PENDING


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def make_user(role: str | None = None, *, zones=(), provinces=(), **kwargs):
    """A user in one role group, responsible for ``zones`` and/or ``provinces`` (ISO codes).

    ``role`` is "official", "editor", "reviewer" or "administrator"; editors' and
    reviewers' scope comes from the zones and provinces given.
    """
    from django.contrib.auth.models import Group

    from accounts.models import Assignment
    from accounts.roles import GROUP_NAMES, Role

    user = UserFactory(is_staff=role == "administrator", **kwargs)
    if role:
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])
        user.groups.add(group)
    scope_role = "reviewer" if role == "reviewer" else "editor"
    for zone in zones:
        Assignment.objects.create(user=user, role=scope_role, zone=zone)
    for code in provinces:
        Assignment.objects.create(user=user, role=scope_role, province=ProvinceFactory(code=code))
    return user

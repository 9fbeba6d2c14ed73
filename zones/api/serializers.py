"""Zone representations for the API. Internal fields (notes, dispute parties) appear only in
the officials' serializer, chosen by the view on the server."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from delivery import inputs as delivery_inputs
from delivery import rules as delivery_rules
from investors.models import Firm
from policy.api import ApprovalFiguresSerializer, approvals_data
from readiness.selectors import zone_readiness
from zones import plot_selectors
from zones.illustrative import includes_illustrative
from zones.localized import field_name
from zones.models import LandDispute, Milestone, Target, UtilityConnection, Zone
from zones.reported import reported_beside_recorded
from zones.selectors import BASIS_RECORDS, BASIS_REPORTED, FREE_LAND_RECORDS, zone_coverage
from zones.vocabulary import UtilityStatus

from .base import MilestoneCodeField, ModelSerializer
from .figures import CoverageSerializer, ReportedTotalSerializer, counts_illustrative
from .figures import decimal as _decimal
from .returns import ZoneReturnsMixin


class ReadinessComponentsSerializer(serializers.Serializer):
    """The four readiness components, each in [0, 1]."""

    utilities = _decimal(5, 4)
    land = _decimal(5, 4)
    milestones = _decimal(5, 4)
    occupancy = _decimal(5, 4)


class ReadinessSerializer(serializers.Serializer):
    """A zone's latest readiness score (0–100) with its components and scoring profile."""

    score = _decimal(4, 1)
    components = ReadinessComponentsSerializer(allow_null=True, read_only=True)
    profile_version = serializers.IntegerField(allow_null=True, read_only=True)
    computed_at = serializers.DateTimeField(allow_null=True, read_only=True)


class ZoneReadinessMixin(serializers.Serializer):
    readiness = serializers.SerializerMethodField(
        help_text="The latest readiness; null when the zone was never scored."
    )

    @extend_schema_field(ReadinessSerializer(allow_null=True))
    def get_readiness(self, zone: Zone) -> dict | None:
        readiness = zone_readiness(zone)
        if readiness is None:
            return None
        return self._readiness_serializer.to_representation(readiness)

    @cached_property
    def _readiness_serializer(self) -> ReadinessSerializer:
        # One for the whole list: building a serializer's fields costs more than using them.
        return ReadinessSerializer()


class ZoneListSerializer(ZoneReadinessMixin, ModelSerializer):
    """A zone as the list shows it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:zone-detail", lookup_field="slug")
    page_url = serializers.SerializerMethodField(help_text="The zone's page on this site.")
    province = serializers.CharField(source="province_id", help_text="ISO 3166-2:PK code.")
    province_name = serializers.CharField(source="province.name")
    sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Target sector slugs."
    )
    area_acres = _decimal(12, 2, allow_null=True)
    free_land_acres = _decimal(
        14,
        2,
        allow_null=True,
        help_text="Area minus the acres allotted: the larger of what firms holding land "
        "are recorded to hold (real records only unless illustrative=include) and the latest "
        "allotment an authority reported; null when the area is unknown.",
    )
    free_land_records = serializers.SerializerMethodField(
        help_text="Coverage: how many firm records holding land with their acres the recorded "
        "allotment sums."
    )
    free_land_basis = serializers.ChoiceField(
        choices=[BASIS_RECORDS, BASIS_REPORTED],
        read_only=True,
        help_text="Which allotted figure free land subtracted: `records` (the firm records' "
        "sum) or `reported` (the latest allotted_acres reported total, when larger).",
    )
    latitude = _decimal(9, 6, allow_null=True)
    longitude = _decimal(9, 6, allow_null=True)
    utilities_connected = serializers.SerializerMethodField(
        help_text="Utility kinds connected inside the zone."
    )

    class Meta:
        model = Zone
        fields = [
            "slug",
            "name",
            "url",
            "page_url",
            "province",
            "province_name",
            "district",
            "status",
            "cpec_priority",
            "sectors",
            "area_acres",
            "free_land_acres",
            "free_land_basis",
            "free_land_records",
            "utilities_connected",
            "readiness",
            "developer",
            "latitude",
            "longitude",
            "coordinate_precision",
            "source_url",
            "verified_on",
            "is_illustrative",
        ]
        read_only_fields = fields

    def get_free_land_records(self, zone: Zone) -> int:
        records = getattr(zone, FREE_LAND_RECORDS, None)
        return zone_coverage(zone).firms_with_acres if records is None else records

    def get_page_url(self, zone: Zone) -> str:
        request = self.context.get("request")
        url = zone.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    def get_utilities_connected(self, zone: Zone) -> list[str]:
        connected = getattr(zone, "connected_utilities", None)
        if connected is None:
            connected = [u for u in zone.utilities.all() if u.status == UtilityStatus.CONNECTED]
        return sorted(u.kind for u in connected)


class UtilitySerializer(ModelSerializer):
    """One utility: delivered to the zone's zero point, or connected inside it."""

    required_capacity = _decimal(12, 2, allow_null=True)
    available_capacity = _decimal(12, 2, allow_null=True)

    class Meta:
        model = UtilityConnection
        fields = [
            "kind",
            "status",
            "required_capacity",
            "available_capacity",
            "unit",
            "provider",
            "target_date",
            "source_url",
            "is_illustrative",
        ]
        read_only_fields = fields


class DisputeSerializer(ModelSerializer):
    """A land dispute, without its parties (officials only)."""

    affected_acres = _decimal(12, 2, allow_null=True)

    class Meta:
        model = LandDispute
        fields = [
            "reference",
            "status",
            "affected_acres",
            "forum",
            "opened_on",
            "resolved_on",
            "description",
            "source_url",
            "is_illustrative",
        ]
        read_only_fields = fields


class OfficialDisputeSerializer(DisputeSerializer):
    """A land dispute with its parties, for officials."""

    class Meta(DisputeSerializer.Meta):
        fields = [*DisputeSerializer.Meta.fields, "parties"]
        read_only_fields = fields


class MilestoneSerializer(ModelSerializer):
    """A milestone with its baseline, planned and actual dates and the slippage between them."""

    weight = _decimal(6, 2)
    slippage_days = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="(actual or planned date) minus baseline date, in days.",
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "code",
            "title",
            "weight",
            "responsible",
            "status",
            "baseline_date",
            "planned_date",
            "actual_date",
            "slippage_days",
            "is_overdue",
            "source_url",
            "is_illustrative",
        ]
        read_only_fields = fields


class FirmSerializer(ModelSerializer):
    """A zone enterprise, with the origin group charts use."""

    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    origin_group = serializers.CharField(read_only=True)
    allotted_acres = _decimal(10, 2, allow_null=True)

    class Meta:
        model = Firm
        fields = [
            "name",
            "sector",
            "origin_country",
            "ownership",
            "origin_group",
            "status",
            "allotted_acres",
            "allotted_on",
            "jobs_planned",
            "jobs_actual",
            "source_url",
            "is_illustrative",
        ]
        read_only_fields = fields


class TargetSerializer(ModelSerializer):
    """An announced target; restated targets each keep their own record."""

    value = _decimal(16, 2, allow_null=True)
    milestone_code = MilestoneCodeField()

    class Meta:
        model = Target
        fields = [
            "metric",
            "value",
            "target_date",
            "milestone_code",
            "announced_on",
            "announced_by",
            "source_url",
            "notes",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.Serializer):
    """One statement of a target: what was promised, by when, by whom, and the source."""

    announced_on = serializers.DateField(read_only=True)
    value = _decimal(16, 2, allow_null=True)
    target_date = serializers.DateField(read_only=True, allow_null=True)
    announced_by = serializers.CharField(read_only=True)
    source_url = serializers.URLField(read_only=True)


class PromiseSerializer(serializers.Serializer):
    """One target (for completion dates: one milestone's) held against what was delivered."""

    metric = serializers.ChoiceField(choices=delivery_rules.METRICS, read_only=True)
    milestone_code = MilestoneCodeField()
    current = StatementSerializer(read_only=True, help_text="The statement announced last.")
    history = StatementSerializer(
        many=True, read_only=True, help_text="Every statement, oldest first (the current last)."
    )
    delivered = _decimal(
        18,
        2,
        allow_null=True,
        help_text="Jobs, investment and exports reported by firms holding land; firms "
        "operating; null for completion dates.",
    )
    firms_reporting = serializers.IntegerField(
        source="reported",
        read_only=True,
        allow_null=True,
        help_text="Firms holding land that reported the delivered figure (jobs, investment, "
        "exports).",
    )
    delivered_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Completion dates: the milestone's actual date."
    )
    share = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Delivered ÷ current target (not capped)."
    )
    gap = _decimal(18, 2, allow_null=True, help_text="Current target − delivered.")
    days_late = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Completion dates: (actual date, or today) − promised date.",
    )
    days_since_announced = serializers.IntegerField(read_only=True)
    days_since_first_announced = serializers.IntegerField(read_only=True)
    target_date_passed = serializers.BooleanField(
        source="due_passed", read_only=True, allow_null=True
    )
    status = serializers.ChoiceField(choices=delivery_rules.STATUSES, read_only=True)


class DeliverySerializer(serializers.Serializer):
    """A zone's announced targets against what its records show."""

    share = serializers.FloatField(
        source="delivery_share",
        read_only=True,
        allow_null=True,
        help_text="Jobs delivered ÷ the current jobs target: what sort=delivery orders by; "
        "null without a jobs target.",
    )
    promises = PromiseSerializer(many=True, read_only=True)


class PlotFiguresSerializer(serializers.Serializer):
    """A zone's plots: what is saleable, offered, held, idle and producing."""

    saleable_acres = _decimal(14, 2, help_text="Plots neither amenity nor cancelled.")
    available_acres = _decimal(14, 2, help_text="Available plots that are not amenity.")
    allotted_acres = _decimal(14, 2, help_text="Allotted plots.")
    allocation_rate = _decimal(
        5, 4, allow_null=True,
        help_text="(Reserved + allotted acres) ÷ saleable acres; null when nothing is saleable.",
    )  # fmt: skip
    largest_available_plot_acres = _decimal(10, 2, allow_null=True)
    idle_plots = serializers.IntegerField(
        read_only=True,
        help_text="Allotted more than 365 days ago, with no construction or production start.",
    )
    producing_plots = serializers.IntegerField(read_only=True)
    median_days_allotment_to_production = _decimal(8, 1, allow_null=True)
    plot_records = serializers.IntegerField(
        read_only=True, help_text="How many plot records these figures rest on."
    )


class ClockFiguresSerializer(serializers.Serializer):
    """The units' own connections of one kind: how many, how fast, how many still waiting."""

    connected = serializers.IntegerField(read_only=True)
    median_days_to_connect = _decimal(
        8, 1, allow_null=True, help_text="Connected on − applied on, over connected requests."
    )
    waiting = serializers.IntegerField(read_only=True)
    oldest_waiting_days = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Today − the earliest waiting application."
    )


class OutageFiguresSerializer(serializers.Serializer):
    """Hours without supply over the 12 whole months before the current one."""

    hours_12m = _decimal(8, 1)
    share_12m = _decimal(
        5, 4, allow_null=True,
        help_text="hours_12m ÷ the hours of those months that have a report; null when none.",
    )  # fmt: skip


class ZonePlotsMixin(serializers.Serializer):
    """The plot indicators, the utility clock and outages (DOMAIN.md, version 2)."""

    plots = serializers.SerializerMethodField()
    utility_clock = serializers.SerializerMethodField(
        help_text="Per kind; kinds without requests are absent."
    )
    outages = serializers.SerializerMethodField(
        help_text="Per kind, then per reporter (developer, tenant); those without reports are "
        "absent."
    )

    def _indicators(self, zone: Zone) -> plot_selectors.ZonePlotIndicators:
        cache = self.__dict__.setdefault("_plot_indicators", {})
        if zone.pk not in cache:
            cache[zone.pk] = plot_selectors.zone_plot_indicators(
                zone.pk, include_illustrative=counts_illustrative(self.context)
            )
        return cache[zone.pk]

    @extend_schema_field(PlotFiguresSerializer)
    def get_plots(self, zone: Zone) -> dict:
        return PlotFiguresSerializer(self._indicators(zone).plots).data

    @extend_schema_field(serializers.DictField(child=ClockFiguresSerializer()))
    def get_utility_clock(self, zone: Zone) -> dict:
        clock = self._indicators(zone).clock_by_kind()
        return {kind: ClockFiguresSerializer(figures).data for kind, figures in clock.items()}

    @extend_schema_field(
        serializers.DictField(child=serializers.DictField(child=OutageFiguresSerializer()))
    )
    def get_outages(self, zone: Zone) -> dict:
        return {
            kind: {who: OutageFiguresSerializer(figures).data for who, figures in reporters.items()}
            for kind, reporters in self._indicators(zone).outages_by_kind().items()
        }


#: The zone's own words in every language, each null where it is not written yet.
TRANSLATED_ZONE_FIELDS = ("name", "description")
TRANSLATIONS_SCHEMA = {
    "type": "object",
    "description": "The zone's name and description in each language (`en` the source); "
    "null where no translation is written yet, in which case the English text is served.",
    "properties": {
        code: {
            "type": "object",
            "properties": {
                name: {"type": "string", "nullable": True} for name in TRANSLATED_ZONE_FIELDS
            },
            "required": list(TRANSLATED_ZONE_FIELDS),
        }
        for code, _label in settings.LANGUAGES
    },
    "required": [code for code, _label in settings.LANGUAGES],
}


class ZoneDetailSerializer(ZoneReturnsMixin, ZonePlotsMixin, ZoneListSerializer):
    """Everything public about one zone."""

    utilities = UtilitySerializer(many=True, read_only=True)
    disputes = DisputeSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    firms = FirmSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    delivery = serializers.SerializerMethodField(
        help_text="Each current target against what was delivered, with its history."
    )
    reported_totals = serializers.SerializerMethodField(
        help_text="The latest total an authority reported per metric, beside the records' sum "
        "and coverage."
    )
    coverage = serializers.SerializerMethodField()
    illustrative_included = serializers.SerializerMethodField(
        help_text="Whether illustrative records (invented for the demo) are listed and counted "
        "(`?illustrative=include`); by default they are neither."
    )
    translations = serializers.SerializerMethodField()
    approvals = serializers.SerializerMethodField(
        help_text="The one-window clock per kind of application; kinds without applications "
        "are absent. Illustrative applications count only with illustrative=include."
    )

    class Meta(ZoneListSerializer.Meta):
        fields = [
            *ZoneListSerializer.Meta.fields,
            "zone_authority",
            "investor_contact",
            "description",
            "translations",
            "approved_on",
            "notified_on",
            "utilities",
            "disputes",
            "milestones",
            "firms",
            "targets",
            "delivery",
            "reported_totals",
            "coverage",
            "illustrative_included",
            "plots",
            "utility_clock",
            "outages",
            "returns",
            "approvals",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=ApprovalFiguresSerializer()))
    def get_approvals(self, zone: Zone) -> dict:
        request = self.context.get("request")
        include = request is not None and includes_illustrative(request.query_params)
        return approvals_data(zone, include_illustrative=include)

    @extend_schema_field(TRANSLATIONS_SCHEMA)
    def get_translations(self, zone: Zone) -> dict:
        return {
            code: {
                name: getattr(zone, field_name(name, code)) or None
                for name in TRANSLATED_ZONE_FIELDS
            }
            for code, _label in settings.LANGUAGES
        }

    @extend_schema_field(DeliverySerializer)
    def get_delivery(self, zone: Zone) -> dict:
        found = delivery_inputs.zone_delivery(
            zone, include_illustrative=counts_illustrative(self.context)
        )
        return DeliverySerializer(found).data

    @extend_schema_field(ReportedTotalSerializer(many=True))
    def get_reported_totals(self, zone: Zone) -> list:
        figures = reported_beside_recorded(
            Zone.objects.filter(pk=zone.pk),
            include_illustrative=counts_illustrative(self.context),
        )
        return ReportedTotalSerializer(figures, many=True).data

    @extend_schema_field(CoverageSerializer)
    def get_coverage(self, zone: Zone) -> dict:
        return CoverageSerializer(zone_coverage(zone)).data

    def get_illustrative_included(self, zone: Zone) -> bool:
        return counts_illustrative(self.context)


class OfficialZoneDetailSerializer(ZoneDetailSerializer):
    """One zone with its internal fields, for officials."""

    disputes = OfficialDisputeSerializer(many=True, read_only=True)

    class Meta(ZoneDetailSerializer.Meta):
        fields = [*ZoneDetailSerializer.Meta.fields, "published", "internal_notes"]
        read_only_fields = fields

"""The row forms: one per sheet, validating a row's cells (as text) into Python values.

A form checks what a single row can tell: types, ranges, known provinces, sectors and zones,
the editor's scope (``Lookups.zone_allowed``) and the rules between a row's own columns.
The model's own validation and constraints run afterwards, in the planner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from policy.vocabulary import ApplicationKind, Decision, PolicyEffect, PolicyLevel
from zones.countries import ISO_3166_ALPHA_2
from zones.vocabulary import (
    FIRM_HOLDING_PLOT_STATUSES,
    NON_SALEABLE_LAND_USES,
    CoordinatePrecision,
    DisputeStatus,
    FirmStatus,
    LandUse,
    MilestoneStatus,
    Ownership,
    PlotStatus,
    ReportedMetric,
    Reporter,
    RequestKind,
    RequestStatus,
    ResponsibleLevel,
    TargetMetric,
    Tenure,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
    hours_in_month,
)

from .fields import (
    MAX_CELL_LENGTH,
    ListField,
    MonthField,
    StrictBooleanField,
    choice_field,
    country_code_error,
    date_field,
    decimal_field,
)


@dataclass
class Lookups:
    """What the row forms check values against, read once per import."""

    provinces: set[str]
    sectors: set[str]
    zone_slugs: set[str]
    zone_allowed: Callable[[str], bool] | None = None
    #: Whether the importer may write national records (policy events): administrators.
    national: bool = True
    #: (zone slug, firm name) of every firm in the database or on the firms sheet.
    firms: set[tuple[str, str]] = field(default_factory=set)
    #: The current year: a return for a later one is refused.
    this_year: int | None = None


class RowForm(forms.Form):
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    illustrative = StrictBooleanField(default=False)

    def __init__(self, *args, lookups: Lookups, **kwargs):
        self.lookups = lookups
        super().__init__(*args, **kwargs)


def translation(max_length: int) -> forms.CharField:
    """An optional translation column (``name_ur``, ``description_zh_hans`` …): an empty
    cell means "not translated yet", and the page shows the English text instead."""
    return forms.CharField(required=False, max_length=max_length, empty_value=None)


class ZoneRow(RowForm):
    slug = forms.SlugField(max_length=100)
    name = forms.CharField(max_length=200)
    province = forms.CharField(max_length=5)
    district = forms.CharField(required=False, max_length=100)
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    coordinate_precision = choice_field(CoordinatePrecision.choices, required=False)
    area_acres = decimal_field(min_value=0)
    developer = forms.CharField(required=False, max_length=300)
    zone_authority = forms.CharField(required=False, max_length=200)
    investor_contact = forms.CharField(required=False, max_length=300)
    status = choice_field(ZoneStatus.choices)
    cpec_priority = StrictBooleanField(default=False)
    sectors = ListField(item_check=lambda item: None)
    published = StrictBooleanField(default=True)
    description = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    name_ur = translation(200)
    name_zh_hans = translation(200)
    description_ur = translation(MAX_CELL_LENGTH)
    description_zh_hans = translation(MAX_CELL_LENGTH)
    approved_on = date_field()
    notified_on = date_field()
    verified_on = date_field()

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.lookups.zone_allowed is not None and not self.lookups.zone_allowed(slug):
            raise ValidationError(_("You may not change zone '%(slug)s'."), params={"slug": slug})
        return slug

    def clean_province(self):
        code = self.cleaned_data["province"].upper()
        if code not in self.lookups.provinces:
            raise ValidationError(
                _("Unknown province '%(code)s'; use an ISO code such as PK-PB."),
                params={"code": code},
            )
        return code

    def clean_sectors(self):
        sectors = self.cleaned_data["sectors"]
        unknown = [slug for slug in sectors if slug not in self.lookups.sectors]
        if unknown:
            raise ValidationError(
                _("Unknown sector %(slugs)s; use slugs such as textiles, food-processing."),
                params={"slugs": ", ".join(repr(slug) for slug in unknown)},
            )
        return sectors


class ZoneChildRow(RowForm):
    zone = forms.SlugField(max_length=100)

    def clean_zone(self):
        slug = self.cleaned_data["zone"]
        if slug not in self.lookups.zone_slugs:
            raise ValidationError(
                _("Unknown zone '%(slug)s': not in the database nor in the zones sheet."),
                params={"slug": slug},
            )
        if self.lookups.zone_allowed is not None and not self.lookups.zone_allowed(slug):
            raise ValidationError(_("You may not change zone '%(slug)s'."), params={"slug": slug})
        return slug


class UtilityRow(ZoneChildRow):
    kind = choice_field(UtilityKind.choices)
    status = choice_field(UtilityStatus.choices)
    required_capacity = decimal_field(min_value=0)
    available_capacity = decimal_field(min_value=0)
    unit = forms.CharField(required=False, max_length=20)
    provider = forms.CharField(required=False, max_length=200)
    target_date = date_field()
    notes = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)


class DisputeRow(ZoneChildRow):
    reference = forms.CharField(max_length=100)
    affected_acres = decimal_field(min_value=0)
    forum = forms.CharField(required=False, max_length=200)
    status = choice_field(DisputeStatus.choices)
    opened_on = date_field()
    resolved_on = date_field()
    parties = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    description = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    description_ur = translation(MAX_CELL_LENGTH)
    description_zh_hans = translation(MAX_CELL_LENGTH)


class MilestoneRow(ZoneChildRow):
    code = forms.SlugField(max_length=60)
    title = forms.CharField(max_length=200)
    title_ur = translation(200)
    title_zh_hans = translation(200)
    weight = forms.DecimalField(required=False, max_digits=6, decimal_places=2)
    responsible = choice_field(ResponsibleLevel.choices)
    status = choice_field(MilestoneStatus.choices)
    baseline_date = date_field()
    planned_date = date_field()
    actual_date = date_field()

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        return Decimal("1") if weight is None else weight


class FirmRow(ZoneChildRow):
    name = forms.CharField(max_length=200)
    sector = forms.CharField(required=False, max_length=50)
    origin_country = forms.CharField(max_length=2)
    ownership = choice_field(Ownership.choices)
    status = choice_field(FirmStatus.choices)
    allotted_acres = decimal_field(min_value=0)
    allotted_on = date_field()
    investment_usd = decimal_field(min_value=0)
    jobs_planned = forms.IntegerField(required=False, min_value=0)
    jobs_actual = forms.IntegerField(required=False, min_value=0)
    exports_usd = decimal_field(min_value=0)
    export_markets = ListField(item_check=country_code_error)

    def clean_sector(self):
        slug = self.cleaned_data["sector"]
        if slug and slug not in self.lookups.sectors:
            raise ValidationError(_("Unknown sector '%(slug)s'."), params={"slug": slug})
        return slug or None

    def clean_origin_country(self):
        code = self.cleaned_data["origin_country"]
        if problem := country_code_error(code):
            raise ValidationError(problem)
        return code


class TargetRow(ZoneChildRow):
    metric = choice_field(TargetMetric.choices)
    announced_on = forms.DateField(input_formats=["%Y-%m-%d"])
    value = decimal_field(min_value=0)
    target_date = date_field()
    announced_by = forms.CharField(required=False, max_length=200)
    source_url = forms.URLField(max_length=500, assume_scheme="https")
    milestone = forms.SlugField(required=False, max_length=60)
    notes = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    notes_ur = translation(MAX_CELL_LENGTH)
    notes_zh_hans = translation(MAX_CELL_LENGTH)
    illustrative = None  # targets are announcements: always sourced, never invented

    def clean(self):
        """A quantity target needs its value; a completion date, the date and the milestone
        promised (otherwise it cannot be held against what was delivered)."""
        data = super().clean()
        metric = data.get("metric")
        if metric == TargetMetric.COMPLETION_DATE:
            if not data.get("target_date") and "target_date" not in self.errors:
                self.add_error(
                    "target_date", _("A completion-date target needs the date promised.")
                )
            if not data.get("milestone") and "milestone" not in self.errors:
                self.add_error(
                    "milestone", _("Name the milestone (its code) whose completion was promised.")
                )
        elif metric and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("This target needs the value promised."))
        return data


class FirmNamingRow(ZoneChildRow):
    """A row naming a firm of its zone (by name, in the database or on the firms sheet)."""

    firm = forms.CharField(required=False, max_length=200)

    def _check_firm(self, data) -> None:
        name, zone = data.get("firm"), data.get("zone")
        if name and zone and (zone, name) not in self.lookups.firms:
            self.add_error(
                "firm",
                _("Unknown firm '%(name)s' in zone '%(zone)s': not in the database nor in the "
                  "firms sheet.")
                % {"name": name, "zone": zone},
            )  # fmt: skip


class PlotRow(FirmNamingRow):
    number = forms.CharField(max_length=50)
    acres = forms.DecimalField(max_digits=10, decimal_places=2)
    land_use = choice_field(LandUse.choices)
    tenure = choice_field(Tenure.choices)
    price_per_acre_pkr = decimal_field(min_value=0)
    lease_years = forms.IntegerField(required=False, min_value=1, max_value=999)
    status = choice_field(PlotStatus.choices)
    allotted_on = date_field()
    possession_on = date_field()
    construction_started_on = date_field()
    production_started_on = date_field()
    verified_on = date_field()

    def clean_acres(self):
        acres = self.cleaned_data["acres"]
        if acres <= 0:
            raise ValidationError(_("A plot's acres must be greater than zero."))
        return acres

    def clean(self):
        """The rules between a plot's own columns (the database holds them too)."""
        data = super().clean()
        status, firm = data.get("status"), data.get("firm")
        if status in FIRM_HOLDING_PLOT_STATUSES and not firm and "firm" not in self.errors:
            self.add_error("firm", _("A reserved or allotted plot needs its firm."))
        elif status and status not in FIRM_HOLDING_PLOT_STATUSES and firm:
            self.add_error("firm", _("Only a reserved or allotted plot names a firm."))
        if data.get("land_use") in NON_SALEABLE_LAND_USES and status in FIRM_HOLDING_PLOT_STATUSES:
            self.add_error("status", _("An amenity plot is never reserved or allotted."))
        if data.get("lease_years") and data.get("tenure") and data["tenure"] != Tenure.LEASE:
            self.add_error(
                "lease_years", _("Lease years are given only for a plot offered on lease.")
            )
        self._check_firm(data)
        return data


class UtilityRequestRow(FirmNamingRow):
    reference = forms.CharField(max_length=100)
    firm = forms.CharField(max_length=200)
    kind = choice_field(RequestKind.choices)
    requested_capacity = decimal_field(min_value=0)
    unit = forms.CharField(required=False, max_length=20)
    provider = forms.CharField(required=False, max_length=200)
    applied_on = forms.DateField(input_formats=["%Y-%m-%d"])
    connected_on = date_field()
    status = choice_field(RequestStatus.choices)

    def clean(self):
        data = super().clean()
        applied, connected = data.get("applied_on"), data.get("connected_on")
        if data.get("status") == RequestStatus.CONNECTED:
            if not connected and "connected_on" not in self.errors:
                self.add_error("connected_on", _("A connected request needs its connection date."))
            elif connected and applied and connected < applied:
                self.add_error(
                    "connected_on", _("A request cannot be connected before it was applied for.")
                )
        elif connected:
            self.add_error("connected_on", _("Only a connected request has a connection date."))
        self._check_firm(data)
        return data


class OutageRow(ZoneChildRow):
    kind = choice_field(RequestKind.choices)
    month = MonthField()
    reported_by = choice_field(Reporter.choices)
    hours = forms.DecimalField(max_digits=6, decimal_places=1, min_value=0)

    def clean(self):
        data = super().clean()
        month, hours = data.get("month"), data.get("hours")
        if month is not None and hours is not None:
            most = hours_in_month(month.year, month.month)
            if hours > most:
                self.add_error(
                    "hours",
                    _("At most %(most)d hours in %(month)s, got %(hours)s.")
                    % {"most": most, "month": month.strftime("%Y-%m"), "hours": hours},
                )
        return data


class ReportedRow(ZoneChildRow):
    """A total an authority reported for the whole zone, as of a day, with its source."""

    metric = choice_field(ReportedMetric.choices)
    value = forms.DecimalField(min_value=0, max_digits=16, decimal_places=2)
    as_of = forms.DateField(input_formats=["%Y-%m-%d"])
    reported_by = forms.CharField(max_length=200)
    source_url = forms.URLField(max_length=500, assume_scheme="https")
    notes = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    illustrative = None  # reported by an authority: always sourced, never invented


def market_code_error(item: str) -> str | None:
    """Why ``item`` is not an officially assigned ISO 3166-1 alpha-2 code, or None."""
    if problem := country_code_error(item):
        return problem
    if item not in ISO_3166_ALPHA_2:
        return _("'%s' is not an ISO 3166-1 alpha-2 country code.") % item
    return None


def count_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=0)


#: A return's counts, each at most its employees, with the message for one above them.
RETURN_COUNTS = {
    "employees_local": _lazy("Local employees (%(count)s) cannot exceed employees (%(all)s)."),
    "employees_women": _lazy("Women employees (%(count)s) cannot exceed employees (%(all)s)."),
    "employees_trained": _lazy("Employees trained (%(count)s) cannot exceed employees (%(all)s)."),
}


class ReturnRow(FirmNamingRow):
    """A firm's annual return for a year (DOMAIN.md, version 3)."""

    firm = forms.CharField(max_length=200)
    year = forms.IntegerField(min_value=1990)
    employees = count_field()
    employees_local = count_field()
    employees_women = count_field()
    employees_trained = count_field()
    exports_usd = decimal_field(min_value=0)
    export_markets = ListField(item_check=market_code_error)
    domestic_sales_usd = decimal_field(min_value=0)
    imports_usd = decimal_field(min_value=0)
    local_inputs_share = forms.DecimalField(
        required=False, min_value=0, max_value=1, max_digits=5, decimal_places=4
    )
    investment_to_date_usd = decimal_field(min_value=0)
    verified_on = date_field()

    def clean_year(self):
        year = self.cleaned_data["year"]
        if self.lookups.this_year is not None and year > self.lookups.this_year:
            raise ValidationError(
                _("%(year)s is still to come: a return is for a year under way or past."),
                params={"year": year},
            )
        return year

    def clean(self):
        data = super().clean()
        employees = data.get("employees")
        if employees is not None:
            for name, message in RETURN_COUNTS.items():
                count = data.get(name)
                if count is not None and count > employees:
                    self.add_error(name, str(message) % {"count": count, "all": employees})
        name, zone = data.get("firm"), data.get("zone")
        if name and zone and (zone, name) not in self.lookups.firms:
            elsewhere = sorted(slug for slug, firm in self.lookups.firms if firm == name)
            if elsewhere:
                self.add_error(
                    "firm",
                    _("Firm '%(name)s' is of zone %(zones)s, not '%(zone)s': a return is filed "
                      "in the firm's own zone.")
                    % {"name": name, "zones": ", ".join(f"'{s}'" for s in elsewhere),
                       "zone": zone},
                )  # fmt: skip
            else:
                self._check_firm(data)


class PolicyEventRow(RowForm):
    """A national policy event (administrators only): an Act, SRO, Finance Act clause or
    board decision, federal or of one province, for every zone in scope or those named."""

    reference = forms.SlugField(max_length=100)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    level = choice_field(PolicyLevel.choices)
    province = forms.CharField(required=False, max_length=5)
    instrument = forms.CharField(max_length=300)
    title = forms.CharField(max_length=300)
    effect = choice_field(
        PolicyEffect.choices,
        error_messages={
            "invalid_choice": format_lazy(
                "{} {}.",
                gettext_lazy("Unknown effect “%(value)s”; use one of:"),
                ", ".join(PolicyEffect.values),
            )
        },
    )
    incentive = forms.SlugField(required=False, max_length=100)
    zones = ListField(item_check=lambda item: None)
    verified_on = date_field()

    def clean_reference(self):
        reference = self.cleaned_data["reference"]
        if not self.lookups.national:
            raise ValidationError(_("Only administrators may import policy events."))
        return reference

    def clean_province(self):
        code = self.cleaned_data["province"].strip().upper()
        if code and code not in self.lookups.provinces:
            raise ValidationError(
                _("Unknown province '%(code)s'; use an ISO code such as PK-PB."),
                params={"code": code},
            )
        return code or None

    def clean_zones(self):
        slugs = self.cleaned_data["zones"]
        unknown = [slug for slug in slugs if slug not in self.lookups.zone_slugs]
        if unknown:
            raise ValidationError(
                _("Unknown zone %(slugs)s: not in the database nor in the zones sheet."),
                params={"slugs": ", ".join(repr(slug) for slug in unknown)},
            )
        return slugs

    def clean(self):
        data = super().clean()
        level, province = data.get("level"), data.get("province")
        if level == PolicyLevel.PROVINCIAL and not province and "province" not in self.errors:
            self.add_error("province", _("A provincial event needs its province."))
        elif level == PolicyLevel.FEDERAL and province:
            self.add_error("province", _("A federal event names no province."))
        return data


class ApplicationRow(ZoneChildRow):
    """An application to a zone's one-window, with its decision."""

    reference = forms.CharField(max_length=100)
    applicant = forms.CharField(required=False, max_length=200)
    kind = choice_field(ApplicationKind.choices)
    applied_on = forms.DateField(input_formats=["%Y-%m-%d"])
    decided_on = date_field()
    decision = choice_field(Decision.choices)
    verified_on = date_field()

    def clean(self):
        data = super().clean()
        applied, decided = data.get("applied_on"), data.get("decided_on")
        decision = data.get("decision")
        if decision == Decision.PENDING:
            if decided:
                self.add_error("decided_on", _("A pending application has no decision date."))
        elif decision:
            if not decided and "decided_on" not in self.errors:
                self.add_error("decided_on", _("A decided application needs its decision date."))
            elif decided and applied and decided < applied:
                self.add_error(
                    "decided_on",
                    _("The decision (%(decided)s) comes before the application (%(applied)s).")
                    % {"decided": decided.isoformat(), "applied": applied.isoformat()},
                )
        return data

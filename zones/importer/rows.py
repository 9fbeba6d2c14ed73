"""The row forms: one per sheet, validating a row's cells (as text) into Python values.

A form checks what a single row can tell: types, ranges, known provinces, sectors and zones,
the editor's scope (``Lookups.zone_allowed``) and the rules between a row's own columns.
The model's own validation and constraints run afterwards, in the planner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zones.vocabulary import (
    CoordinatePrecision,
    DisputeStatus,
    FirmStatus,
    MilestoneStatus,
    Ownership,
    ReportedMetric,
    ResponsibleLevel,
    TargetMetric,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
)

from .fields import (
    MAX_CELL_LENGTH,
    ListField,
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


class RowForm(forms.Form):
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    illustrative = StrictBooleanField(default=False)

    def __init__(self, *args, lookups: Lookups, **kwargs):
        self.lookups = lookups
        super().__init__(*args, **kwargs)


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
    status = choice_field(ZoneStatus.choices)
    cpec_priority = StrictBooleanField(default=False)
    sectors = ListField(item_check=lambda item: None)
    published = StrictBooleanField(default=True)
    description = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
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


class MilestoneRow(ZoneChildRow):
    code = forms.SlugField(max_length=60)
    title = forms.CharField(max_length=200)
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


class ReportedRow(ZoneChildRow):
    """A total an authority reported for the whole zone, as of a day, with its source."""

    metric = choice_field(ReportedMetric.choices)
    value = forms.DecimalField(min_value=0, max_digits=16, decimal_places=2)
    as_of = forms.DateField(input_formats=["%Y-%m-%d"])
    reported_by = forms.CharField(max_length=200)
    source_url = forms.URLField(max_length=500, assume_scheme="https")
    notes = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    illustrative = None  # reported by an authority: always sourced, never invented

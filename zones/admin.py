from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from accounts.roles import fields_refused_to
from investors.models import Firm

from .models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    Province,
    ReportedTotal,
    Sector,
    Target,
    UtilityConnection,
    UtilityRequest,
    Zone,
)
from .models.plots import PLOT_DATES

PROVENANCE_FIELDS = ("source_url", "verified_on", "is_illustrative")
GOVERNANCE_FIELDS = (
    "developer", "zone_authority", "investor_contact", "approved_on", "notified_on", "sectors",
)  # fmt: skip


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("slug", "name")
    search_fields = ("slug", "name")


class UtilityInline(admin.TabularInline):
    model = UtilityConnection
    extra = 0
    fields = (
        "kind", "status", "required_capacity", "available_capacity", "unit", "provider",
        "target_date", "is_illustrative",
    )  # fmt: skip


class DisputeInline(admin.TabularInline):
    model = LandDispute
    extra = 0
    fields = ("reference", "status", "affected_acres", "forum", "opened_on", "resolved_on")


class MilestoneInline(TranslationTabularInline):  # a title per language
    model = Milestone
    extra = 0
    fields = (
        "code", "title", "weight", "responsible", "status", "baseline_date", "planned_date",
        "actual_date", "is_illustrative",
    )  # fmt: skip


class FirmInline(admin.TabularInline):
    model = Firm
    extra = 0
    fields = ("name", "sector", "origin_country", "ownership", "status", "allotted_acres")
    autocomplete_fields = ("sector",)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = (
        "metric", "announced_on", "value", "target_date", "milestone_code", "announced_by",
        "source_url",
    )  # fmt: skip


@admin.register(Zone)
class ZoneAdmin(TranslationAdmin):  # one field per language
    list_display = (
        "name", "province", "status", "cpec_priority", "area_acres", "readiness_score",
        "published", "is_illustrative",
    )  # fmt: skip
    list_filter = ("province", "status", "cpec_priority", "published", "sectors", "is_synthetic")
    search_fields = ("name", "slug", "district", "developer")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sectors",)
    readonly_fields = ("readiness_score", "readiness_computed_at", "created_at", "updated_at")
    list_select_related = ("province",)

    def get_readonly_fields(self, request, obj=None):
        """Fields only administrators set (``accounts.roles``) are read-only to anyone else."""
        refused = fields_refused_to(request.user, Zone._meta.label)
        return (*super().get_readonly_fields(request, obj), *sorted(refused))

    def get_prepopulated_fields(self, request, obj=None):
        refused = fields_refused_to(request.user, Zone._meta.label)
        return {} if "slug" in refused else super().get_prepopulated_fields(request, obj)

    inlines = (UtilityInline, DisputeInline, MilestoneInline, FirmInline, TargetInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "province", "district", "status", "cpec_priority")}),
        (
            _("Location and land"),
            {"fields": ("latitude", "longitude", "coordinate_precision", "area_acres")},
        ),
        (
            _("Governance"),
            {"fields": GOVERNANCE_FIELDS},
        ),
        (_("Description"), {"fields": ("description", "internal_notes", "published")}),
        (_("Provenance"), {"fields": PROVENANCE_FIELDS}),
        (
            _("Readiness"),
            {"fields": ("readiness_score", "readiness_computed_at", "created_at", "updated_at")},
        ),
    )


@admin.register(UtilityConnection)
class UtilityConnectionAdmin(admin.ModelAdmin):
    list_display = (
        "zone", "kind", "status", "required_capacity", "available_capacity", "unit",
        "is_illustrative",
    )  # fmt: skip
    list_filter = ("kind", "status", "zone__province")
    search_fields = ("zone__name", "provider")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)


@admin.register(LandDispute)
class LandDisputeAdmin(TranslationAdmin):  # one field per language
    list_display = ("reference", "zone", "status", "affected_acres", "forum", "opened_on")
    list_filter = ("status", "zone__province")
    search_fields = ("reference", "zone__name", "forum", "parties")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)


@admin.register(Milestone)
class MilestoneAdmin(TranslationAdmin):  # one field per language
    list_display = (
        "title", "zone", "responsible", "status", "baseline_date", "planned_date", "actual_date",
        "is_illustrative",
    )  # fmt: skip
    list_filter = ("status", "responsible", "zone__province", "is_illustrative")
    search_fields = ("title", "code", "zone__name")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)
    date_hierarchy = "planned_date"


@admin.register(Target)
class TargetAdmin(TranslationAdmin):  # one field per language
    list_display = (
        "zone", "metric", "milestone_code", "value", "target_date", "announced_on",
        "announced_by",
    )  # fmt: skip
    list_filter = ("metric", "zone__province")
    search_fields = ("zone__name", "milestone_code", "announced_by")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)


@admin.register(ReportedTotal)
class ReportedTotalAdmin(admin.ModelAdmin):
    """Totals an authority reported; each edit kept in the record's history (like targets)."""

    list_display = ("zone", "metric", "value", "as_of", "reported_by")
    list_filter = ("metric", "zone__province")
    search_fields = ("zone__name", "reported_by")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)
    date_hierarchy = "as_of"


@admin.register(Plot)
class PlotAdmin(admin.ModelAdmin):
    list_display = (
        "number", "zone", "acres", "land_use", "tenure", "status", "firm", "allotted_on",
        "is_illustrative",
    )  # fmt: skip
    list_filter = ("status", "land_use", "tenure", "zone__province", "is_illustrative")
    search_fields = ("number", "zone__name", "firm__name")
    list_select_related = ("zone", "firm")
    autocomplete_fields = ("zone", "firm")
    fieldsets = (
        (None, {"fields": ("zone", "number", "acres", "land_use", "status", "firm")}),
        (_("Offer"), {"fields": ("tenure", "price_per_acre_pkr", "lease_years")}),
        (
            _("Possession"),
            {"fields": PLOT_DATES},
        ),
        (_("Provenance"), {"fields": PROVENANCE_FIELDS}),
    )


@admin.register(UtilityRequest)
class UtilityRequestAdmin(admin.ModelAdmin):
    list_display = (
        "reference", "zone", "firm", "kind", "provider", "status", "applied_on", "connected_on",
        "is_illustrative",
    )  # fmt: skip
    list_filter = ("kind", "status", "zone__province", "is_illustrative")
    search_fields = ("reference", "zone__name", "firm__name", "provider")
    list_select_related = ("zone", "firm")
    autocomplete_fields = ("zone", "firm")


@admin.register(OutageReport)
class OutageReportAdmin(admin.ModelAdmin):
    list_display = ("zone", "kind", "month", "reported_by", "hours", "is_illustrative")
    list_filter = ("kind", "reported_by", "zone__province", "is_illustrative")
    search_fields = ("zone__name",)
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)
    date_hierarchy = "month"

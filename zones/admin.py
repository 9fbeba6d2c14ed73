from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from investors.models import Firm

from .models import (
    LandDispute,
    Milestone,
    Province,
    ReadinessSnapshot,
    ScoringProfile,
    Sector,
    Target,
    UtilityConnection,
    Zone,
)

PROVENANCE_FIELDS = ("source_url", "verified_on", "is_illustrative")


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


class MilestoneInline(admin.TabularInline):
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
class ZoneAdmin(admin.ModelAdmin):
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
    inlines = (UtilityInline, DisputeInline, MilestoneInline, FirmInline, TargetInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "province", "district", "status", "cpec_priority")}),
        (
            _("Location and land"),
            {"fields": ("latitude", "longitude", "coordinate_precision", "area_acres")},
        ),
        (
            _("Governance"),
            {"fields": ("developer", "zone_authority", "approved_on", "notified_on", "sectors")},
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
class LandDisputeAdmin(admin.ModelAdmin):
    list_display = ("reference", "zone", "status", "affected_acres", "forum", "opened_on")
    list_filter = ("status", "zone__province")
    search_fields = ("reference", "zone__name", "forum", "parties")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
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
class TargetAdmin(admin.ModelAdmin):
    list_display = (
        "zone", "metric", "milestone_code", "value", "target_date", "announced_on",
        "announced_by",
    )  # fmt: skip
    list_filter = ("metric", "zone__province")
    search_fields = ("zone__name", "milestone_code", "announced_by")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)


@admin.register(ReadinessSnapshot)
class ReadinessSnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "zone", "score", "utilities", "land", "milestones", "occupancy", "profile_version",
        "computed_at",
    )  # fmt: skip
    list_filter = ("profile_version", "zone__province")
    search_fields = ("zone__name",)
    list_select_related = ("zone",)
    date_hierarchy = "computed_at"

    def has_add_permission(self, request):
        return False  # snapshots are written by the scoring service only

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoringProfile)
class ScoringProfileAdmin(admin.ModelAdmin):
    """Weights of the readiness score. New profiles are versioned; activating one rescores."""

    list_display = (
        "version", "name", "utilities", "land", "milestones", "occupancy", "is_active",
        "activated_at",
    )  # fmt: skip
    readonly_fields = ("version", "is_active", "activated_at", "created_at", "updated_at")
    fields = (
        "version", "name", "utilities", "land", "milestones", "occupancy", "notes",
        "is_active", "activated_at",
    )  # fmt: skip
    actions = ("activate",)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and (obj.is_active or obj.activated_at):
            # Snapshots name the version they were scored with: its weights stay as they were.
            fields = (*fields, "utilities", "land", "milestones", "occupancy")
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_active or obj.activated_at or obj.version == 1):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        from .services import scoring_profile_create

        if change:
            super().save_model(request, obj, form, change)
            return
        created = scoring_profile_create(
            name=obj.name,
            notes=obj.notes,
            utilities=obj.utilities,
            land=obj.land,
            milestones=obj.milestones,
            occupancy=obj.occupancy,
        )
        obj.pk, obj.version = created.pk, created.version
        obj._state.adding = False

    @admin.action(description=_("Activate the selected profile and recompute every zone"))
    def activate(self, request, queryset):
        from .services import scoring_profile_activate

        if queryset.count() != 1:
            self.message_user(
                request, _("Select exactly one profile to activate."), level=messages.ERROR
            )
            return
        profile = scoring_profile_activate(profile=queryset.get())
        self.message_user(
            request,
            _("Scoring profile version %(version)s is active; every zone is being rescored.")
            % {"version": profile.version},
            level=messages.SUCCESS,
        )

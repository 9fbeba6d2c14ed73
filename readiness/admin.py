"""The readiness tables in the admin: snapshots (read only) and scoring profiles.

The models are the zones app's (their admin pages stay under /admin/zones/); the writes
go through :mod:`readiness.services`.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from zones.models import ReadinessSnapshot, ScoringProfile

from . import services


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
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.scoring_profile_create(
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
        if queryset.count() != 1:
            self.message_user(
                request, _("Select exactly one profile to activate."), level=messages.ERROR
            )
            return
        profile = services.scoring_profile_activate(profile=queryset.get())
        self.message_user(
            request,
            _("Scoring profile version %(version)s is active; every zone is being rescored.")
            % {"version": profile.version},
            level=messages.SUCCESS,
        )

"""Policy events are national: administrators keep them here (and through the bundle).
Applications are kept here too; editors propose changes to them in the workspace."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Application, PolicyEvent

PROVENANCE_FIELDS = ("source_url", "verified_on", "is_illustrative")


@admin.register(PolicyEvent)
class PolicyEventAdmin(SimpleHistoryAdmin):
    list_display = (
        "date", "reference", "title", "level", "province", "effect", "incentive",
        "is_illustrative",
    )  # fmt: skip
    list_filter = ("level", "effect", "province", "is_illustrative")
    search_fields = ("reference", "title", "instrument", "incentive")
    list_select_related = ("province",)
    autocomplete_fields = ("zones",)
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("reference", "date", "title", "instrument", "effect", "incentive")}),
        (_("Scope"), {"fields": ("level", "province", "zones")}),
        (_("Provenance"), {"fields": PROVENANCE_FIELDS}),
    )


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = (
        "reference", "zone", "applicant", "kind", "applied_on", "decided_on", "decision",
        "is_illustrative",
    )  # fmt: skip
    list_filter = ("kind", "decision", "zone__province", "is_illustrative")
    search_fields = ("reference", "applicant", "zone__name")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)
    date_hierarchy = "applied_on"

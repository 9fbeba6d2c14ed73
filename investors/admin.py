from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AnnualReturn, Firm

FIGURES_FROM_RETURNS = ("jobs_actual", "exports_usd", "export_markets")


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = (
        "name", "zone", "sector", "origin_country", "ownership", "status", "allotted_acres",
        "jobs_actual", "is_illustrative",
    )  # fmt: skip
    list_filter = ("status", "ownership", "origin_country", "sector", "zone__province")
    search_fields = ("name", "zone__name")
    list_select_related = ("zone", "sector")
    autocomplete_fields = ("zone", "sector")

    def get_readonly_fields(self, request, obj=None):
        """A firm with annual returns takes its jobs, exports and markets from its latest
        return (a database trigger): they are shown, not edited, here."""
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.annual_returns.exists():
            return (*fields, *FIGURES_FROM_RETURNS)
        return fields


TRADE_FIELDS = (
    "exports_usd", "export_markets", "domestic_sales_usd", "imports_usd", "local_inputs_share",
    "investment_to_date_usd",
)  # fmt: skip


@admin.register(AnnualReturn)
class AnnualReturnAdmin(admin.ModelAdmin):
    list_display = (
        "firm", "zone", "year", "employees", "exports_usd", "imports_usd", "is_illustrative",
    )  # fmt: skip
    list_filter = ("year", "zone__province", "is_illustrative")
    search_fields = ("firm__name", "zone__name")
    list_select_related = ("zone", "firm")
    autocomplete_fields = ("zone", "firm")
    fieldsets = (
        (None, {"fields": ("zone", "firm", "year")}),
        (
            _("Workers"),
            {"fields": ("employees", "employees_local", "employees_women", "employees_trained")},
        ),
        (
            _("Trade and investment"),
            {"fields": TRADE_FIELDS},
        ),
        (_("Provenance"), {"fields": ("source_url", "verified_on", "is_illustrative")}),
    )

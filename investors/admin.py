from django.contrib import admin

from .models import Firm


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

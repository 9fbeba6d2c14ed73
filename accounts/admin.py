from django.contrib import admin

from .models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "zone", "province")
    list_filter = ("role", "province")
    search_fields = ("user__username", "user__email", "zone__name")
    autocomplete_fields = ("user", "zone")
    list_select_related = ("user", "zone", "province")

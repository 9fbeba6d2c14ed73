from django.contrib import admin

from .models import ChangeRequest


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ("zone", "kind", "record_id", "status", "submitted_by", "submitted_at")
    list_filter = ("status", "kind", "zone__province")
    search_fields = ("zone__name", "comment", "review_note")
    list_select_related = ("zone", "submitted_by")
    readonly_fields = [field.name for field in ChangeRequest._meta.fields]

    def has_add_permission(self, request):
        return False  # updates are submitted through the workspace

from django.contrib import admin

from .models import RomeJob


@admin.register(RomeJob)
class RomeJobAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "is_digital"]
    list_filter = ["is_digital"]
    search_fields = ["code", "label"]
    fields = ["code", "label", "is_digital", "description"]
    readonly_fields = ["code", "label", "is_digital"]  # loaded by `manage.py load_rome`

    def has_add_permission(self, request):
        return False  # its code (the primary key) comes only from the ROME file

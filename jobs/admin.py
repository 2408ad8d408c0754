from django.contrib import admin

from .models import Partner, PartnerMembership


class PartnerMembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "siret", "qualiopi"]
    list_filter = ["kind", "qualiopi", "regions"]
    search_fields = ["name", "siret"]
    filter_horizontal = ["regions"]
    raw_id_fields = ["communes"]
    inlines = [PartnerMembershipInline]

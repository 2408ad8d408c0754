"""Admin: territories come from the official files through management commands, so imported fields
are read-only here; staff can search, filter and read them (and delete sample QPV/FRR rows)."""

from django.contrib import admin

from .models import QPV, Commune, CommunePostalCode, Departement, ReferenceDataVersion, Region, RuralZone


class ImportedOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + [
            field.name for field in self.model._meta.many_to_many
        ]


@admin.register(Region)
class RegionAdmin(ImportedOnlyAdmin):
    list_display = ["code", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Departement)
class DepartementAdmin(ImportedOnlyAdmin):
    list_display = ["code", "name", "region", "zone"]
    list_filter = ["zone", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


class PostalCodeInline(admin.TabularInline):
    model = CommunePostalCode
    extra = 0
    can_delete = False
    readonly_fields = ["code"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(ImportedOnlyAdmin):
    list_display = ["name", "code", "kind", "departement", "postal_codes", "population", "is_active"]
    list_filter = ["kind", "is_active", "departement__region"]
    list_select_related = ["departement"]
    search_fields = ["code", "name", "search_name", "postal_code_rows__code"]
    show_full_result_count = False
    inlines = [PostalCodeInline]

    def has_delete_permission(self, request, obj=None):
        return False


class QPVCommuneInline(admin.TabularInline):
    model = QPV.communes.through
    extra = 0
    can_delete = False
    readonly_fields = ["commune"]
    verbose_name = "commune"
    verbose_name_plural = "communes"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune__departement")


@admin.register(QPV)
class QPVAdmin(ImportedOnlyAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "is_sample", "source"]
    list_filter = ["is_sample", "valid_from", "valid_to"]
    search_fields = ["code", "name", "communes__name", "communes__code"]
    inlines = [QPVCommuneInline]
    exclude = ["communes"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(RuralZone)
class RuralZoneAdmin(ImportedOnlyAdmin):
    list_display = ["commune", "classification", "valid_from", "valid_to", "is_sample", "source"]
    list_filter = ["classification", "is_sample", "valid_from", "commune__departement"]
    list_select_related = ["commune__departement"]
    search_fields = ["commune__name", "commune__code"]


@admin.register(ReferenceDataVersion)
class ReferenceDataVersionAdmin(ImportedOnlyAdmin):
    list_display = ["name", "checksum", "row_count", "loaded_at"]

    def has_delete_permission(self, request, obj=None):
        return False

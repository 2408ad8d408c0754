"""Admin for agencies and their advisers. Inviting an adviser into an agency goes through the
agencies page (`programs:adviser_agencies`), which sends the invitation e-mail."""

from django.contrib import admin

from programs.models import (
    AdviserMembership,
    Agency,
    AgencyInvitation,
    SessionEmailInvitation,
    SessionPhoneInvitation,
)


class AdviserMembershipInline(admin.TabularInline):
    model = AdviserMembership
    extra = 0
    fields = ["user", "is_head", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "departement", "created_at"]
    list_filter = ["kind", "departement__region"]
    search_fields = ["name", "departement__code", "departement__name"]
    raw_id_fields = ["departement"]
    list_select_related = ["departement"]
    inlines = [AdviserMembershipInline]


@admin.register(AdviserMembership)
class AdviserMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "is_head", "created_at"]
    list_filter = ["is_head", "agency__kind"]
    search_fields = ["user__email", "user__last_name", "agency__name"]
    raw_id_fields = ["user", "agency"]
    list_select_related = ["user", "agency__departement"]


@admin.register(AgencyInvitation)
class AgencyInvitationAdmin(admin.ModelAdmin):
    list_display = ["invitation", "agency", "is_head"]
    search_fields = ["invitation__email", "agency__name"]
    raw_id_fields = ["invitation", "agency"]
    list_select_related = ["invitation", "agency__departement"]


@admin.register(SessionEmailInvitation)
class SessionEmailInvitationAdmin(admin.ModelAdmin):
    """Read-only: these rows are the funnel's "invited" figure, written when the e-mail is queued."""

    list_display = ["email", "session", "adviser", "created_at"]
    list_filter = ["session"]
    search_fields = ["email", "adviser__email"]
    list_select_related = ["session", "adviser"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SessionPhoneInvitation)
class SessionPhoneInvitationAdmin(admin.ModelAdmin):
    """Read-only: written when the SMS is queued."""

    list_display = ["phone", "session", "adviser", "created_at"]
    list_filter = ["session"]
    search_fields = ["phone", "adviser__email"]
    list_select_related = ["session", "adviser"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

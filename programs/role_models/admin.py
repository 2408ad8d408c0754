"""Admin for role models and talks. Seats and registrations change through the pages, which call
the booking engine (the admin does not edit registrations: the seat counter would drift)."""

from django.contrib import admin

from .models import RoleModel, Talk, TalkRegistration


@admin.register(RoleModel)
class RoleModelAdmin(admin.ModelAdmin):
    list_display = ["first_name", "last_name", "job_title", "rome", "town", "is_active"]
    list_filter = ["is_active", "sessions"]
    search_fields = ["first_name", "last_name", "job_title", "employer"]
    raw_id_fields = ["rome"]
    filter_horizontal = ["sessions"]


class TalkRegistrationInline(admin.TabularInline):
    model = TalkRegistration
    extra = 0
    can_delete = False
    fields = ["job_seeker", "status", "round", "booked_at", "offer_expires_at", "joined_at", "attended"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "starts_at", "duration_minutes", "seats", "seats_taken", "status"]
    list_filter = ["status", "session"]
    search_fields = ["title"]
    filter_horizontal = ["role_models"]
    raw_id_fields = ["host"]
    readonly_fields = ["seats_taken", "sequence", "status", "rescheduled_at", "cancelled_at", "created_at"]
    list_select_related = ["session"]
    inlines = [TalkRegistrationInline]


@admin.register(TalkRegistration)
class TalkRegistrationAdmin(admin.ModelAdmin):
    list_display = ["job_seeker", "talk", "status", "booked_at", "attended"]
    list_filter = ["status", "attended"]
    search_fields = ["job_seeker__email", "talk__title"]
    raw_id_fields = ["talk", "enrolment", "job_seeker", "attendance_marked_by"]
    list_select_related = ["job_seeker", "talk"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

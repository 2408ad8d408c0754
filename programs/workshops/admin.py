"""Admin for workshops: reading and small fixes. Seat and booking changes go through the pages,
which call the services (the admin does not edit bookings: the seat counter would drift)."""

from django.contrib import admin

from .models import Workshop, WorkshopBooking


class WorkshopBookingInline(admin.TabularInline):
    model = WorkshopBooking
    extra = 0
    can_delete = False
    fields = ["job_seeker", "status", "round", "booked_at", "offer_expires_at", "attended", "feedback"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "starts_at", "seats", "seats_taken", "status"]
    list_filter = ["status", "topic", "session"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["facilitators"]
    readonly_fields = [
        "seats_taken",
        "sequence",
        "status",
        "cancelled_at",
        "copied_from",
        "created_by",
        "created_at",
    ]
    list_select_related = ["session"]
    inlines = [WorkshopBookingInline]


@admin.register(WorkshopBooking)
class WorkshopBookingAdmin(admin.ModelAdmin):
    list_display = ["job_seeker", "workshop", "status", "booked_at", "attended"]
    list_filter = ["status", "attended"]
    search_fields = ["job_seeker__email", "workshop__title"]
    raw_id_fields = ["workshop", "enrolment", "job_seeker", "attendance_marked_by"]
    list_select_related = ["job_seeker", "workshop"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from .models import MeetingBooking, MeetingSlot, Training, TrainingInterest, TrainingStart


class TrainingStartInline(admin.TabularInline):
    model = TrainingStart
    extra = 1


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "format", "is_published"]
    list_filter = ["format", "is_published", "gen_label"]
    search_fields = ["title", "body__name"]
    filter_horizontal = ["rome_jobs"]
    raw_id_fields = ["communes"]
    list_select_related = ["body"]
    inlines = [TrainingStartInline]


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    """Seats taken, the status and the SEQUENCE are the booking engine's: read-only here (move,
    cancel and change the seats from the training body's pages, so that everyone is told)."""

    list_display = ["body", "session", "starts_at", "seats", "seats_taken", "status"]
    list_filter = ["status"]
    list_select_related = ["body", "session"]
    readonly_fields = ["seats_taken", "status", "sequence", "rescheduled_at", "cancelled_at"]
    raw_id_fields = ["session", "training"]


@admin.register(MeetingBooking)
class MeetingBookingAdmin(admin.ModelAdmin):
    """Bookings change through the booking engine only (seats, queue, notices): read-only here."""

    list_display = ["job_seeker", "slot", "status", "booked_at", "attended"]
    list_filter = ["status", "attended"]
    search_fields = ["job_seeker__email", "slot__body__name"]
    raw_id_fields = ["slot", "enrolment", "job_seeker", "attendance_marked_by"]
    list_select_related = ["job_seeker", "slot__body"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(TrainingInterest)

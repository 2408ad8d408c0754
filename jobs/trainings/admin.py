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
    list_display = ["body", "session", "starts_at", "seats"]
    list_select_related = ["body", "session"]


admin.site.register(MeetingBooking)
admin.site.register(TrainingInterest)

from django.contrib import admin

from .models import (
    Application,
    JobOffer,
    MeetingBooking,
    MeetingSlot,
    Partner,
    PartnerMembership,
    RomeJob,
    Training,
    TrainingInterest,
    TrainingStart,
)


@admin.register(RomeJob)
class RomeJobAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "is_digital"]
    list_filter = ["is_digital"]
    search_fields = ["code", "label"]
    fields = ["code", "label", "is_digital", "description"]
    readonly_fields = ["code", "label", "is_digital"]  # loaded by `manage.py load_rome`

    def has_add_permission(self, request):
        return False  # its code (the primary key) comes only from the ROME file


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


@admin.register(JobOffer)
class JobOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "company_name", "source", "contract", "expires_on"]
    list_filter = ["source", "contract"]
    search_fields = ["title", "company__name", "company_name", "external_id"]
    raw_id_fields = ["commune", "rome_job"]
    list_select_related = ["company"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # The CV is served only through the permission-checked view, never linked from here.
    list_display = ["job_seeker", "offer", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["cv", "cv_name", "cv_content_type", "created_at", "hired_at"]
    raw_id_fields = ["offer", "job_seeker", "enrolment"]
    list_select_related = ["job_seeker", "offer"]


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ["body", "session", "starts_at", "seats"]
    list_select_related = ["body", "session"]


admin.site.register(MeetingBooking)
admin.site.register(TrainingInterest)

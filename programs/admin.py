from django.contrib import admin

from .models import CalendarFeedToken, Enrolment, JobSeekerProfile, Session, SessionStep, StepProgress


class SessionStepInline(admin.TabularInline):
    model = SessionStep
    extra = 0
    readonly_fields = ["opened_at"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "status", "starts_at", "ends_at", "capacity"]
    list_filter = ["status", "region"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["departements"]
    readonly_fields = ["published_at", "registration_closed_at", "survey_sent_at", "created_at"]
    inlines = [SessionStepInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["job_seeker", "session", "status", "created_at"]
    list_filter = ["status", "session"]
    search_fields = ["job_seeker__email"]
    raw_id_fields = ["job_seeker", "adviser", "commune", "qpv"]
    readonly_fields = ["eligibility", "created_at", "promoted_at", "withdrawn_at"]
    list_select_related = ["job_seeker", "session"]


@admin.register(JobSeekerProfile)
class JobSeekerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "birth_year", "situation"]
    raw_id_fields = ["user", "commune"]
    search_fields = ["user__email"]


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "step", "completed_at", "nudged_at"]
    raw_id_fields = ["enrolment"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]

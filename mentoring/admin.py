from django.contrib import admin

from .models import (
    Feedback,
    MatchProposal,
    MatchRun,
    MenteePreferences,
    MentoringRequest,
    MentorProfile,
    Mentorship,
)


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "employer", "region", "capacity", "active_mentees", "status"]
    list_filter = ["status", "region"]
    search_fields = ["user__email", "user__last_name", "job_title", "employer"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["rome_jobs", "departements"]
    # The counter and approval go through the services (places under lock, e-mail on approval).
    readonly_fields = ["active_mentees", "status", "reviewed_at", "reviewed_by"]


@admin.register(MentoringRequest)
class MentoringRequestAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "mentor", "status", "origin", "score", "created_at", "expires_at"]
    list_filter = ["status", "origin"]
    list_select_related = ["enrolment__job_seeker", "enrolment__session", "mentor__user"]
    readonly_fields = [f.name for f in MentoringRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "mentor", "status", "started_at", "ended_at"]
    list_filter = ["status"]
    list_select_related = ["enrolment__job_seeker", "enrolment__session", "mentor__user"]
    readonly_fields = [f.name for f in Mentorship._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["session", "status", "progress", "matched_count", "mentee_count", "created_at"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register([MenteePreferences, Feedback, MatchProposal])

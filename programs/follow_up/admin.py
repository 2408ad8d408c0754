"""Admin for survey responses: read-only, they are the person's own answers."""

from django.contrib import admin

from programs.models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "kind", "sent_at", "reminded_at", "answered_at", "overall", "situation"]
    list_filter = ["kind", "situation", "overall", "enrolment__session"]
    search_fields = ["enrolment__job_seeker__email"]
    date_hierarchy = "sent_at"
    list_select_related = ["enrolment__job_seeker", "enrolment__session"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

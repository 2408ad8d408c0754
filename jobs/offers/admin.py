from django.contrib import admin

from .models import Application, JobOffer


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

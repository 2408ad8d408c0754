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
    raw_id_fields = ["enrolment"]
    readonly_fields = [
        "created_at",
        "joined_at",
        "attendance_marked_at",
        "reminded_day_before_at",
        "reminded_hour_before_at",
    ]


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "starts_at", "duration", "capacity"]
    list_filter = ["session"]
    search_fields = ["title"]
    filter_horizontal = ["role_models"]
    raw_id_fields = ["host"]
    list_select_related = ["session"]
    inlines = [TalkRegistrationInline]

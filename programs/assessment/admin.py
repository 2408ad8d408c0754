from django.contrib import admin

from .models import AssessmentResult, Choice, Question, Questionnaire


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "key", "part", "area", "text"]
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Versions are loaded by `manage.py load_assessment`; only the version in service is switched here."""

    list_display = ["version", "title", "is_active", "created_at"]
    readonly_fields = ["version", "scoring", "created_at"]
    inlines = [QuestionInline]

    def has_add_permission(self, request):
        return False


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "order", "key", "part", "area"]
    list_filter = ["questionnaire", "part"]
    inlines = [ChoiceInline]

    def has_change_permission(self, request, obj=None):
        # A version answered by someone is never rewritten: publish a new version instead.
        return obj is None or not obj.questionnaire.attempts.exists()


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["attempt", "questionnaire_version", "created_at"]
    readonly_fields = ["attempt", "questionnaire_version", "snapshot", "created_at"]
    list_select_related = ["attempt__enrolment__job_seeker", "attempt__enrolment__session"]

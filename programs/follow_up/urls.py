"""Survey URLs, included by `programs/urls.py` in the `programs:` namespace (names `survey_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("questionnaire/<str:token>/", views.survey_answer, name="survey_answer"),
]

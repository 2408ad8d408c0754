"""Skills-assessment URLs, included by `programs/urls.py` in the `programs:` namespace (`assessment_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bilan/<int:pk>/question/", views.assessment_question, name="assessment_question"),
    path("bilan/<int:pk>/terminer/", views.assessment_finish, name="assessment_finish"),
    path("bilan/resultat/<int:pk>/", views.assessment_result, name="assessment_result"),
    path("bilan/resultat/<int:pk>/imprimer/", views.assessment_print, name="assessment_print"),
    path("bilan/resultat/<int:pk>/partage/", views.assessment_share, name="assessment_share"),
    path("<slug:slug>/bilan/", views.assessment_home, name="assessment_home"),
]

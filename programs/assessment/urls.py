"""Skills-assessment URLs, included by `programs/urls.py` in the `programs:` namespace (`assessment_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bilan/<uuid:public_id>/question/", views.assessment_question, name="assessment_question"),
    path("bilan/<uuid:public_id>/terminer/", views.assessment_finish, name="assessment_finish"),
    path("bilan/resultat/<uuid:public_id>/", views.assessment_result, name="assessment_result"),
    path("bilan/resultat/<uuid:public_id>/imprimer/", views.assessment_print, name="assessment_print"),
    path("bilan/resultat/<uuid:public_id>/partage/", views.assessment_share, name="assessment_share"),
    path("bilan/equipe/versions/", views.staff_questionnaires, name="assessment_versions"),
    path("<slug:slug>/bilan/", views.assessment_home, name="assessment_home"),
]

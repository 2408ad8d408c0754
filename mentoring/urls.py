from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    # Mentors
    path("mentor/", views.mentor_dashboard, name="mentor_dashboard"),
    path("mentor/profil/", views.mentor_profile, name="mentor_profile"),
    path("mentor/demandes/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("mentor/demandes/<uuid:public_id>/reponse/", views.answer_request, name="answer_request"),
    path("reponse/<str:token>/", views.answer_by_email, name="answer_by_email"),
    # Mentees
    path("", views.mentee_start, name="mentee_start"),
    path("session/<slug:slug>/", views.mentee_home, name="mentee_home"),
    path("session/<slug:slug>/souhaits/", views.mentee_preferences, name="mentee_preferences"),
    path("session/<slug:slug>/demander/<uuid:public_id>/", views.ask_mentor, name="ask_mentor"),
    path("demandes/<uuid:public_id>/annuler/", views.cancel_request, name="cancel_request"),
    # Mentorships
    path("mentorats/<uuid:public_id>/", views.mentorship_detail, name="mentorship"),
    path("mentorats/<uuid:public_id>/seances/", views.mentorship_log, name="mentorship_log"),
    path("mentorats/<uuid:public_id>/objectifs/", views.mentorship_goals, name="mentorship_goals"),
    path("mentorats/<uuid:public_id>/terminer/", views.mentorship_end, name="mentorship_end"),
    path("mentorats/<uuid:public_id>/avis/", views.feedback, name="feedback"),
    # Staff
    path("equipe/mentors/", views.staff_mentors, name="staff_mentors"),
    path("equipe/mentors/<uuid:public_id>/decision/", views.staff_review_mentor, name="staff_review_mentor"),
    path("equipe/sessions/", views.staff_sessions, name="staff_sessions"),
    path("equipe/sessions/<slug:slug>/", views.staff_session_matching, name="staff_session_matching"),
    path("equipe/appariements/<int:pk>/", views.staff_run, name="staff_run"),
    path("equipe/appariements/<int:pk>/progression/", views.staff_run_progress, name="staff_run_progress"),
    path("equipe/appariements/<int:pk>/publier/", views.staff_run_publish, name="staff_run_publish"),
    path("equipe/appariements/<int:pk>/abandonner/", views.staff_run_discard, name="staff_run_discard"),
    path("equipe/propositions/<uuid:public_id>/", views.staff_proposal, name="staff_proposal"),
]

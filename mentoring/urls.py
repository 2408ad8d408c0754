"""Step 3's pages, included at the site's root (declics/urls.py): the mentee's pages in their
session (`/sessions/<slug>/mentorat/…`, their old addresses redirect), the mentors', the shared
mentorship space and the staff's under `/mentorat/`."""

from django.urls import path

from programs.decorators import moved_to_session

from . import views

app_name = "mentoring"

urlpatterns = [
    # Mentors
    path("mentorat/mentor/", views.mentor_dashboard, name="mentor_dashboard"),
    path("mentorat/mentor/profil/", views.mentor_profile, name="mentor_profile"),
    path("mentorat/mentor/demandes/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("mentorat/mentor/demandes/<uuid:public_id>/reponse/", views.answer_request, name="answer_request"),
    path("mentorat/reponse/<str:token>/", views.answer_by_email, name="answer_by_email"),
    # Mentees, in their session
    path("sessions/<slug:slug>/mentorat/", views.mentee_home, name="mentee_home"),
    path("sessions/<slug:slug>/mentorat/souhaits/", views.mentee_preferences, name="mentee_preferences"),
    path("sessions/<slug:slug>/mentorat/demander/<uuid:public_id>/", views.ask_mentor, name="ask_mentor"),
    # Mentees: the page of their current session ("Mon mentor·e" in the menu), cancelling a request
    path("mentorat/", views.mentee_start, name="mentee_start"),
    path("mentorat/demandes/<uuid:public_id>/annuler/", views.cancel_request, name="cancel_request"),
    # The mentees' old addresses (they named the session already)
    path(
        "mentorat/session/<slug:slug>/", moved_to_session("mentoring:mentee_home"), name="moved_mentee_home"
    ),
    path(
        "mentorat/session/<slug:slug>/souhaits/",
        moved_to_session("mentoring:mentee_preferences"),
        name="moved_mentee_preferences",
    ),
    path(
        "mentorat/session/<slug:slug>/demander/<uuid:public_id>/",
        moved_to_session("mentoring:ask_mentor"),
        name="moved_ask_mentor",
    ),
    # Mentorships
    path("mentorat/mentorats/<uuid:public_id>/", views.mentorship_detail, name="mentorship"),
    path("mentorat/mentorats/<uuid:public_id>/seances/", views.mentorship_log, name="mentorship_log"),
    path("mentorat/mentorats/<uuid:public_id>/objectifs/", views.mentorship_goals, name="mentorship_goals"),
    path("mentorat/mentorats/<uuid:public_id>/terminer/", views.mentorship_end, name="mentorship_end"),
    path("mentorat/mentorats/<uuid:public_id>/avis/", views.feedback, name="feedback"),
    # Staff
    path("mentorat/equipe/mentors/", views.staff_mentors, name="staff_mentors"),
    path(
        "mentorat/equipe/mentors/<uuid:public_id>/decision/",
        views.staff_review_mentor,
        name="staff_review_mentor",
    ),
    path("mentorat/equipe/sessions/", views.staff_sessions, name="staff_sessions"),
    path(
        "mentorat/equipe/sessions/<slug:slug>/", views.staff_session_matching, name="staff_session_matching"
    ),
    path("mentorat/equipe/appariements/<int:pk>/", views.staff_run, name="staff_run"),
    path(
        "mentorat/equipe/appariements/<int:pk>/progression/",
        views.staff_run_progress,
        name="staff_run_progress",
    ),
    path("mentorat/equipe/appariements/<int:pk>/publier/", views.staff_run_publish, name="staff_run_publish"),
    path(
        "mentorat/equipe/appariements/<int:pk>/abandonner/", views.staff_run_discard, name="staff_run_discard"
    ),
    path("mentorat/equipe/propositions/<uuid:public_id>/", views.staff_proposal, name="staff_proposal"),
]

from django.urls import include, path

from . import views

app_name = "programs"

urlpatterns = [
    # The personal calendar feed (every booking of every step); its addresses date from workshops.
    path("ateliers/agenda/<str:token>.ics", views.calendar_feed, name="workshop_feed"),
    path("ateliers/mon-agenda/", views.calendar_feed_settings, name="workshop_feed_settings"),
    # The short link of an adviser's SMS invitation (SessionPhoneInvitation).
    path("invitation/<str:token>/", views.phone_invitation, name="phone_invitation"),
    path("", include("programs.workshops.urls")),
    path("", include("programs.role_models.urls")),
    path("", include("programs.assessment.urls")),
    path("", include("programs.advisers.urls")),
    path("", include("programs.follow_up.urls")),
    path("", include("programs.impact.urls")),
    path("", views.session_list, name="list"),
    path("mon-parcours/", views.my_pathway, name="my_pathway"),
    path("equipe/", views.staff_sessions, name="staff_sessions"),
    path("equipe/", include("programs.console.urls")),
    path("equipe/lancer/", views.launch, name="launch"),
    path("equipe/<slug:slug>/", views.preview, name="preview"),
    path("equipe/<slug:slug>/publier/", views.publish, name="publish"),
    path("<slug:slug>/", views.landing, name="landing"),
    path("<slug:slug>/eligibilite/", views.eligibility, name="eligibility"),
    path("<slug:slug>/inscription/", views.enrol, name="enrol"),
    path("<slug:slug>/parcours/", views.pathway, name="pathway"),
    path("<slug:slug>/desinscription/", views.withdraw, name="withdraw"),
]

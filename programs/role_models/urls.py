"""Step 1 URLs (talks and digital-job pages), included by `programs/urls.py` (`talk_…`, `jobs_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("temoignages/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("temoignages/<int:pk>/inscription/", views.talk_register, name="talk_register"),
    path("temoignages/<int:pk>/rejoindre/", views.talk_join, name="talk_join"),
    path("temoignages/<int:pk>/invitation.ics", views.talk_ics, name="talk_ics"),
    path("temoignages/<int:pk>/replay/", views.talk_replay, name="talk_replay"),
    path("temoignages/<int:pk>/presences/", views.talk_attendance, name="talk_attendance"),
    path("temoignages/<int:pk>/deplacer/", views.talk_move, name="talk_move"),
    path("temoignages/<int:pk>/annuler/", views.talk_cancel_talk, name="talk_cancel_talk"),
    path("temoignages/inscription/<uuid:public_id>/annuler/", views.talk_cancel, name="talk_cancel"),
    path(
        "temoignages/inscription/<uuid:public_id>/confirmer/",
        views.talk_confirm_offer,
        name="talk_confirm_offer",
    ),
    path("equipe/modeles/", views.staff_role_models, name="staff_role_models"),
    path("equipe/modeles/ajouter/", views.staff_role_model_create, name="staff_role_model_create"),
    path("equipe/modeles/<int:pk>/", views.staff_role_model, name="staff_role_model"),
    path("equipe/modeles/<int:pk>/actif/", views.staff_role_model_active, name="staff_role_model_active"),
    path("equipe/<slug:slug>/temoignages/", views.staff_talks, name="staff_talks"),
    path("equipe/<slug:slug>/temoignages/ajouter/", views.staff_talk_create, name="staff_talk_create"),
    path("temoignages/<int:pk>/modifier/", views.staff_talk_edit, name="staff_talk_edit"),
    path("<slug:slug>/temoignages/", views.talk_list, name="talk_list"),
    path("<slug:slug>/metiers/", views.jobs_list, name="jobs_list"),
    path("<slug:slug>/metiers/<str:code>/", views.jobs_detail, name="jobs_detail"),
]

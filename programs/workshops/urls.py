"""Workshop URLs, included by `programs/urls.py` in the `programs:` namespace (names `workshop_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ateliers/animation/", views.workshop_facilitated, name="workshop_facilitated"),
    path("ateliers/atelier/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("ateliers/atelier/<int:pk>/reserver/", views.workshop_book, name="workshop_book"),
    path("ateliers/atelier/<int:pk>/presences/", views.workshop_attendance, name="workshop_attendance"),
    path("ateliers/atelier/<int:pk>/modifier/", views.workshop_edit, name="workshop_edit"),
    path("ateliers/atelier/<int:pk>/deplacer/", views.workshop_move, name="workshop_move"),
    path(
        "ateliers/atelier/<int:pk>/annuler/", views.workshop_cancel_workshop, name="workshop_cancel_workshop"
    ),
    path("ateliers/reservation/<uuid:public_id>/annuler/", views.workshop_cancel, name="workshop_cancel"),
    path(
        "ateliers/reservation/<uuid:public_id>/confirmer/",
        views.workshop_confirm_offer,
        name="workshop_confirm_offer",
    ),
    path(
        "ateliers/reservation/<uuid:public_id>/invitation.ics",
        views.workshop_booking_ics,
        name="workshop_booking_ics",
    ),
    path("ateliers/reservation/<uuid:public_id>/avis/", views.workshop_feedback, name="workshop_feedback"),
    path("ateliers/equipe/<slug:slug>/", views.workshop_staff_list, name="workshop_staff_list"),
    path("ateliers/equipe/<slug:slug>/nouveau/", views.workshop_create, name="workshop_create"),
    path("<slug:slug>/ateliers/", views.workshop_list, name="workshop_list"),
]

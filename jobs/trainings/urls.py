"""Step 5's pages, included in the `jobs` URL namespace by jobs/urls.py (no namespace of their own)."""

from django.urls import path

from .views import partner, seeker

urlpatterns = [
    # Job seekers
    path("formations/", seeker.trainings, name="trainings"),
    path("formations/<int:pk>/", seeker.training_detail, name="training_detail"),
    path("rencontres/", seeker.meetings, name="meetings"),
    path("rencontres/<int:pk>/reserver/", seeker.book_meeting, name="book_meeting"),
    path("rencontres/reservations/<uuid:public_id>/annuler/", seeker.cancel_meeting, name="cancel_meeting"),
    path("rencontres/reservations/<uuid:public_id>/invitation.ics", seeker.meeting_ics, name="meeting_ics"),
    # Training bodies (and staff)
    path(
        "partenaire/<int:partner_id>/formations/nouvelle/",
        partner.training_edit,
        name="partner_training_create",
    ),
    path(
        "partenaire/<int:partner_id>/formations/<int:pk>/",
        partner.training_edit,
        name="partner_training_edit",
    ),
    path("partenaire/<int:partner_id>/interets/", partner.interests, name="partner_interests"),
    path("partenaire/<int:partner_id>/creneaux/nouveau/", partner.slot_create, name="partner_slot_create"),
    path("partenaire/<int:partner_id>/creneaux/<int:pk>/", partner.slot_detail, name="partner_slot"),
    path(
        "partenaire/<int:partner_id>/reservations/<uuid:public_id>/presence/",
        partner.mark_attendance,
        name="partner_mark_attendance",
    ),
]

"""Step 5's pages, in the `jobs` URL namespace (jobs/urls.py includes them at the site's root).

The job-seeker pages live in the person's session, `/sessions/<slug>/formations/…` and
`…/rencontres/…`; their old addresses under `/emplois/` redirect there for good
(`programs.decorators.moved_to_session`). The training bodies' pages are under `/emplois/partenaire/`.
"""

from django.urls import path

from programs.decorators import moved_to_session

from . import selectors
from .views import partner, seeker

SESSION = "sessions/<slug:slug>/"

urlpatterns = [
    # Job seekers, in their session
    path(f"{SESSION}formations/", seeker.trainings, name="trainings"),
    path(f"{SESSION}formations/<int:pk>/", seeker.training_detail, name="training_detail"),
    path(f"{SESSION}rencontres/", seeker.meetings, name="meetings"),
    path(f"{SESSION}rencontres/<int:pk>/reserver/", seeker.book_meeting, name="book_meeting"),
    path(
        f"{SESSION}rencontres/reservations/<uuid:public_id>/annuler/",
        seeker.cancel_meeting,
        name="cancel_meeting",
    ),
    path(
        f"{SESSION}rencontres/reservations/<uuid:public_id>/confirmer/",
        seeker.confirm_meeting_offer,
        name="confirm_meeting_offer",
    ),
    path(
        f"{SESSION}rencontres/reservations/<uuid:public_id>/invitation.ics",
        seeker.meeting_ics,
        name="meeting_ics",
    ),
    # Their old addresses: the lists open the person's current session (the menu links them so)
    path("emplois/formations/", moved_to_session("jobs:trainings"), name="current_trainings"),
    path("emplois/rencontres/", moved_to_session("jobs:meetings"), name="current_meetings"),
    path(
        "emplois/formations/<int:pk>/",
        moved_to_session("jobs:training_detail"),
        name="moved_training_detail",
    ),
    path(
        "emplois/rencontres/<int:pk>/reserver/",
        moved_to_session("jobs:book_meeting", slug_of=selectors.slot_session_slug),
        name="moved_book_meeting",
    ),
    path(
        "emplois/rencontres/reservations/<uuid:public_id>/annuler/",
        moved_to_session("jobs:cancel_meeting", slug_of=selectors.booking_session_slug),
        name="moved_cancel_meeting",
    ),
    path(
        "emplois/rencontres/reservations/<uuid:public_id>/invitation.ics",
        moved_to_session("jobs:meeting_ics", slug_of=selectors.booking_session_slug),
        name="moved_meeting_ics",
    ),
    # Training bodies (and staff)
    path(
        "emplois/partenaire/<int:partner_id>/formations/nouvelle/",
        partner.training_edit,
        name="partner_training_create",
    ),
    path(
        "emplois/partenaire/<int:partner_id>/formations/<int:pk>/",
        partner.training_edit,
        name="partner_training_edit",
    ),
    path("emplois/partenaire/<int:partner_id>/interets/", partner.interests, name="partner_interests"),
    path(
        "emplois/partenaire/<int:partner_id>/creneaux/nouveau/",
        partner.slot_create,
        name="partner_slot_create",
    ),
    path("emplois/partenaire/<int:partner_id>/creneaux/<int:pk>/", partner.slot_detail, name="partner_slot"),
    path(
        "emplois/partenaire/<int:partner_id>/creneaux/<int:pk>/modifier/",
        partner.slot_edit,
        name="partner_slot_edit",
    ),
    path(
        "emplois/partenaire/<int:partner_id>/creneaux/<int:pk>/annuler/",
        partner.slot_cancel,
        name="partner_slot_cancel",
    ),
    path(
        "emplois/partenaire/<int:partner_id>/reservations/<uuid:public_id>/presence/",
        partner.mark_attendance,
        name="partner_mark_attendance",
    ),
]

from django.urls import path

from .views import partner, seeker

app_name = "jobs"

urlpatterns = [
    # Job seekers: step 5
    path("formations/", seeker.trainings, name="trainings"),
    path("formations/<int:pk>/", seeker.training_detail, name="training_detail"),
    path("rencontres/", seeker.meetings, name="meetings"),
    path("rencontres/<int:pk>/reserver/", seeker.book_meeting, name="book_meeting"),
    path("rencontres/reservations/<uuid:public_id>/annuler/", seeker.cancel_meeting, name="cancel_meeting"),
    path("rencontres/reservations/<uuid:public_id>/invitation.ics", seeker.meeting_ics, name="meeting_ics"),
    # Job seekers: step 6
    path("offres/", seeker.offers, name="offers"),
    path("offres/<int:pk>/", seeker.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/postuler/", seeker.apply, name="apply"),
    path("candidatures/", seeker.my_applications, name="my_applications"),
    path("candidatures/<uuid:public_id>/retirer/", seeker.withdraw, name="withdraw"),
    path("candidatures/<uuid:public_id>/cv/", seeker.application_cv, name="application_cv"),
    # Partners (and staff)
    path("partenaire/", partner.partner_home, name="partner_home"),
    path("partenaire/<int:partner_id>/", partner.partner_dashboard, name="partner_dashboard"),
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
    path("partenaire/<int:partner_id>/offres/nouvelle/", partner.offer_edit, name="partner_offer_create"),
    path("partenaire/<int:partner_id>/offres/<int:pk>/", partner.offer_edit, name="partner_offer_edit"),
    path(
        "partenaire/<int:partner_id>/offres/<int:pk>/candidatures/",
        partner.offer_applications,
        name="partner_offer_applications",
    ),
    path(
        "partenaire/<int:partner_id>/candidatures/<uuid:public_id>/",
        partner.application_detail,
        name="partner_application",
    ),
]

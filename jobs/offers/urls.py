"""Step 6's pages, included in the `jobs` URL namespace by jobs/urls.py (no namespace of their own)."""

from django.urls import path

from .views import partner, seeker

urlpatterns = [
    # Job seekers
    path("offres/", seeker.offers, name="offers"),
    path("offres/<int:pk>/", seeker.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/postuler/", seeker.apply, name="apply"),
    path("candidatures/", seeker.my_applications, name="my_applications"),
    path("candidatures/<uuid:public_id>/retirer/", seeker.withdraw, name="withdraw"),
    path("candidatures/<uuid:public_id>/cv/", seeker.application_cv, name="application_cv"),
    # Companies (and staff)
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

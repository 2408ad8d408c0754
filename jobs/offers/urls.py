"""Step 6's pages, in the `jobs` URL namespace (jobs/urls.py includes them at the site's root).

The job-seeker pages live in the person's session, `/sessions/<slug>/offres/…` and
`…/candidatures/…`; their old addresses under `/emplois/` redirect there for good
(`programs.decorators.moved_to_session`). The companies' pages are under `/emplois/partenaire/`,
and a CV stays at `/emplois/candidatures/<id>/cv/`: a file for the company's pages (its author
and staff may open it too), not a page of the person's session.
"""

from django.urls import path

from programs.decorators import moved_to_session

from . import selectors
from .views import partner, seeker, staff

SESSION = "sessions/<slug:slug>/"

urlpatterns = [
    # Job seekers, in their session
    path(f"{SESSION}offres/", seeker.offers, name="offers"),
    path(f"{SESSION}offres/<int:pk>/", seeker.offer_detail, name="offer_detail"),
    path(f"{SESSION}offres/<int:pk>/postuler/", seeker.apply, name="apply"),
    path(f"{SESSION}candidatures/", seeker.my_applications, name="my_applications"),
    path(f"{SESSION}candidatures/<uuid:public_id>/retirer/", seeker.withdraw, name="withdraw"),
    # Their old addresses: the lists open the person's current session (the menu links them so)
    path("emplois/offres/", moved_to_session("jobs:offers"), name="current_offers"),
    path("emplois/candidatures/", moved_to_session("jobs:my_applications"), name="current_applications"),
    path("emplois/offres/<int:pk>/", moved_to_session("jobs:offer_detail"), name="moved_offer_detail"),
    path("emplois/offres/<int:pk>/postuler/", moved_to_session("jobs:apply"), name="moved_apply"),
    path(
        "emplois/candidatures/<uuid:public_id>/retirer/",
        moved_to_session("jobs:withdraw", slug_of=selectors.application_session_slug),
        name="moved_withdraw",
    ),
    path("emplois/candidatures/<uuid:public_id>/cv/", seeker.application_cv, name="application_cv"),
    # Companies (and staff)
    path(
        "emplois/partenaire/<int:partner_id>/offres/nouvelle/",
        partner.offer_edit,
        name="partner_offer_create",
    ),
    path(
        "emplois/partenaire/<int:partner_id>/offres/<int:pk>/",
        partner.offer_edit,
        name="partner_offer_edit",
    ),
    path(
        "emplois/partenaire/<int:partner_id>/offres/<int:pk>/candidatures/",
        partner.offer_applications,
        name="partner_offer_applications",
    ),
    path(
        "emplois/partenaire/<int:partner_id>/candidatures/<uuid:public_id>/",
        partner.application_detail,
        name="partner_application",
    ),
    # Staff: moderation
    path("emplois/equipe/offres/", staff.offers, name="staff_offers"),
    path("emplois/equipe/offres/<int:pk>/", staff.offer, name="staff_offer"),
    path("emplois/equipe/offres/<int:pk>/retirer/", staff.unpublish, name="staff_offer_unpublish"),
    path("emplois/equipe/offres/<int:pk>/remettre-en-ligne/", staff.republish, name="staff_offer_republish"),
]

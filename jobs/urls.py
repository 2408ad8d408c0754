from django.urls import include, path

from . import views

app_name = "jobs"

# Included at the site's root: the rooms' job-seeker pages are under `/sessions/<slug>/…`, the
# partners' pages (and the old job-seeker addresses, which redirect) under `/emplois/`. The rooms'
# pages join this namespace (`jobs:trainings`, `jobs:offers`…).
urlpatterns = [
    path("", include("jobs.trainings.urls")),  # step 5
    path("", include("jobs.offers.urls")),  # step 6
    # Partners (and staff)
    path("emplois/partenaire/", views.partner_home, name="partner_home"),
    path("emplois/partenaire/<int:partner_id>/", views.partner_dashboard, name="partner_dashboard"),
    # Staff: partners and their users
    path("emplois/equipe/partenaires/", views.staff_partners, name="staff_partners"),
    path("emplois/equipe/partenaires/nouveau/", views.staff_partner_create, name="staff_partner_create"),
    path("emplois/equipe/partenaires/<int:partner_id>/", views.staff_partner, name="staff_partner"),
    path(
        "emplois/equipe/partenaires/<int:partner_id>/inviter/",
        views.staff_partner_invite,
        name="staff_partner_invite",
    ),
    path(
        "emplois/equipe/partenaires/<int:partner_id>/rattacher/",
        views.staff_partner_link,
        name="staff_partner_link",
    ),
    path(
        "emplois/equipe/partenaires/<int:partner_id>/retirer/",
        views.staff_partner_unlink,
        name="staff_partner_unlink",
    ),
]

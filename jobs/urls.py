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
]

from django.urls import include, path

from . import views

app_name = "jobs"

# The rooms' pages join this namespace (`jobs:trainings`, `jobs:offers`…): their names do not change.
urlpatterns = [
    path("", include("jobs.trainings.urls")),  # step 5
    path("", include("jobs.offers.urls")),  # step 6
    # Partners (and staff)
    path("partenaire/", views.partner_home, name="partner_home"),
    path("partenaire/<int:partner_id>/", views.partner_dashboard, name="partner_dashboard"),
]

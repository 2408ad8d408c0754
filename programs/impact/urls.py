"""Impact URLs, included by `programs/urls.py` in the `programs:` namespace (names `impact_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("impact/", views.impact_dashboard, name="impact_dashboard"),
    path("<slug:slug>/impact/", views.impact_session, name="impact_session"),
]

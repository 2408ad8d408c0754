"""Adviser URLs, included by `programs/urls.py` in the `programs:` namespace (names `adviser_…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("conseiller/", views.adviser_sessions, name="adviser_sessions"),
    path("conseiller/agences/", views.adviser_agencies, name="adviser_agencies"),
    path("conseiller/<slug:slug>/", views.adviser_dashboard, name="adviser_dashboard"),
    path("conseiller/<slug:slug>/export.xlsx", views.adviser_export, name="adviser_export"),
    path("conseiller/<slug:slug>/inviter/", views.adviser_invite, name="adviser_invite"),
    path("conseiller/<slug:slug>/personne/<uuid:public_id>/", views.adviser_person, name="adviser_person"),
]

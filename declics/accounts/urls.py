from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("double-authentification/continuer/", views.second_factor_continue, name="second_factor_continue"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

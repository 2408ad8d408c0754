from django.urls import path

from . import privacy_views, views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("mes-donnees/", privacy_views.privacy, name="privacy"),
    path("mes-donnees/telecharger/", privacy_views.privacy_export, name="privacy_export"),
    path("supprimer-mon-compte/", privacy_views.privacy_delete, name="privacy_delete"),
    path("compte-supprime/", privacy_views.privacy_deleted, name="privacy_deleted"),
    path("double-authentification/continuer/", views.second_factor_continue, name="second_factor_continue"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("double-authentification/continuer/", views.second_factor_continue, name="second_factor_continue"),
    path("invitations/", views.invitations, name="invitations"),
    path("equipe/comptes/", views.staff_users, name="staff_users"),
    path("equipe/comptes/role/", views.staff_user_role, name="staff_user_role"),
    path("equipe/comptes/desactiver/", views.staff_user_deactivate, name="staff_user_deactivate"),
    path("equipe/comptes/reactiver/", views.staff_user_reactivate, name="staff_user_reactivate"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

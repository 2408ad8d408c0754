from django.urls import path

from . import views

app_name = "privacy"

# Under /compte/, beside the account's own pages (the addresses have not changed).
urlpatterns = [
    path("mes-donnees/", views.data, name="data"),
    path("mes-donnees/telecharger/", views.export, name="export"),
    path("supprimer-mon-compte/", views.delete, name="delete"),
    path("compte-supprime/", views.deleted, name="deleted"),
]

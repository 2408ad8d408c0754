from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("communes/", views.find_commune, name="find_commune"),
    path("communes/recherche/", views.commune_search, name="commune_search"),
]

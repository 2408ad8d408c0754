from django.urls import path

from . import views

urlpatterns = [
    path("modeles-de-session/", views.template_list, name="template_list"),
    path("modeles-de-session/lancer/", views.launch_from_template, name="template_launch"),
    path("<slug:slug>/enregistrer-comme-modele/", views.save_as_template, name="template_save"),
]

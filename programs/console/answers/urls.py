from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/reponses/", views.answers, name="console_answers"),
    path("<slug:slug>/reponses/export/", views.export, name="console_answers_export"),
]

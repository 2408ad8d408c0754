from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/messages/", views.message_history, name="console_messages"),
    path("<slug:slug>/messages/ecrire/", views.compose, name="console_message_compose"),
]

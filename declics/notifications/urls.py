from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("compte/messages/", views.preferences_page, name="preferences"),
    path("messages/desabonnement/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/calendrier/", views.session_calendar, name="session_calendar"),
    path("<slug:slug>/places/", views.session_places, name="session_places"),
    path("<slug:slug>/textes/", views.session_texts, name="session_texts"),
    path("<slug:slug>/cloturer/", views.session_close_registrations, name="session_close_registrations"),
    path("<slug:slug>/archiver/", views.session_archive, name="session_archive"),
    path("<slug:slug>/annuler/", views.session_cancel, name="session_cancel"),
]

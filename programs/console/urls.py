"""The console's addresses, under /sessions/equipe/ (each area includes its own patterns)."""

from django.urls import include, path

urlpatterns = [
    path("", include("programs.console.reference.urls")),
    path("", include("programs.console.sessions.urls")),
]

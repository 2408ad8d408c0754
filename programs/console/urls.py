"""The console's addresses, under /sessions/equipe/ (each area includes its own patterns)."""

from django.urls import include, path

urlpatterns = [
    path("", include("programs.console.messages.urls")),
    path("", include("programs.console.answers.urls")),
    path("", include("programs.console.audit.urls")),
    path("", include("programs.console.delivery.urls")),
    path("", include("programs.console.people.urls")),
    path("", include("programs.console.reference.urls")),
    path("", include("programs.console.templates.urls")),
    path("", include("programs.console.sessions.urls")),
]

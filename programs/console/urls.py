"""The console's addresses, under /sessions/equipe/ (each area includes its own patterns)."""

urlpatterns = []

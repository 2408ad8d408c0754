from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Step 4, online workshops.

    Its models keep the `programs` app label: their tables and migrations stay the programs app's.
    """

    name = "programs.workshops"
    label = "workshops"

    def ready(self):
        from . import services  # noqa: F401  (registers the step's session-copy hook)

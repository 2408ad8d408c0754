from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Step 4, online workshops.

    Its models keep the `programs` app label: their tables and migrations stay the programs app's.
    """

    name = "programs.workshops"
    label = "workshops"

    def ready(self):
        from programs import registry

        from .step import ENTRY

        registry.register(ENTRY)

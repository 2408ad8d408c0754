from django.apps import AppConfig


class RoleModelsConfig(AppConfig):
    """Step 1, role models and their talks.

    Its models keep the `programs` app label: their tables and migrations stay the programs app's.
    """

    name = "programs.role_models"
    label = "role_models"

    def ready(self):
        from programs import registry

        from .step import ENTRY

        registry.register(ENTRY)

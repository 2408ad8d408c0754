from django.apps import AppConfig


class RoleModelsConfig(AppConfig):
    """Step 1, role models and their talks.

    Its models keep the `programs` app label: their tables and migrations stay the programs app's.
    """

    name = "programs.role_models"
    label = "role_models"

    def ready(self):
        from declics import personal_data
        from programs import registry
        from programs.bookings import kinds

        from .kind import TALKS
        from .privacy import PERSONAL_DATA
        from .step import ENTRY

        registry.register(ENTRY)
        kinds.register(TALKS)
        personal_data.register(PERSONAL_DATA)

from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Step 4, online workshops.

    Its models keep the `programs` app label: their tables and migrations stay the programs app's.
    """

    name = "programs.workshops"
    label = "workshops"

    def ready(self):
        from declics import personal_data
        from programs import registry
        from programs.bookings import kinds

        from .kind import WORKSHOPS
        from .privacy import PERSONAL_DATA
        from .step import ENTRY

        registry.register(ENTRY)
        kinds.register(WORKSHOPS)
        personal_data.register(PERSONAL_DATA)

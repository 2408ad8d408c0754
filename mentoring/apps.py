from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"

    def ready(self):
        from declics import personal_data
        from programs import registry

        from .privacy import PERSONAL_DATA
        from .step import ENTRY

        registry.register(ENTRY)
        personal_data.register(PERSONAL_DATA)

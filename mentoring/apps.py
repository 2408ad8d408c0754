from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"

    def ready(self):
        from programs import registry

        from .step import ENTRY

        registry.register(ENTRY)

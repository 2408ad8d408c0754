from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"

    def ready(self):
        from programs import registry

        from .step import OFFERS, TRAININGS

        registry.register(TRAININGS)
        registry.register(OFFERS)

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"

    def ready(self):
        from declics import personal_data

        from .privacy import PERSONAL_DATA

        personal_data.register(PERSONAL_DATA)

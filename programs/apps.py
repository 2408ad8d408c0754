from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self):
        from declics import personal_data

        from .privacy import PERSONAL_DATA

        personal_data.register(PERSONAL_DATA)

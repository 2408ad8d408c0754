from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Step 2, the skills assessment.

    Its models keep the `programs` app label: their tables and migrations stay the programs app's.
    """

    name = "programs.assessment"
    label = "assessment"

    def ready(self):
        from declics import personal_data
        from programs import registry

        from .privacy import PERSONAL_DATA
        from .step import ENTRY

        registry.register(ENTRY)
        personal_data.register(PERSONAL_DATA)

from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    """Step 5: training bodies' trainings, meeting slots and bookings, interests.

    Its models keep the `jobs` app label (their tables and migrations stay with the jobs app).
    """

    name = "jobs.trainings"
    label = "trainings"

    def ready(self):
        from declics import personal_data
        from jobs.models import PartnerKind
        from jobs.views import register_dashboard_section
        from programs import registry
        from programs.bookings import kinds

        from .kind import MEETINGS
        from .privacy import PERSONAL_DATA
        from .selectors import partner_dashboard
        from .step import ENTRY

        registry.register(ENTRY)
        kinds.register(MEETINGS)
        personal_data.register(PERSONAL_DATA)

        # The dashboard of training bodies shows this room's block.
        register_dashboard_section(
            PartnerKind.TRAINING_BODY,
            template="jobs/trainings/partner/dashboard.html",
            context=partner_dashboard,
        )

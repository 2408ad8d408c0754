from django.apps import AppConfig


class OffersConfig(AppConfig):
    """Step 6: job offers (partners' and France Travail's), applications with their CVs.

    Its models keep the `jobs` app label (their tables and migrations stay with the jobs app).
    """

    name = "jobs.offers"
    label = "offers"

    def ready(self):
        from declics import personal_data
        from jobs.models import PartnerKind
        from jobs.views import register_dashboard_section
        from programs import registry

        from .privacy import PERSONAL_DATA
        from .selectors import partner_dashboard
        from .step import ENTRY

        registry.register(ENTRY)
        personal_data.register(PERSONAL_DATA)

        # The dashboard of companies shows this room's block.
        register_dashboard_section(
            PartnerKind.COMPANY, template="jobs/offers/partner/dashboard.html", context=partner_dashboard
        )

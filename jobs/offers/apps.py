from django.apps import AppConfig


class OffersConfig(AppConfig):
    """Step 6: job offers (partners' and France Travail's), applications with their CVs.

    Its models keep the `jobs` app label (their tables and migrations stay with the jobs app).
    """

    name = "jobs.offers"
    label = "offers"

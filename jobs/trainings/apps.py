from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    """Step 5: training bodies' trainings, meeting slots and bookings, interests.

    Its models keep the `jobs` app label (their tables and migrations stay with the jobs app).
    """

    name = "jobs.trainings"
    label = "trainings"

from django.apps import AppConfig


class FollowUpConfig(AppConfig):
    """The follow-up surveys (satisfaction, then 3 and 6 months on): pages above the steps, on
    the spine's models.

    An app of its own so that its admin and tasks are found; it has no models.
    """

    name = "programs.follow_up"
    label = "follow_up"

from django.apps import AppConfig


class AdvisersConfig(AppConfig):
    """The advisers' pages (their sessions, a session's dashboard, a person, the export, invitations)
    and the agencies: pages above the steps, on the spine's models.

    An app of its own so that its admin and tasks are found; it has no models.
    """

    name = "programs.advisers"
    label = "advisers"

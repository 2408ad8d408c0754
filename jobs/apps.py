from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"

    def ready(self):
        from declics import personal_data
        from declics.accounts import services as account_services

        from . import services
        from .privacy import PERSONAL_DATA

        personal_data.register(PERSONAL_DATA)
        # A partner user invited by staff from a partner's page joins that partner when they accept.
        account_services.register_invitation_hook(
            "jobs.partner",
            account_services.InvitationHook(
                invited=services.record_invitation_partner, accepted=services.attach_invited_partner_user
            ),
        )

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self):
        from declics import personal_data
        from declics.accounts import services as account_services

        from .landing import register_landings
        from .privacy import PERSONAL_DATA
        from .services import advisers

        personal_data.register(PERSONAL_DATA)
        register_landings()  # each role's space after login
        # An adviser invited into an agency joins it when they accept.
        account_services.register_invitation_hook(
            "programs.agency",
            account_services.InvitationHook(
                invited=advisers.record_invitation_agency, accepted=advisers.attach_invited_adviser
            ),
        )

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.utils.translation import gettext_lazy as _


# (Django's AdminConfig is reached through its module: a second default AppConfig in this module's
# namespace would make "declics.accounts" ambiguous.)
class AccountsConfig(AppConfig):
    name = "declics.accounts"
    label = "accounts"
    verbose_name = _("Comptes")
    default = True

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from auditlog.signals import pre_log
        from django.utils.autoreload import file_changed

        from declics import audit, fragments, personal_data

        from . import mfa
        from .privacy import PERSONAL_DATA

        mfa_signals.authenticator_added.connect(mfa.on_authenticator_added, dispatch_uid="declics-mfa-added")
        mfa_signals.authenticator_removed.connect(
            mfa.on_authenticator_removed, dispatch_uid="declics-mfa-removed"
        )
        checks.register(check_second_factor_is_enforced, checks.Tags.security)
        personal_data.register(PERSONAL_DATA)
        # The audit log records the team's actions only (declics.audit).
        pre_log.connect(audit.only_team_actions, dispatch_uid="declics-audit-team-only")
        # The base layout's cached parts follow an edited template under runserver (declics.fragments).
        file_changed.connect(fragments.forget_fragments, dispatch_uid="declics-forget-fragments")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that signs in through allauth and needs the second factor."""

    default = False
    default_site = "declics.accounts.admin_site.SecondFactorAdminSite"


def check_second_factor_is_enforced(app_configs, **kwargs):
    """The second factor of staff and advisers rests on one middleware: its absence is an error."""
    from django.conf import settings

    errors = []
    if "allauth.mfa" not in settings.INSTALLED_APPS:
        errors.append(checks.Error("allauth.mfa is not installed.", id="accounts.E001"))
    if "declics.accounts.middleware.SecondFactorMiddleware" not in settings.MIDDLEWARE:
        errors.append(
            checks.Error(
                "SecondFactorMiddleware is not in MIDDLEWARE: staff and advisers would need no "
                "second factor.",
                id="accounts.E002",
            )
        )
    return errors

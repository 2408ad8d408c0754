"""The second factor (allauth.mfa): who needs one, whether this session passed it, and allauth's hooks.

Staff and advisers see other people's data: every page they open needs a session that passed a
second factor (an authenticator app's code, a recovery code or a security key). The rule is
enforced in one place, `declics.accounts.middleware.SecondFactorMiddleware`, for every view,
the Django admin included; everyone else may turn the second factor on from their account menu.

allauth records the authentication steps of a session ("password", "mfa", …); a session passed
the second factor when it holds an "mfa" record: after the code asked at sign-in, a
re-authentication with a code, or the activation of the authenticator (which proves the code too).
"""

import base64
import time

from allauth.account import app_settings as account_settings
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

MFA_METHOD = "mfa"
# The authenticators that sign a person in; recovery codes only stand in for them.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session's signed-in person went through a second factor (no query)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == MFA_METHOD for record in records)


def second_factor_pending(request: HttpRequest) -> bool:
    """A person who must use a second factor is signed in, but this session has not passed it."""
    user = request.user
    return user.is_authenticated and user.must_use_second_factor and not passed_second_factor(request)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def authenticated_recently(request: HttpRequest) -> bool:
    """The session's last authentication step (sign-in or re-authentication) is recent enough to
    stand for allauth's "confirm your password" step."""
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


def mark_second_factor_passed(session, user) -> None:
    """Record in `session` that `user` passed a second factor, as allauth does after the code.

    Only for sessions built without the sign-in flow: the test client's `force_login` (which skips
    every authentication step, as Django's skips the password) and benchmark sessions.
    """
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, MFA_METHOD, type="forced")


class SecondFactorAccountAdapterMixin:
    """Hooks of allauth's account adapter for the second factor."""

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the second factor right after signing in must not ask for the password again:
        # a sign-in within the re-authentication timeout is as fresh as a re-authentication.
        request = allauth_context.request
        if app == "allauth.mfa" and request is not None and authenticated_recently(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reauthentication_methods(self, user) -> list[dict]:
        methods = super().get_reauthentication_methods(user)
        request = allauth_context.request
        second_factors = [method for method in methods if method["id"] != "reauthenticate"]
        if second_factors and request is not None and second_factor_pending(request):
            # The password was given already: only the second factor completes this session.
            return second_factors
        return methods


def _fernet_key(secret_key: str) -> bytes:
    digest = salted_hmac("declics.accounts.mfa", "fernet", secret=secret_key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    """Encrypts with SECRET_KEY; decrypts with it or any of SECRET_KEY_FALLBACKS."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter, with the TOTP secrets and recovery-code seeds encrypted at rest.

    The key derives from SECRET_KEY (and SECRET_KEY_FALLBACKS while rotating it), which never sits
    in the database: a copy of the database alone does not give anyone's codes.
    """

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("Ce code n'est pas le bon. Vérifiez-le dans votre application, puis réessayez."),
        "unverified_email": _(
            "Confirmez d'abord votre adresse e-mail : la double authentification ne peut être activée "
            "qu'avec une adresse confirmée."
        ),
    }

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # A person who must use a second factor may replace it (e.g. a new phone): once the last one
        # is removed, the middleware sends them to set up another before any other page.
        return True


def reencrypt_secrets() -> int:
    """Re-encrypt every stored secret with the current SECRET_KEY (after a rotation); returns the count."""
    fernet = _fernet()
    count = 0
    for authenticator in Authenticator.objects.exclude(type=Authenticator.Type.WEBAUTHN).iterator():
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if field in data:
                data[field] = fernet.rotate(data[field].encode()).decode()
        if "migrated_codes" in data:
            data["migrated_codes"] = [
                fernet.rotate(code.encode()).decode() for code in data["migrated_codes"]
            ]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count


# --- allauth.mfa signals (connected in AccountsConfig.ready) ----------------------------------------


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    """Activating an authenticator proves its code (or key): this session passed the second factor.

    allauth sends this signal once the activation is committed, which is still inside the request
    (there is no outer transaction). Should it come after the response, the only effect is that the
    person is asked for the code once more.
    """
    if request is not None and authenticator.type in SECOND_FACTOR_TYPES:
        record_authentication(request, user, MFA_METHOD, id=authenticator.pk, type=authenticator.type)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    """With no authenticator left, this session no longer counts as having passed a second factor."""
    if request is None or has_second_factor(user):
        return
    records = get_authentication_records(request, user)
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        record for record in records if record.get("method") != MFA_METHOD
    ]

"""Account middleware: the second factor, enforced for every view (the Django admin included), and
an even answer time for the forms a stranger can post an address to."""

from time import monotonic, sleep

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .mfa import SECOND_FACTOR_TYPES, second_factor_pending

# After the second factor is set up, the page the person was going to (see views.second_factor_continue).
SETUP_NEXT_SESSION_KEY = "declics_second_factor_next"

# Pages open to everyone whatever the state of their second factor.
ALWAYS_OPEN = frozenset(
    {"account_logout", "set_language", "healthz", "legal_notice", "privacy", "accessibility"}
)
# A person without an authenticator yet may set one up (e-mail confirmed first: allauth requires it).
SETUP_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "account_reauthenticate",
        "account_email",
        "account_confirm_email",
        "account_email_verification_sent",
    }
)
# A person with an authenticator confirms it; nothing else (not even adding another authenticator).
CONFIRM_VIEWS = frozenset({"mfa_reauthenticate", "mfa_reauthenticate_webauthn"})


class SecondFactorMiddleware:
    """Staff and advisers reach no page without a session that passed a second factor.

    Without an authenticator they are sent to set one up; with one, to confirm it (a code or a key).
    Sessions that passed, and everyone else, go through without a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor_pending(request):
            return None
        view_name = request.resolver_match.view_name
        if view_name in ALWAYS_OPEN:
            return None
        types = set(Authenticator.objects.filter(user_id=request.user.pk).values_list("type", flat=True))
        if types & set(SECOND_FACTOR_TYPES):
            if view_name in CONFIRM_VIEWS:
                return None
            codes = {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
            url = reverse("mfa_reauthenticate" if types & codes else "mfa_reauthenticate_webauthn")
            return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
        if view_name in SETUP_VIEWS:
            return None
        if request.method == "GET":
            request.session[SETUP_NEXT_SESSION_KEY] = request.get_full_path()
        return redirect("mfa_activate_totp")


# Sign-up, login, password reset and code request: each answers the same page whether the address
# is registered or not (ACCOUNT_PREVENT_ENUMERATION), so only their time could tell.
ADDRESS_FORMS = frozenset(
    {"account_signup", "account_login", "account_reset_password", "account_request_login_code"}
)


class EvenAccountFormTimingMiddleware:
    """Hold the answer to a POST of these forms until ACCOUNT_FORMS_MIN_SECONDS have passed.

    Sign-up and login do the same work either way (one password hash, or two, and one e-mail: see
    SignupForm.try_save and the authentication backends); they last longer than the floor. Password
    reset and code requests only look the address up and queue an e-mail: a registered address
    costs a query or two more, about 1 ms on 10 ms, which a patient prober could average out.
    Under the floor both answer at the same time. Put first in MIDDLEWARE, so the floor covers the
    whole answer (session save included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if request.method == "POST" and match is not None and match.url_name in ADDRESS_FORMS:
            remaining = settings.ACCOUNT_FORMS_MIN_SECONDS - (monotonic() - started)
            if remaining > 0:
                sleep(remaining)
        return response

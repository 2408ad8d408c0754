"""The account forms a stranger can post an address to answer in an even time."""

from time import monotonic, sleep

from django.conf import settings

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

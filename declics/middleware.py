"""Project-wide middleware."""

import time

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError

# URL kwargs that carry a secret standing for a login: the mentor's answer link, an invitation, a
# survey, the calendar feed, allauth's e-mail confirmation and password reset keys. A new URL with
# any other free-text kwarg fails tests/test_token_pages.py until it is classified there.
TOKEN_KWARGS = frozenset({"token", "key", "uidb36", "uidb64"})
TOKEN_REFERRER_POLICY = "same-origin"


def reached_by_token(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and not TOKEN_KWARGS.isdisjoint(match.kwargs)


class PrivatePagesNoStoreMiddleware:
    """A page that may show personal data is kept by no cache (shared proxy, browser history):

    - every page seen by a logged-in person;
    - every page reached by a token in its URL, without login (the link stands for the login),
      whose Referrer-Policy is pinned to `same-origin` whatever the site-wide setting: no other
      site ever receives the token in a Referer. Not `no-referrer`: a form posted from such a
      page would then carry `Origin: null`, which Django's CSRF check refuses (every token page
      has a form: answer, set a password, confirm, survey);
    - an anonymous visitor's page that read their session while it holds data (eligibility
      answers, an adviser's link, a sign-in in progress);
    - a response a view marked `private_data = True`.

    Anonymous, public pages keep whatever caching their view chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        by_token = reached_by_token(request)
        if (
            (user is not None and user.is_authenticated)
            or by_token
            or _reads_session_data(request)
            or getattr(response, "private_data", False)
        ):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        if by_token:
            response["Referrer-Policy"] = TOKEN_REFERRER_POLICY
        return response


def _reads_session_data(request) -> bool:
    session = getattr(request, "session", None)
    # `accessed`: the session was loaded for this page, so reading its keys costs no query.
    return (
        session is not None
        and session.accessed
        and bool(set(session.keys()) - {SessionRefreshMiddleware.KEY})
    )


class SessionRefreshMiddleware:
    """Push a live session's expiry back at most once per SESSION_REFRESH_INTERVAL seconds.

    With SESSION_COOKIE_AGE, this makes a session end after inactivity (between AGE − INTERVAL
    and AGE seconds after the last request) without writing it on every request, as
    SESSION_SAVE_EVERY_REQUEST would: one write every few minutes instead of three queries per page.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_INTERVAL:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


class StaticCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, without rebuilding the same header on every response.

    Our policy is static (no nonce, no per-view override): build it once per settings object and
    reuse it. A view that customises the policy (csp decorators) or asks for a nonce still goes
    through django-csp's own code path.
    """

    _cache: dict[int, str] = {}
    _CUSTOMISED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt", "_csp_config_ro")

    def process_response(self, request, response):
        policy_setting = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        if (
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None)
            or any(getattr(response, name, None) for name in self._CUSTOMISED)
            or (policy_setting or {}).get("EXCLUDE_URL_PREFIXES")
            or HEADER in response
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response  # as django-csp: Django's debug pages need inline styles
        key = id(policy_setting)
        policy = self._cache.get(key)
        if policy is None:
            policy = self._cache[key] = build_policy()
        if policy:
            response[HEADER] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class DomainErrorMiddleware:
    """A domain error that leaves a view (`declics.errors`) is answered with its own 4xx status and
    its message on the site's refusal page, with a link back: a refused action is never a 500.

    Last in MIDDLEWARE, so its answer still goes through every other middleware (headers, no-store).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        context = {
            "message": exception.message,
            "status": int(exception.status),
            "back_url": _back_url(request),
        }
        return render(request, "refused.html", context, status=exception.status)


def _back_url(request) -> str | None:
    """The page the person came from, if it is one of ours (never another site's address)."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None

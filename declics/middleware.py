"""Project-wide middleware."""

import time

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivatePagesNoStoreMiddleware:
    """Pages seen by a logged-in person may show personal data: no cache may keep them.

    Anonymous, public pages keep whatever caching their view chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(response, "private_data", False):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


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

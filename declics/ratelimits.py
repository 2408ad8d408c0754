"""Rate limits of the site's own endpoints, on allauth's machinery.

allauth already counts sign-ups, logins and resets per client in the cache; the site's own limits
(RATE_LIMITS in settings, same "amount/period/per" format) use the same store, the same sliding
window and the same idea of "the client": the address the trusted proxies saw
(ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER), IPv6 grouped by /64. Behind the
compose proxy every request comes from the proxy's address; keying on REMOTE_ADDR would make one
limit for the whole site.

allauth's public `allauth.core.ratelimit.consume` never limits GET requests and reads only
ACCOUNT_RATE_LIMITS, so this module calls the function it wraps (same package, pinned version in
requirements.lock); tests/test_ratelimits.py pins the behaviour this relies on.
"""

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.http import HttpRequest

APP = "declics"


def client_address(request: HttpRequest) -> str:
    """The client's address as the rate limits see it (behind the trusted proxies; IPv6 by /64)."""
    return allauth_ratelimit.get_ip(request)


def consume(request: HttpRequest, *, action: str, key: str | None = None) -> bool:
    """Count one use of `action` (a key of settings.RATE_LIMITS); False when over a limit.

    GET requests count too. An action missing from RATE_LIMITS is not limited.
    """
    usage = allauth_ratelimit.consume(
        request, app=APP, action=action, config=settings.RATE_LIMITS, key=key, limit_get=True
    )
    return usage is not None

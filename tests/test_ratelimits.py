"""declics.ratelimits: the site's own limits, per client, on allauth's machinery."""

import pytest
from django.test import RequestFactory

from declics import ratelimits

PROXY = "172.18.0.5"


def _request(method="get", remote="172.18.0.5", forwarded=None):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return getattr(RequestFactory(), method)("/", REMOTE_ADDR=remote, headers=headers)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, PROXY),  # nobody in front: the peer is the client
        (0, "203.0.113.9", PROXY),  # an X-Forwarded-For nobody vouches for is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # the compose proxy names the client
        (1, "10.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is not trusted
        (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # a load balancer, then the proxy
        (1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),  # IPv6 counted by /64
    ],
)
def test_client_address_is_the_one_the_trusted_proxies_saw(settings, count, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count

    assert ratelimits.client_address(_request(forwarded=forwarded)) == expected


def test_consume_counts_get_requests_per_client_and_action(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"search": "2/m/ip", "other": "1/m/ip"}
    first, second = _request(forwarded="203.0.113.9"), _request(forwarded="198.51.100.7")

    assert [ratelimits.consume(first, action="search") for _ in range(3)] == [True, True, False]
    assert ratelimits.consume(second, action="search") is True
    assert ratelimits.consume(first, action="other") is True
    assert ratelimits.consume(first, action="unlisted") is True  # not in RATE_LIMITS: no limit

"""The account forms that take an address answer no sooner than ACCOUNT_FORMS_MIN_SECONDS."""

import time

import pytest
from django.urls import reverse

from declics.accounts import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleeps(monkeypatch):
    """The durations the middleware waits (instead of waiting them)."""
    recorded = []
    monkeypatch.setattr(middleware, "sleep", recorded.append)
    return recorded


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_signup", {"email": "ana@example.org"}),
        ("account_login", {"login": "ana@example.org", "password": "x"}),
        ("account_reset_password", {"email": "ana@example.org"}),
        ("account_request_login_code", {"email": "ana@example.org"}),
    ],
)
def test_posts_to_the_address_forms_wait_for_the_rest_of_the_floor(client, settings, sleeps, url_name, data):
    settings.ACCOUNT_FORMS_MIN_SECONDS = 5.0

    client.post(reverse(url_name), data)

    assert len(sleeps) == 1
    assert 4.0 < sleeps[0] < 5.0


def test_other_requests_do_not_wait(client, settings, sleeps):
    settings.ACCOUNT_FORMS_MIN_SECONDS = 5.0

    client.get(reverse("account_login"))
    client.get(reverse("account_reset_password"))
    client.post(reverse("account_logout"))

    assert sleeps == []


def test_the_floor_holds_the_answer(client, settings):
    settings.ACCOUNT_FORMS_MIN_SECONDS = 0.3
    started = time.monotonic()

    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert time.monotonic() - started >= 0.3

"""Sign-up, login, password reset and code requests do the same work whether the account exists.

The time of an answer is what the work costs: a password hash (hundreds of milliseconds with the
production hasher) and an outbox row. So each test counts, for a registered address and an unknown
one, the hashes computed and the e-mails queued, and compares the answers. The medians of the real
thing are measured by bench/bench_enumeration.py.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from declics.notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = "ines.registered@example.org"
UNKNOWN = "nobody.here@example.org"


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting every hash it computes (encode backs make and check)."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_enumeration.CountingHasher"]
    UserFactory(email=REGISTERED, first_name="Inès")  # hashed with the counting hasher, then reset
    CountingHasher.calls = 0
    return CountingHasher


def _work(hashes, url, data):
    """(answer status, redirect target, hashes computed, e-mails queued) for one POST.

    Each from a new visitor (its own session), as a prober would send them.
    """
    hashes.calls = 0
    queued = OutboxMessage.objects.count()
    response = Client().post(url, data)
    return (
        response.status_code,
        response.get("Location"),
        hashes.calls,
        OutboxMessage.objects.count() - queued,
    )


def _queued():
    """(recipient, kind of e-mail) of every queued message, the kind being the key without its id."""
    rows = OutboxMessage.objects.values_list("to_email", "dedup_key")
    return sorted((to, key.rsplit(":", 1)[0]) for to, key in rows)


def _signup_data(email):
    return {
        "first_name": "Camille",
        "last_name": "Durand",
        "email": email,
        "password1": "Un-mot-de-passe-solide-42",
        "password2": "Un-mot-de-passe-solide-42",
        "role": "job_seeker",
    }


def test_signup_hashes_and_queues_the_same_for_a_registered_and_a_new_address(hashes):
    url = reverse("account_signup")

    registered = _work(hashes, url, _signup_data(REGISTERED))
    new = _work(hashes, url, _signup_data(UNKNOWN))

    expected = (302, reverse("account_email_verification_sent"), 1, 1)
    assert (registered, new) == (expected, expected)
    assert _queued() == [
        (REGISTERED, "allauth:account_already_exists"),
        (UNKNOWN, "allauth:email_confirmation_signup"),
    ]


def test_login_with_a_wrong_password_hashes_the_same_for_a_registered_and_an_unknown_address(hashes):
    url = reverse("account_login")

    registered = _work(hashes, url, {"login": REGISTERED, "password": "pas-le-bon-42"})
    registered_page = Client().post(url, {"login": REGISTERED, "password": "pas-le-bon-42"}).context["form"]
    unknown = _work(hashes, url, {"login": UNKNOWN, "password": "pas-le-bon-42"})
    unknown_page = Client().post(url, {"login": UNKNOWN, "password": "pas-le-bon-42"}).context["form"]

    # Django's ModelBackend and allauth's backend each hash once, found or not.
    assert (registered, unknown) == ((200, None, 2, 0), (200, None, 2, 0))
    assert (
        registered_page.errors
        == unknown_page.errors
        == {"__all__": ["L’adresse e-mail ou le mot de passe sont incorrects."]}
    )


def test_password_reset_queues_one_e_mail_for_a_registered_and_an_unknown_address(hashes):
    url = reverse("account_reset_password")

    registered = _work(hashes, url, {"email": REGISTERED})
    unknown = _work(hashes, url, {"email": UNKNOWN})

    expected = (302, reverse("account_reset_password_done"), 0, 1)
    assert (registered, unknown) == (expected, expected)
    assert _queued() == [(REGISTERED, "allauth:password_reset_key"), (UNKNOWN, "allauth:unknown_account")]


def test_login_code_request_queues_one_e_mail_for_a_registered_and_an_unknown_address(hashes):
    url = reverse("account_request_login_code")

    registered = _work(hashes, url, {"email": REGISTERED})
    unknown = _work(hashes, url, {"email": UNKNOWN})

    expected = (302, reverse("account_confirm_login_code"), 0, 1)
    assert (registered, unknown) == (expected, expected)
    assert _queued() == [(REGISTERED, "allauth:login_code"), (UNKNOWN, "allauth:unknown_account")]

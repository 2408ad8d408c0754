"""Login limits behind the compose proxy: per client, per account *and* client, and a way in by code.

Every request reaches gunicorn from the proxy (REMOTE_ADDR below); the proxy names the visitor in
X-Forwarded-For, trusted because compose sets ALLAUTH_TRUSTED_PROXY_COUNT=1 (tests/test_compose.py,
tests/test_settings.py).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from declics.notifications.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.5"
STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"
LOGIN_URL = reverse("account_login")
TOO_MANY = ["Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."]


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def visitor(address: str) -> Client:
    """A browser at `address`, seen through the proxy."""
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": address})


def login(client: Client, email: str, password: str):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


def code_from(message: OutboxMessage) -> str:
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body_text, re.MULTILINE).group(1)


def test_one_clients_failures_do_not_limit_another_client(settings):
    owner = UserFactory(email="ana@example.org")
    stranger = visitor(STRANGER)
    # Ten failures (the per-client limit), each on another address: the stranger is stopped…
    for n in range(10):
        login(stranger, f"someone{n}@example.org", "pas-le-bon-42")
    assert (
        login(stranger, "someone@example.org", "pas-le-bon-42").context["form"].errors["__all__"] == TOO_MANY
    )

    # …and nobody else.
    ana = visitor(OWNER)
    response = login(ana, "ana@example.org", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(ana) == str(owner.pk)


def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out():
    owner = UserFactory(email="ana@example.org")
    stranger = visitor(STRANGER)
    for _ in range(5):
        login(stranger, "ana@example.org", "pas-le-bon-42")

    # The stranger is stopped on this account, even with the right password…
    refused = login(stranger, "ana@example.org", PASSWORD)
    assert refused.context["form"].errors["__all__"] == TOO_MANY
    assert signed_in_as(stranger) is None
    # …the owner, from their own connection, is not.
    ana = visitor(OWNER)
    response = login(ana, "ana@example.org", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(ana) == str(owner.pk)


def test_wrong_passwords_from_many_clients_stop_password_login_for_the_account(settings):
    UserFactory(email="ana@example.org")
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "3/h/key"}
    for n in range(3):
        login(visitor(f"203.0.113.{n + 1}"), "ana@example.org", "pas-le-bon-42")

    ana = visitor(OWNER)
    response = login(ana, "ana@example.org", PASSWORD)

    assert response.context["form"].errors["__all__"] == TOO_MANY
    assert signed_in_as(ana) is None
    # Another account is not concerned.
    other = UserFactory(email="bea@example.org")
    bea = visitor(OWNER)
    assert login(bea, "bea@example.org", PASSWORD).status_code == 302
    assert signed_in_as(bea) == str(other.pk)


def test_a_locked_out_person_signs_in_with_a_code_sent_by_e_mail(settings):
    owner = UserFactory(email="ana@example.org")
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "3/h/key"}
    for n in range(3):
        login(visitor(f"203.0.113.{n + 1}"), "ana@example.org", "pas-le-bon-42")
    ana = visitor(OWNER)
    assert login(ana, "ana@example.org", PASSWORD).context["form"].errors["__all__"] == TOO_MANY

    # The login page offers the code; asking for it queues an e-mail to the address, in French.
    page = ana.get(LOGIN_URL).content.decode()
    assert f'href="{reverse("account_request_login_code")}"' in page
    asked = ana.post(reverse("account_request_login_code"), {"email": "ana@example.org"})
    assert (asked.status_code, asked.url) == (302, reverse("account_confirm_login_code"))
    message = OutboxMessage.objects.get()
    assert message.dedup_key.startswith("allauth:login_code:")
    assert message.to_email == "ana@example.org"
    assert message.subject == "[DéClics] Code de connexion"

    response = ana.post(reverse("account_confirm_login_code"), {"code": code_from(message)})

    assert (response.status_code, response.url) == (302, reverse("programs:my_pathway"))  # their space
    assert signed_in_as(ana) == str(owner.pk)


def test_a_wrong_code_does_not_sign_in():
    UserFactory(email="ana@example.org")
    ana = visitor(OWNER)
    ana.post(reverse("account_request_login_code"), {"email": "ana@example.org"})
    right = code_from(OutboxMessage.objects.get())
    wrong = "AAAA-AAAA" if right != "AAAA-AAAA" else "BBBB-BBBB"

    response = ana.post(reverse("account_confirm_login_code"), {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Code incorrect."]}
    assert signed_in_as(ana) is None


def test_a_password_reset_lifts_the_account_wide_limit(settings):
    UserFactory(email="ana@example.org")
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "3/h/key"}
    for n in range(3):
        login(visitor(f"203.0.113.{n + 1}"), "ana@example.org", "pas-le-bon-42")
    ana = visitor(OWNER)
    ana.post(reverse("account_reset_password"), {"email": "ana@example.org"})
    link = re.search(
        r"http://testserver(/comptes/password/reset/key/\S+/)", OutboxMessage.objects.get().body_text
    )
    form_url = ana.get(link.group(1)).url
    new_password = "Un-nouveau-mot-de-passe-77"
    done = ana.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    response = login(visitor(OWNER), "ana@example.org", new_password)

    assert response.status_code == 302

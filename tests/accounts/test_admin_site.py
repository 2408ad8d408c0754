"""The Django admin signs in through allauth only (its rate limits, its second factor)."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from declics.accounts.admin_site import SecondFactorAdminSite
from declics.accounts.apps import check_second_factor_is_enforced
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, totp_code, with_totp

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def browser():
    return Client()


def _limited(response) -> bool:
    return response.status_code == 429 or "Trop de tentatives" in response.content.decode()


def test_admin_login_page_is_allauths_login(browser):
    response = browser.get(f"{ADMIN_LOGIN}?{urlencode({'next': ADMIN})}")

    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={ADMIN}")


def test_admin_login_form_checks_no_password_itself(browser):
    staff = StaffFactory()

    response = browser.post(ADMIN_LOGIN, {"username": staff.email, "password": PASSWORD, "next": ADMIN})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in browser.session


def test_wrong_passwords_at_the_admin_login_are_rate_limited(browser):
    staff = StaffFactory()
    # Wherever the admin sends a visitor to sign in, wrong passwords are counted and limited.
    login_url = browser.get(ADMIN, follow=True).redirect_chain[-1][0]
    wrong = {"login": staff.email, "username": staff.email, "password": "pas-le-bon-mot-de-passe"}

    attempts = 0
    while attempts < 20 and not _limited(browser.post(login_url, wrong)):
        attempts += 1
    right = browser.post(login_url, {**wrong, "password": PASSWORD})

    assert login_url.startswith(reverse("account_login"))
    assert attempts <= 10
    assert _limited(right)
    assert "_auth_user_id" not in browser.session


def test_staff_signs_in_to_the_admin_with_password_then_code(browser):
    staff = with_totp(StaffFactory())
    login_url = browser.get(ADMIN, follow=True).redirect_chain[-1][0]

    password_step = browser.post(login_url, {"login": staff.email, "password": PASSWORD})
    code_step = browser.post(password_step.url, {"code": totp_code(TOTP_SECRET)})
    admin = browser.get(code_step.url)

    assert password_step.url == reverse("mfa_authenticate")
    assert code_step.url == ADMIN
    assert admin.status_code == 200
    assert admin.context["site_header"]


def test_admin_refuses_a_session_without_the_second_factor_even_without_the_middleware(browser, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")]
    browser.force_login(with_totp(StaffFactory()))  # Django's login alone: no second factor

    index = browser.get(ADMIN)
    login = browser.get(index.url)

    assert index.url.startswith(ADMIN_LOGIN)
    assert login.status_code == 403


def test_admin_sends_a_session_without_the_second_factor_to_confirm_it(browser):
    browser.force_login(with_totp(StaffFactory()))

    response = browser.get(ADMIN)

    assert response.url == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': ADMIN})}"


def test_admin_opens_for_staff_who_passed_the_second_factor(client):
    client.force_login(StaffFactory(is_superuser=True))  # the suite's client: second factor passed

    assert client.get(ADMIN).status_code == 200
    assert client.get(ADMIN_LOGIN).url == ADMIN


def test_authenticator_admin_never_shows_the_secret(client):
    client.force_login(StaffFactory(is_superuser=True))
    other = with_totp(StaffFactory(first_name="Inès", last_name="Moreau"))
    totp = Authenticator.objects.get(user=other, type=Authenticator.Type.TOTP)

    listing = client.get(reverse("admin:mfa_authenticator_changelist"))
    change = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    add = client.get(reverse("admin:mfa_authenticator_add"))

    assert "Inès Moreau" in listing.content.decode()
    assert change.status_code == 200
    assert TOTP_SECRET not in change.content.decode()
    assert totp.data["secret"] not in change.content.decode()
    assert add.status_code == 403


def test_check_reports_the_missing_second_factor_middleware(settings):
    assert check_second_factor_is_enforced(None) == []

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")]

    assert [error.id for error in check_second_factor_is_enforced(None)] == ["accounts.E002"]


def test_admin_site_is_the_second_factor_site():
    assert isinstance(admin.site, SecondFactorAdminSite)
    assert "declics.accounts.apps.AdminConfig" in settings.INSTALLED_APPS

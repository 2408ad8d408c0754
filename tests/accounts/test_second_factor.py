"""The second factor (allauth.mfa): required for staff and advisers, offered to everyone.

These tests use a plain django.test.Client and the real sign-in (password, then code): the suite's
`client` fixture passes the second factor in `force_login` (tests/conftest.py), so it cannot show
the enforcement.
"""

import time

import pytest
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from declics.accounts.mfa import mark_second_factor_passed
from declics.accounts.middleware import SETUP_NEXT_SESSION_KEY
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    AdviserFactory,
    MentorFactory,
    PartnerUserFactory,
    StaffFactory,
    UserFactory,
    recovery_codes_of,
    totp_code,
    with_totp,
)

pytestmark = pytest.mark.django_db

STAFF_PAGE = reverse("programs:staff_sessions")
ADVISER_PAGE = reverse("programs:adviser_sessions")
ACTIVATE = reverse("mfa_activate_totp")
CONFIRM = reverse("mfa_reauthenticate")


@pytest.fixture
def browser():
    """A client that signs in the real way: no shortcut through the second factor."""
    return Client()


def sign_in(client, user, *, password=PASSWORD, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": password})


def _next(url):
    return urlencode({"next": url})


def mfa_methods(client):
    """The authentication steps allauth recorded in the client's session."""
    return [record["method"] for record in client.session.get("account_authentication_methods", [])]


ROLES_AND_PAGES = [(StaffFactory, STAFF_PAGE), (AdviserFactory, ADVISER_PAGE)]


# --- Without an authenticator: sent to set one up ------------------------------------------------


@pytest.mark.parametrize(("factory", "page"), ROLES_AND_PAGES)
def test_staff_and_adviser_without_authenticator_are_sent_to_set_one_up(browser, factory, page):
    user = factory()

    signed_in = sign_in(browser, user, next_url=page)
    response = browser.get(page)

    assert (signed_in.status_code, signed_in.url) == (302, page)  # password accepted: signed in
    assert (response.status_code, response.url) == (302, ACTIVATE)
    assert browser.get(reverse("home")).url == ACTIVATE
    assert browser.get(reverse("accounts:profile")).url == ACTIVATE


# allauth signals the activation once it is committed, as in production (no outer transaction).
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("factory", "page"), ROLES_AND_PAGES)
def test_setting_up_the_authenticator_app_opens_the_page_the_person_was_going_to(browser, factory, page):
    user = factory()
    sign_in(browser, user)
    browser.get(page)  # sent to the set-up, which remembers the page

    form_page = browser.get(ACTIVATE)
    secret = form_page.context["form"].secret
    activated = browser.post(ACTIVATE, {"code": totp_code(secret)})
    codes_page = browser.get(activated.url)
    onwards = browser.get(reverse("accounts:second_factor_continue"))

    assert form_page.status_code == 200
    assert secret.replace(" ", "") in form_page.content.decode().replace(" ", "")
    assert "Votre compte donne accès aux informations d'autres personnes" in form_page.content.decode()
    assert activated.url == reverse("mfa_view_recovery_codes")
    assert len(codes_page.context["unused_codes"]) == 10
    assert (onwards.status_code, onwards.url) == (302, page)
    assert browser.get(page).status_code == 200
    assert sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == [
        "recovery_codes",
        "totp",
    ]
    assert "mfa" in mfa_methods(browser)


def test_setting_up_asks_for_no_password_again_right_after_signing_in(browser):
    user = StaffFactory()
    sign_in(browser, user)

    response = browser.get(ACTIVATE)

    assert (response.status_code, response.templates[0].name) == (200, "mfa/totp/activate_form.html")


def test_setting_up_later_in_the_session_asks_for_the_password_first(browser):
    user = StaffFactory()
    sign_in(browser, user)
    session = browser.session
    session["account_authentication_methods"] = [
        {**record, "at": time.time() - 3600} for record in session["account_authentication_methods"]
    ]
    session.save()

    response = browser.get(ACTIVATE)

    password_again = f"{reverse('account_reauthenticate')}?{_next(ACTIVATE)}"
    assert (response.status_code, response.url) == (302, password_again)


def test_wrong_code_at_set_up_activates_nothing(browser):
    user = AdviserFactory()
    sign_in(browser, user)
    browser.get(ACTIVATE)

    response = browser.post(ACTIVATE, {"code": "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Ce code n'est pas le bon. Vérifiez-le dans votre application, puis réessayez."
    ]
    assert not Authenticator.objects.filter(user=user).exists()
    assert browser.get(ADVISER_PAGE).url == ACTIVATE


def test_a_pending_person_may_still_sign_out_and_read_the_legal_pages(browser):
    sign_in(browser, StaffFactory())

    assert browser.get(reverse("legal_notice")).status_code == 200
    assert browser.get(reverse("privacy")).status_code == 200
    assert browser.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in browser.session


# --- With an authenticator: the code at sign-in --------------------------------------------------


@pytest.mark.parametrize(("factory", "page"), ROLES_AND_PAGES)
def test_sign_in_with_an_authenticator_asks_for_its_code_before_anything(browser, factory, page):
    user = with_totp(factory())

    password_step = sign_in(browser, user, next_url=page)
    before_code = browser.get(page)
    code_step = browser.post(password_step.url, {"code": totp_code(TOTP_SECRET)})

    assert password_step.url == reverse("mfa_authenticate")
    assert before_code.url.startswith(reverse("account_login"))  # not signed in yet
    assert (code_step.status_code, code_step.url) == (302, page)
    assert browser.get(page).status_code == 200
    assert mfa_methods(browser) == ["password", "mfa"]


def test_sign_in_with_a_recovery_code_instead_of_the_app(browser):
    user = with_totp(StaffFactory(), recovery_codes=True)
    first, *others = recovery_codes_of(user)

    sign_in(browser, user, next_url=STAFF_PAGE)
    response = browser.post(reverse("mfa_authenticate"), {"code": first})

    assert response.url == STAFF_PAGE
    assert browser.get(STAFF_PAGE).status_code == 200
    assert recovery_codes_of(user) == others  # each code works once


def test_wrong_code_at_sign_in_keeps_the_person_out(browser):
    user = with_totp(StaffFactory())
    sign_in(browser, user)

    response = browser.post(reverse("mfa_authenticate"), {"code": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Ce code n'est pas le bon. Vérifiez-le dans votre application, puis réessayez."
    ]
    assert browser.get(STAFF_PAGE).url.startswith(reverse("account_login"))


def test_a_code_works_only_once(browser):
    user = with_totp(AdviserFactory())
    code = totp_code(TOTP_SECRET)
    sign_in(browser, user)
    browser.post(reverse("mfa_authenticate"), {"code": code})
    other = Client()

    sign_in(other, user)
    replayed = other.post(reverse("mfa_authenticate"), {"code": code})

    assert replayed.status_code == 200
    assert other.get(ADVISER_PAGE).url.startswith(reverse("account_login"))


def test_wrong_codes_at_sign_in_are_rate_limited(browser):
    user = with_totp(StaffFactory())
    sign_in(browser, user)
    wrong = "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"

    attempts = 0
    while attempts < 20:
        attempts += 1
        response = browser.post(reverse("mfa_authenticate"), {"code": wrong})
        if "Trop de tentatives" in response.content.decode():
            break
    refused = browser.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})

    assert attempts <= 10
    assert "Trop de tentatives" in refused.content.decode()
    assert browser.get(STAFF_PAGE).url.startswith(reverse("account_login"))


# --- A session that did not pass the second factor --------------------------------------------------


@pytest.mark.parametrize(("factory", "page"), ROLES_AND_PAGES)
def test_session_without_the_second_factor_is_sent_to_confirm_it(browser, factory, page):
    user = with_totp(factory())
    browser.force_login(user)  # Django's login alone: no second factor in this session

    response = browser.get(page)

    assert (response.status_code, response.url) == (302, f"{CONFIRM}?{_next(page)}")


def test_confirming_with_the_code_opens_the_page(browser):
    user = with_totp(AdviserFactory())
    browser.force_login(user)

    form = browser.get(f"{CONFIRM}?next={ADVISER_PAGE}")
    confirmed = browser.post(CONFIRM, {"code": totp_code(TOTP_SECRET), "next": ADVISER_PAGE})

    assert form.status_code == 200
    assert "Utiliser votre mot de passe" not in form.content.decode()
    assert (confirmed.status_code, confirmed.url) == (302, ADVISER_PAGE)
    assert browser.get(ADVISER_PAGE).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "account_reauthenticate",
    ],
)
def test_session_without_the_second_factor_cannot_add_or_read_another(browser, url_name):
    # A stolen password must not let anyone add their own key, read the recovery codes, or confirm
    # "it is me" with the password instead of the second factor.
    user = with_totp(StaffFactory(), recovery_codes=True)
    browser.force_login(user)

    response = browser.get(reverse(url_name))

    assert (response.status_code, response.url) == (302, f"{CONFIRM}?{_next(reverse(url_name))}")


def test_security_key_only_is_sent_to_confirm_with_the_key(browser):
    user = StaffFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Clé"})
    browser.force_login(user)

    response = browser.get(STAFF_PAGE)

    assert response.url == f"{reverse('mfa_reauthenticate_webauthn')}?{_next(STAFF_PAGE)}"


def test_removing_the_last_authenticator_sends_staff_to_set_up_a_new_one(browser):
    user = with_totp(StaffFactory())
    sign_in(browser, user)
    browser.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})

    removed = browser.post(reverse("mfa_deactivate_totp"))

    assert removed.status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()
    assert browser.get(STAFF_PAGE).url == ACTIVATE
    assert "mfa" not in mfa_methods(browser)


# --- Everyone else: offered, not required ----------------------------------------------------------


@pytest.mark.parametrize("factory", [UserFactory, MentorFactory, PartnerUserFactory])
def test_other_roles_need_no_second_factor(browser, factory):
    sign_in(browser, factory())

    response = browser.get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert reverse("mfa_index") in response.content.decode()  # offered in the account menu


def test_a_job_seeker_may_turn_the_second_factor_on(browser):
    user = UserFactory()
    sign_in(browser, user)

    index = browser.get(reverse("mfa_index"))
    secret = browser.get(ACTIVATE).context["form"].secret
    browser.post(ACTIVATE, {"code": totp_code(secret)})
    browser.post(reverse("account_logout"))
    password_step = sign_in(browser, user)

    assert index.status_code == 200
    assert "obligatoire" not in index.content.decode()
    assert password_step.url == reverse("mfa_authenticate")


def test_the_session_records_the_second_factor_only_after_the_code(browser):
    user = with_totp(StaffFactory())
    sign_in(browser, user)
    request = type("Request", (), {"session": browser.session})()

    assert [r["method"] for r in get_authentication_records(request, user)] == ["password"]
    browser.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    request.session = browser.session
    assert [r["method"] for r in get_authentication_records(request, user)] == ["password", "mfa"]


def test_continue_after_set_up_ignores_a_foreign_address(browser):
    user = StaffFactory()
    browser.force_login(user)
    session = browser.session
    session[SETUP_NEXT_SESSION_KEY] = "https://evil.example/"
    mark_second_factor_passed(session, user)  # the continue page itself needs the second factor
    session.save()

    response = browser.get(reverse("accounts:second_factor_continue"))

    assert response.url == reverse("home")


def test_the_check_costs_no_query_to_a_session_that_passed(client, settings):
    client.force_login(StaffFactory())  # the suite's client: second factor passed
    client.get(STAFF_PAGE)  # (the first page refreshes the session's expiry: one write)

    with CaptureQueriesContext(connection) as with_check:
        assert client.get(STAFF_PAGE).status_code == 200
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")]
    with CaptureQueriesContext(connection) as without_check:
        assert client.get(STAFF_PAGE).status_code == 200

    assert len(with_check.captured_queries) == len(without_check.captured_queries)

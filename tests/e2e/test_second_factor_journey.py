"""The second factor in a real browser: an adviser with no authenticator is sent to set one up
(QR code and key, then her recovery codes) and comes back to the page she was going to; a staff
member adds a security key (Chromium's virtual authenticator) and signs in with it."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, TOTP_SECRET, AdviserFactory, StaffFactory, totp_code, with_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADVISER_PAGE = "/sessions/conseiller/"
# Where signing out lands: the home page.
SIGNED_OUT = re.compile(r"^https?://[^/]+/$")


def test_adviser_without_authenticator_sets_one_up_then_signs_in_with_it(page, browser_log, axe, screenshot):
    adviser = AdviserFactory(first_name="Claire", last_name="Roussel", email="claire@example.org")

    page.goto(f"/comptes/login/?next={ADVISER_PAGE}")
    page.locator("input[name=login]").fill(adviser.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()

    # Sent to the set-up, whatever page she asks for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer l'application d'authentification")
    for path in ("/", ADVISER_PAGE):  # the last page asked for is where she will be taken after
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Activer l'application d'authentification")
    expect(
        page.get_by_role("img", name="QR code à scanner avec votre application d’authentification")
    ).to_be_visible()
    axe(page)
    screenshot(page, "second-factor-activate")
    key = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", key)
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill(totp_code(key))
    page.get_by_role("button", name="Activer").click()

    # Her recovery codes, then on to the page she was going to.
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    expect(page.get_by_role("list", name="Vos codes de secours").get_by_role("listitem")).to_have_count(10)
    axe(page)
    screenshot(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="J'ai noté mes codes : continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi de mes candidat·es")
    expect(page).to_have_url(re.compile(re.escape(ADVISER_PAGE) + "$"))

    # Next time, the password is not enough.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(SIGNED_OUT)  # the sign-out done before the next page is asked for
    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(adviser.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    axe(page)
    screenshot(page, "second-factor-sign-in")
    page.goto(ADVISER_PAGE)  # not signed in yet: back to the code
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    assert browser_log.page_errors == []


def test_staff_adds_a_security_key_and_signs_in_with_it(page, live_server, settings, browser_log, axe):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server speaks http://localhost
    staff = with_totp(StaffFactory(email="ines@example.org"))
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    sign_in(page, staff.email, PASSWORD, totp_secret=TOTP_SECRET)
    page.goto("/compte/profil/")
    page.get_by_role("navigation", name="Mon compte").get_by_role(
        "link", name="Double authentification"
    ).click()
    page.get_by_role("link", name="Ajouter une clé de sécurité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une clé de sécurité")
    axe(page)
    page.get_by_label("Nom de la clé").fill("Clé USB bleue")
    page.get_by_role("button", name="Ajouter la clé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    assert list(Authenticator.objects.filter(user=staff).values_list("type", flat=True).order_by("type")) == [
        "recovery_codes",
        "totp",
        "webauthn",
    ]

    # Signing in again: password, then the key instead of the app's code.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(SIGNED_OUT)  # the sign-out done before the next page is asked for
    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    axe(page)
    page.get_by_role("button", name="Utiliser ma clé de sécurité").click()
    page.get_by_role("link", name="Équipe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace équipe")
    assert browser_log.page_errors == []
    assert browser_log.console_errors == []

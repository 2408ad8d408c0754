"""The second-factor pages: French, accessible structure, no inline script or style (CSP)."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory, with_totp
from tests.test_templates_a11y import accessibility_problems, by_id, parse_html

pytestmark = pytest.mark.django_db


def _accessible(response, status=200):
    assert response.status_code == status, response.content[:300]
    html = response.content.decode()
    assert accessibility_problems(html) == []
    return parse_html(html)


def _h1(document):
    return document.find_all("h1")[0].text


def _security_key(user):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Clé bleue"}
    )


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("mfa_index", "Double authentification"),
        ("mfa_view_recovery_codes", "Codes de secours"),
        ("mfa_generate_recovery_codes", "Créer de nouveaux codes de secours"),
        ("mfa_deactivate_totp", "Désactiver l'application d'authentification"),
        ("mfa_add_webauthn", "Ajouter une clé de sécurité"),
        ("mfa_list_webauthn", "Clés de sécurité"),
    ],
)
def test_second_factor_management_pages_are_accessible(client, url_name, title):
    user = with_totp(StaffFactory(), recovery_codes=True)
    if url_name != "mfa_add_webauthn":  # (adding one reads the keys' real credentials)
        _security_key(user)
    client.force_login(user)

    document = _accessible(client.get(reverse(url_name)))

    assert _h1(document) == title


def test_activation_page_shows_the_qr_code_the_key_and_a_labelled_code_field(client):
    client.force_login(StaffFactory())

    document = _accessible(client.get(reverse("mfa_activate_totp")))

    [image] = document.find_all("img")
    assert image.attrs["src"].startswith("data:image/svg+xml;base64,")
    assert image.attrs["alt"] == "QR code à scanner avec votre application d’authentification"
    assert [
        a.attrs["href"][:15]
        for a in document.find_all("a")
        if a.text == "Ajouter le compte dans l'application"
    ] == ["otpauth://totp/"]
    assert len(by_id(document)["totp-secret"].text.split()) == 8  # 32 characters in groups of four
    code = by_id(document)["id_code"]
    assert (code.attrs["autocomplete"], code.attrs["inputmode"]) == ("one-time-code", "numeric")


def test_activation_with_a_wrong_code_ties_the_error_to_the_field(client):
    client.force_login(StaffFactory())
    client.get(reverse("mfa_activate_totp"))

    document = _accessible(client.post(reverse("mfa_activate_totp"), {"code": "12"}))

    assert by_id(document)["id_code_error"].text == (
        "Ce code n'est pas le bon. Vérifiez-le dans votre application, puis réessayez."
    )


def test_recovery_codes_page_lists_each_code(client):
    user = with_totp(StaffFactory(), recovery_codes=True)
    client.force_login(user)

    document = _accessible(client.get(reverse("mfa_view_recovery_codes")))

    codes = by_id(document)["recovery-codes"].find_all("li")
    assert len(codes) == 10
    assert all(len(code.text) == 8 and code.text.isdigit() for code in codes)


def test_recovery_codes_download_says_what_they_are(client):
    client.force_login(with_totp(StaffFactory(), recovery_codes=True))

    response = client.get(reverse("mfa_download_recovery_codes"))

    lines = response.content.decode().splitlines()
    assert lines[0] == "DéClics Numériques : codes de secours (chacun ne sert qu'une fois)"
    assert len([line for line in lines[1:] if line]) == 10


def test_edit_and_remove_key_pages_are_accessible(client):
    user = with_totp(StaffFactory())
    key = _security_key(user)
    client.force_login(user)

    edit = _accessible(client.get(reverse("mfa_edit_webauthn", args=[key.pk])))
    remove = _accessible(client.get(reverse("mfa_remove_webauthn", args=[key.pk])))

    assert _h1(edit) == "Renommer la clé de sécurité"
    assert by_id(edit)["id_name"].attrs["value"] == "Clé bleue"
    assert _h1(remove) == "Retirer la clé de sécurité"


def test_job_seekers_index_offers_without_requiring(client):
    client.force_login(UserFactory())

    document = _accessible(client.get(reverse("mfa_index")))

    assert "obligatoire" not in document.text
    assert [
        a.text for a in document.find_all("a") if a.attrs.get("href") == reverse("mfa_activate_totp")
    ] == ["Activer l'application d'authentification"]


def test_sign_in_code_page_and_its_error_are_accessible():
    browser = Client()
    user = with_totp(StaffFactory())
    browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    page = _accessible(browser.get(reverse("mfa_authenticate")))
    error = _accessible(browser.post(reverse("mfa_authenticate"), {"code": "1"}))

    assert _h1(page) == "Double authentification"
    assert by_id(page)["id_code"].attrs["autocomplete"] == "one-time-code"
    assert "Avec une clé de sécurité" not in page.text  # this person has no key
    assert by_id(error)["id_code_error"].text.startswith("Ce code n'est pas le bon.")
    assert TOTP_SECRET not in page.text


def test_confirm_page_of_a_pending_session_is_accessible():
    browser = Client()
    browser.force_login(with_totp(StaffFactory()))

    page = _accessible(browser.get(reverse("mfa_reauthenticate")))
    error = _accessible(browser.post(reverse("mfa_reauthenticate"), {"code": "1"}))

    assert _h1(page) == "Confirmer que c'est bien vous"
    assert by_id(error)["id_code_error"].text.startswith("Ce code n'est pas le bon.")

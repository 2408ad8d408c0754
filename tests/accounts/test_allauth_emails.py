"""allauth's e-mails in DéClics' own words: the verification e-mail a newcomer gets first, and every
other allauth e-mail the site sends (password reset, sign-in code, account already there, unknown
account), overridden under templates/account/email/."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from declics.notifications.models import OutboxMessage
from tests.factories import UserFactory

from .test_signup import PASSWORD, _signup

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "account" / "email"
# Every allauth e-mail this site's settings send (notifications are off: ACCOUNT_EMAIL_NOTIFICATIONS).
SENT = [
    "email_confirmation",
    "email_confirmation_signup",
    "password_reset_key",
    "account_already_exists",
    "unknown_account",
    "login_code",
]
ALLAUTH_WORDING = ["c'est", "Hello", "Bonjour de la part", "Merci d'utiliser", "Thank you"]


def test_the_verification_e_mail_speaks_for_declics_with_its_link(client):
    _signup(client)

    message = OutboxMessage.objects.get()
    assert message.subject == "[DéClics] Confirmez votre adresse e-mail"
    text = message.body_text
    assert text.startswith("Bonjour,\n\nBienvenue sur DéClics Numériques")
    assert "confirmer votre adresse e-mail" in text
    assert "\nhttp://testserver/comptes/confirm-email/" in text
    assert text.rstrip().endswith(f"L'équipe DéClics Numériques\n{settings.SITE_URL}")
    assert not [words for words in ALLAUTH_WORDING if words in text]
    # The HTML part: the same words, the link as a button.
    assert '<html lang="fr">' in message.body_html
    assert "Je confirme mon adresse</a>" in message.body_html
    assert 'href="http://testserver/comptes/confirm-email/' in message.body_html


def test_the_password_reset_e_mail_and_the_unknown_address_one_are_declics_own(client):
    UserFactory(email="awa@example.org")
    client.post(reverse("account_reset_password"), {"email": "awa@example.org"})
    client.post(reverse("account_reset_password"), {"email": "personne@example.org"})

    reset, unknown = OutboxMessage.objects.order_by("pk")
    assert reset.subject == "[DéClics] Choisir un nouveau mot de passe"
    assert "nouveau mot de passe pour votre compte DéClics Numériques" in reset.body_text
    assert "http://testserver/comptes/password/reset/key/" in reset.body_text
    assert unknown.subject == "[DéClics] Aucun compte avec cette adresse"
    assert "http://testserver/comptes/signup/" in unknown.body_text
    for message in (reset, unknown):
        assert message.body_text.startswith("Bonjour,\n\n")
        assert not [words for words in ALLAUTH_WORDING if words in message.body_text]


@pytest.mark.parametrize("name", SENT)
def test_every_allauth_e_mail_sent_is_overridden_in_french(name):
    context = {
        "email": "awa@example.org",
        "activate_url": "http://127.0.0.1:8080/comptes/confirm-email/KEY/",
        "password_reset_url": "http://127.0.0.1:8080/comptes/password/reset/key/KEY/",
        "signup_url": "http://127.0.0.1:8080/comptes/signup/",
        "code": "",
        "SITE_URL": "http://127.0.0.1:8080",
    }
    if name == "login_code":
        context["code"] = "ABC123"
    for part in ("subject.txt", "message.txt"):
        template = get_template(f"account/email/{name}_{part}")
        assert Path(template.origin.name).parent == TEMPLATES
        with translation.override("fr"):
            text = render_to_string(f"account/email/{name}_{part}", context)
        assert not [words for words in ALLAUTH_WORDING if words in text]
        if part == "message.txt":
            assert "DéClics" in text
            assert text.strip().endswith("L'équipe DéClics Numériques\nhttp://127.0.0.1:8080")


def test_the_sign_up_of_a_registered_address_tells_its_owner_in_declics_words(client):
    UserFactory(email="aicha.benali@example.org")
    _signup(client, password1=PASSWORD)

    message = OutboxMessage.objects.get()
    assert message.subject == "[DéClics] Vous avez déjà un compte"
    assert "un compte utilisant cette adresse existe déjà" in message.body_text
    assert "http://testserver/comptes/password/reset/" in message.body_text

"""`manage.py create_first_staff`: the first staff account of a new site, second factor enrolled."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from declics.accounts.demo import totp_code
from declics.accounts.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "Une-phrase-de-passe-2026"
STAFF_PAGE = reverse("programs:staff_sessions")


def create(monkeypatch, email="ines@diversidays.example", password=PASSWORD) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_first_staff", email, first_name="Inès", last_name="Moreau", stdout=out)
    return out.getvalue()


def test_the_printed_key_and_recovery_codes_sign_the_new_staff_member_in(monkeypatch):
    printed = create(monkeypatch)

    user = User.objects.get(email="ines@diversidays.example")
    assert (user.role, user.is_staff, user.is_superuser, user.first_name) == (Role.STAFF, True, True, "Inès")
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    key = re.search(r"^Key: ([A-Z2-7]{32})$", printed, re.M).group(1)
    assert f"otpauth://totp/ines%40diversidays.example?secret={key}&issuer=" in printed
    codes = re.findall(r"^  (\d{8})$", printed, re.M)
    assert len(codes) == 10
    assert "█" in printed  # the QR code

    # Signing in the real way: the password, then the app's code from the printed key.
    browser = Client()
    login = browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert login.url == reverse("mfa_authenticate")
    assert browser.post(login.url, {"code": totp_code(key)}).status_code == 302
    assert browser.get(STAFF_PAGE).status_code == 200

    # A printed recovery code stands in for the app once.
    other = Client()
    other.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    other.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert other.get(STAFF_PAGE).status_code == 200


def test_an_address_already_registered_is_refused_and_nothing_changes(monkeypatch):
    create(monkeypatch)
    user = User.objects.get()
    secrets_before = list(Authenticator.objects.values_list("data", flat=True))

    with pytest.raises(CommandError, match="Un compte existe déjà avec l'adresse INES@diversidays.example"):
        create(monkeypatch, email="INES@diversidays.example", password="Une-autre-phrase-2026")

    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert list(Authenticator.objects.values_list("data", flat=True)) == secrets_before
    assert User.objects.count() == 1


def test_a_weak_password_is_refused_before_anything_is_written(monkeypatch):
    with pytest.raises(CommandError, match="trop court"):
        create(monkeypatch, password="court")
    assert not User.objects.exists()
    assert not Authenticator.objects.exists()

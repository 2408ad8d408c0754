"""Sign-up and login with a mobile number (issue 15): French numbers only, a code by SMS through the
outbox, e-mail optional for job seekers only, one account per number, no enumeration."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from declics.accounts import services
from declics.accounts.fields import MobilePhoneField
from declics.accounts.models import Role, User
from declics.accounts.validators import normalise_french_mobile
from declics.notifications.models import OutboxMessage
from declics.notifications.services import queue_email, send_due_messages
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import StaffFactory, UserFactory

PASSWORD = "Un-mot-de-passe-solide-42"
LANDLINE = (
    "Ce numéro est un fixe : il ne peut pas recevoir de SMS. "
    "Indiquez un numéro de portable, par exemple 06 12 34 56 78."
)
NOT_FRENCH = "Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."


# --- Numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("07-81-23-45-67", "+33781234567"),
        ("0692 12 34 56", "+262692123456"),  # La Réunion
        ("+590 690 00 12 34", "+590690001234"),  # Guadeloupe
        ("0696 20 12 34", "+596696201234"),  # Martinique
        ("+594 694 20 12 34", "+594694201234"),  # Guyane
        ("0639 01 23 45", "+262639012345"),  # Mayotte
        ("+269 639 01 23 45", "+262639012345"),  # Mayotte under its former code
    ],
)
def test_mobile_numbers_are_normalised_to_e164(typed, e164):
    assert normalise_french_mobile(typed) == e164
    assert MobilePhoneField().clean(typed) == e164


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01 42 68 53 00", LANDLINE),  # Paris
        ("0262 21 12 34", LANDLINE),  # a landline in La Réunion
        ("bonjour", "Ce numéro de téléphone n'est pas valide."),
        ("06 12", NOT_FRENCH),
        ("+44 7911 123456", NOT_FRENCH),
    ],
)
def test_landlines_and_garbage_are_refused_with_a_french_message(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_french_mobile(typed)

    assert error.value.messages == [message]


# --- Sign-up by phone ------------------------------------------------------------------------


def _signup(client, **overrides):
    data = {
        "first_name": "Moussa",
        "last_name": "Traoré",
        "email": "",
        "phone": "06 12 34 56 78",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.JOB_SEEKER.value,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def _sms(number):
    return list(OutboxMessage.objects.filter(channel="sms", to_phone=number).order_by("pk"))


def _code(message):
    return re.search(r"\b(\d{6})\b", message.body_text).group(1)


@pytest.mark.django_db
def test_signup_with_a_phone_number_only_sends_a_code_by_sms_then_logs_in(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("account_verify_phone")
    user = User.objects.get(phone="+33612345678")
    assert (user.email, user.phone_verified, user.role, str(user)) == (
        None,
        False,
        Role.JOB_SEEKER,
        "Moussa Traoré",
    )
    [message] = _sms("+33612345678")
    assert (message.kind, message.user, message.to_email) == ("security", user, "")
    assert message.body_text.startswith("DéClics : votre code est ")
    assert not OutboxMessage.objects.filter(channel="email").exists()  # no address, no e-mail

    response = client.post(reverse("account_verify_phone"), {"code": _code(message)})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get(reverse("accounts:profile")).context["user"] == user


@pytest.mark.django_db
def test_signup_with_a_wrong_code_stays_unverified_and_logged_out(client):
    _signup(client)

    response = client.post(reverse("account_verify_phone"), {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not User.objects.get(phone="+33612345678").phone_verified
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_signup_with_an_address_still_confirms_the_address(client):
    response = _signup(client, email="moussa@example.org", phone="")

    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="moussa@example.org")
    assert (user.phone, user.phone_verified) == ("", False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"email": "", "phone": ""},
            {
                "email": ["Indiquez une adresse e-mail ou un numéro de portable."],
                "phone": ["Indiquez une adresse e-mail ou un numéro de portable."],
            },
        ),
        ({"phone": "01 42 68 53 00"}, {"phone": [LANDLINE]}),
        ({"phone": "pas un numéro"}, {"phone": ["Ce numéro de téléphone n'est pas valide."]}),
        (
            {"role": Role.MENTOR.value},
            {"email": ["Les mentors s'inscrivent avec une adresse e-mail."]},
        ),
    ],
)
def test_signup_refusals_are_tied_to_their_field(client, overrides, errors):
    response = _signup(client, **overrides)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not User.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_signup_with_a_registered_number_tells_its_owner_and_the_page_nothing(client):
    owner = UserFactory(phone="+33612345678", phone_verified=True)

    response = _signup(client, phone="+33 6 12 34 56 78")

    # The same answer as a new number: the code page.
    assert (response.status_code, response.url) == (302, reverse("account_verify_phone"))
    assert User.objects.count() == 1
    [message] = _sms("+33612345678")
    assert (message.user, message.kind) == (owner, "security")
    assert "ce numéro a déjà un compte" in message.body_text


@pytest.mark.django_db
def test_the_database_refuses_two_accounts_with_one_number():
    UserFactory(phone="+33612345678")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone="+33612345678")


@pytest.mark.django_db
def test_the_database_requires_an_address_or_a_number_and_an_address_beyond_job_seekers():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email=None, phone="")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email=None, phone="+33612345678", role=Role.MENTOR)
    assert User.objects.create(email=None, phone="+33612345678").role == Role.JOB_SEEKER
    # Several people without an address: NULL is outside the unique index.
    assert User.objects.create(email=None, phone="+33781234567").email is None


@pytest.mark.django_db
def test_staff_cannot_give_a_phone_only_job_seeker_a_role_that_needs_an_address():
    person = User.objects.create_user(None, password=PASSWORD, phone="+33612345678")

    with pytest.raises(services.AccountError) as error:
        services.change_role(user=person, role=Role.MENTOR, by=StaffFactory())

    assert (
        str(error.value)
        == "Ce compte n'a pas d'adresse e-mail : seul un·e candidat·e peut se connecter sans."
    )


# --- Login with a number ---------------------------------------------------------------------


@pytest.mark.django_db
def test_login_by_sms_code_with_the_number_typed_the_french_way(client):
    user = User.objects.create_user(None, password=PASSWORD, phone="+33612345678", phone_verified=True)

    response = client.post(reverse("account_request_login_code"), {"phone": "06 12 34 56 78"})

    assert response.status_code == 302
    [message] = _sms("+33612345678")
    assert (message.kind, message.user) == ("security", user)
    response = client.post(reverse("account_confirm_login_code"), {"code": _code(message)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == user


@pytest.mark.django_db
def test_login_with_number_and_password(client):
    user = User.objects.create_user(None, password=PASSWORD, phone="+33612345678", phone_verified=True)

    response = client.post(reverse("account_login"), {"login": "06 12 34 56 78", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == user


@pytest.mark.django_db
def test_login_with_the_address_never_stops_for_a_number_typed_on_the_profile(client):
    # Accounts made before phone login have a number on their profile, never verified: signing in
    # with the address goes straight in, with no SMS code to type (and no SMS sent).
    user = UserFactory(phone="+33612345678", phone_verified=False)

    response = client.post(reverse("account_login"), {"login": user.email, "password": FACTORY_PASSWORD})

    assert response.status_code == 302
    assert "verify" not in response["Location"] and "telephone" not in response["Location"]
    assert client.get(reverse("accounts:profile")).context["user"] == user
    assert _sms("+33612345678") == []


@pytest.mark.django_db
def test_a_code_for_an_unknown_number_looks_the_same_and_sends_nothing(client):
    User.objects.create_user(None, password=PASSWORD, phone="+33612345678", phone_verified=True)
    known = client.post(reverse("account_request_login_code"), {"phone": "06 12 34 56 78"})

    unknown = Client().post(reverse("account_request_login_code"), {"phone": "06 98 76 54 32"})

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert _sms("+33698765432") == []


@pytest.mark.django_db
def test_codes_for_one_number_are_limited_even_from_several_clients():
    User.objects.create_user(None, password=PASSWORD, phone="+33612345678", phone_verified=True)
    answers = [
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            reverse("account_request_login_code"), {"phone": "06 12 34 56 78"}
        )
        for n in range(4)
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 200]
    assert len(_sms("+33612345678")) == 3
    assert answers[3].context["form"].errors


@pytest.mark.django_db
def test_request_code_form_asks_for_one_of_address_or_number(client):
    response = client.post(reverse("account_request_login_code"), {"email": "", "phone": ""})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Indiquez votre adresse e-mail ou votre numéro de portable."
    ]


# --- A person without an address elsewhere ---------------------------------------------------


@pytest.mark.django_db
def test_queue_email_to_nobody_queues_nothing_and_does_not_raise():
    with transaction.atomic():
        message, created = queue_email(
            key="test:nobody", to="", template="accounts/emails/welcome", context={"user": User()}
        )

    assert (message, created) == (None, False)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_staff_actions_on_a_phone_only_account_reach_the_person_by_sms(settings):
    person = User.objects.create_user(None, password=PASSWORD, phone="+33612345678", phone_verified=True)

    services.deactivate_user(user=person, by=StaffFactory())
    services.reactivate_user(user=person, by=StaffFactory())

    # Account security is essential: with no address, the notices go by SMS.
    rows = OutboxMessage.objects.filter(user=person).order_by("pk")
    assert [(row.channel, row.to_phone) for row in rows] == [("sms", "+33612345678")] * 2
    assert send_due_messages() == 2


@pytest.mark.django_db
def test_profile_keeps_the_number_of_a_person_without_address(client):
    person = User.objects.create_user(
        None, password=PASSWORD, phone="+33612345678", phone_verified=True, first_name="Moussa"
    )
    client.force_login(person)

    response = client.post(
        reverse("accounts:profile"), {"first_name": "Moussa", "last_name": "T", "phone": ""}
    )

    assert response.context["form"].errors == {
        "phone": ["Gardez un numéro : sans adresse e-mail, c'est par lui que vous vous connectez."]
    }
    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == ("+33612345678", True)


@pytest.mark.django_db
def test_a_new_number_on_the_profile_is_not_verified(client):
    person = UserFactory(phone="+33612345678", phone_verified=True)
    client.force_login(person)

    client.post(reverse("accounts:profile"), {"first_name": "A", "last_name": "B", "phone": "07 81 23 45 67"})

    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == ("+33781234567", False)


@pytest.mark.django_db
def test_the_same_phone_sign_up_twice_within_30_seconds_answers_429_not_a_crash(client):
    _signup(client)

    again = _signup(Client())

    assert again.status_code == 429
    assert User.objects.filter(phone="+33612345678").count() == 1
    assert len(_sms("+33612345678")) == 1


# --- The pages: structure, errors tied to their fields -----------------------------------------


@pytest.mark.django_db
def test_signup_without_address_nor_number_ties_the_message_to_both_fields(client):
    from tests.test_templates_a11y import accessibility_problems, by_id, parse_html

    response = _signup(client, email="", phone="")

    assert accessibility_problems(response.content.decode()) == []
    ids = by_id(parse_html(response.content.decode()))
    for field in ("id_email", "id_phone"):
        assert ids[field].attrs["aria-invalid"] == "true"
        assert f"{field}_error" in ids[field].attrs["aria-describedby"]
        assert ids[f"{field}_error"].text == "Indiquez une adresse e-mail ou un numéro de portable."
    assert ids["id_phone"].attrs["type"] == "tel"


@pytest.mark.django_db
def test_the_sms_code_page_is_accessible_and_asks_for_digits(client):
    from tests.test_templates_a11y import accessibility_problems, by_id, parse_html

    _signup(client)
    response = client.get(reverse("account_verify_phone"))

    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []
    code = by_id(parse_html(response.content.decode()))["id_code"]
    assert (code.attrs["inputmode"], code.attrs["autocomplete"]) == ("numeric", "one-time-code")
    assert "+33612345678" in response.content.decode()


@pytest.mark.django_db
def test_a_number_only_typed_on_a_profile_with_an_address_is_not_a_login(client):
    UserFactory(email="ana@example.org", phone="+33612345678", phone_verified=False)

    response = client.post(reverse("account_request_login_code"), {"phone": "06 12 34 56 78"})
    by_password = Client().post(reverse("account_login"), {"login": "0612345678", "password": PASSWORD})

    assert response.status_code == 302  # the same page as for any number
    assert _sms("+33612345678") == []
    assert by_password.status_code == 200
    assert by_password.context["form"].errors


@pytest.mark.django_db
def test_sms_codes_are_limited_per_client_too():
    # Four browsers behind one address, four numbers: the fourth SMS within the minute is refused.
    answers = [_signup(Client(REMOTE_ADDR="203.0.113.7"), phone=f"06 12 34 56 7{n}") for n in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert OutboxMessage.objects.filter(channel="sms").count() == 3


@pytest.mark.django_db
def test_changing_to_a_number_another_profile_holds_keeps_the_former_number():
    from declics.accounts.adapters import AccountAdapter

    UserFactory(email="ana@example.org", phone="+33612345678", phone_verified=False)
    person = User.objects.create_user(None, password=PASSWORD, phone="+33781234567")

    AccountAdapter().set_phone(person, "+33612345678", False)

    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == ("+33781234567", False)


@pytest.mark.django_db
def test_an_account_made_in_the_admin_needs_an_address(rf):
    from django.contrib import admin

    form_class = admin.site._registry[User].get_form(rf.get("/"), None)
    form = form_class({"role": Role.STAFF, "usable_password": "false"})

    assert not form.is_valid()
    assert form.errors["email"] == ["Ce champ est obligatoire."]


@pytest.mark.django_db
def test_the_change_of_number_page_says_what_the_number_is_for_and_sends_a_code_to_the_new_one(client):
    user = UserFactory(phone="+33612345678", phone_verified=True)
    client.force_login(user)

    page = client.get(reverse("account_change_phone")).content.decode()
    response = client.post(reverse("account_change_phone"), {"action_add": "", "phone": "06 98 76 54 32"})

    assert "Ce numéro sert à vous connecter." in page
    assert 'value="+33612345678"' in page and "Nouveau numéro :" in page
    assert response.status_code == 302, response.context["form"].errors
    [message] = _sms("+33698765432")
    assert message.body_text.startswith("DéClics : votre code est ")

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from declics.accounts.models import Role, User
from declics.accounts.services import site_language
from declics.notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-42"


def _signup(client, follow=False, **overrides):
    data = {
        "first_name": "Aïcha",
        "last_name": "Benali",
        "email": "Aicha.Benali@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.JOB_SEEKER.value,
        **overrides,
    }
    return client.post(reverse("account_signup"), data, follow=follow)


def _confirmation_link(message: OutboxMessage) -> str:
    return re.search(r"http://testserver(/comptes/confirm-email/[^/\s]+/)", message.body_text).group(1)


def test_signup_page_offers_names_email_phone_passwords_and_two_roles(client):
    response = client.get(reverse("account_signup"))

    form = response.context["form"]
    assert response.status_code == 200
    assert list(form.fields) == [
        "first_name",
        "last_name",
        "email",
        "phone",
        "password1",
        "password2",
        "role",
    ]
    assert form.fields["role"].choices == [
        ("job_seeker", "en recherche d'emploi"),
        ("mentor", "professionnel·le du numérique et vous voulez être mentor·e"),
    ]


@pytest.mark.parametrize("role", [Role.JOB_SEEKER, Role.MENTOR])
def test_signup_creates_unverified_user_with_role_and_queues_confirmation(client, role):
    response = _signup(client, role=role.value)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name, user.role, user.is_staff) == (
        "aicha.benali@example.org",
        "Aïcha",
        "Benali",
        role,
        False,
    )
    assert user.check_password(PASSWORD)
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("aicha.benali@example.org", False, True)
    ]
    # allauth's confirmation e-mail leaves through the outbox, in French, with its link.
    message = OutboxMessage.objects.get()
    assert message.dedup_key.startswith("allauth:email_confirmation_signup:")
    assert (message.to_email, message.user) == ("aicha.benali@example.org", user)
    assert message.subject == "[DéClics] Confirmez votre adresse e-mail"
    assert _confirmation_link(message).startswith("/comptes/confirm-email/")


@pytest.mark.parametrize("tampered", [Role.STAFF, Role.ADVISER, Role.PARTNER, "superuser"])
def test_signup_tampered_role_yields_a_job_seeker(client, tampered):
    response = _signup(client, role=str(tampered))

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.role, user.is_staff, user.is_superuser) == (Role.JOB_SEEKER, False, False)


def test_signup_without_role_shows_an_error_on_the_field(client):
    response = _signup(client, role="")

    assert response.status_code == 200
    assert response.context["form"].errors == {"role": ["Ce champ est obligatoire."]}
    assert User.objects.count() == 0


def test_signup_duplicate_email_creates_no_second_user_and_tells_the_owner(client):
    existing = UserFactory(email="aicha.benali@example.org", first_name="Première")

    response = _signup(client, follow=True)

    # The page says what any sign-up sees (it does not reveal that this person is registered)…
    assert response.redirect_chain == [(reverse("account_email_verification_sent"), 302)]
    assert "Vérifiez votre adresse e-mail" in response.content.decode()
    assert list(User.objects.values_list("pk", "first_name")) == [(existing.pk, "Première")]
    assert EmailAddress.objects.count() == 1
    # …and the owner of the address is told, in French, that an account already exists.
    message = OutboxMessage.objects.get()
    assert message.dedup_key.startswith("allauth:account_already_exists:")
    assert message.to_email == "aicha.benali@example.org"
    assert "un compte utilisant cette adresse existe déjà" in message.body_text
    assert "http://testserver/comptes/password/reset/" in message.body_text


def test_signup_too_long_name_shows_field_error_and_saves_nothing(client):
    response = _signup(client, first_name="A" * 101)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "first_name": ["Assurez-vous que cette valeur comporte au plus 100 caractères (actuellement 101)."]
    }
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_signup_invalid_email_and_mismatched_passwords_show_french_errors(client):
    response = _signup(client, email="pas-une-adresse", password2="autre-chose-42")

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["email"] == ["Saisissez une adresse de courriel valide."]
    assert User.objects.count() == 0


def test_email_confirmation_verifies_and_queues_welcome_once(client):
    _signup(client)
    link = _confirmation_link(OutboxMessage.objects.get())

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get().verified is True
    welcome = OutboxMessage.objects.get(dedup_key=f"welcome:user:{User.objects.get().pk}")
    assert welcome.subject == "[DéClics] Bienvenue sur DéClics Numériques"
    assert welcome.body_text.startswith("Bonjour Aïcha,")
    # Confirming again (a second click) does not queue a second welcome.
    client.post(link)
    assert OutboxMessage.objects.filter(dedup_key__startswith="welcome:").count() == 1


def test_login_requires_a_verified_email(client):
    UserFactory(email="unverified@example.org", verified=False)

    response = client.post(
        reverse("account_login"), {"login": "unverified@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_with_email_logs_in(client):
    user = UserFactory(email="ana@example.org")

    response = client.post(reverse("account_login"), {"login": "ANA@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_failures_are_rate_limited(client):
    UserFactory(email="ana@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ana@example.org", "password": "faux-mot-de-passe"})

    response = client.post(reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
    ]
    assert "_auth_user_id" not in client.session


def test_password_reset_email_goes_through_the_outbox(client):
    user = UserFactory(email="ana@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "ana@example.org"})

    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.dedup_key.startswith("allauth:password_reset_key:")
    assert (message.to_email, message.user) == ("ana@example.org", user)
    assert "http://testserver/comptes/password/reset/key/" in message.body_text
    assert "testserver" in message.body_text  # current_site reached the template


@pytest.mark.parametrize(
    ("field", "password"),
    [("first_name", "Maximilienne"), ("last_name", "Vandenbroucke"), ("email", "zorro.mvdb.1987")],
)
def test_signup_password_similar_to_the_names_or_address_is_refused(client, field, password):
    response = _signup(
        client,
        first_name="Maximilienne",
        last_name="Vandenbroucke",
        email="zorro.mvdb.1987@example.org",
        password1=password,
        password2=password,
    )

    label = {"first_name": "prénom", "last_name": "nom", "email": "adresse e-mail"}[field]
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "password1": [f"Le mot de passe est trop semblable au champ «\xa0{label}\xa0»."]
    }
    assert User.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(("cookie", "stored"), [("en", "en"), ("fr", "fr"), (None, "fr")])
def test_signup_stores_the_language_the_person_was_reading_the_site_in(client, cookie, stored):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    _signup(client)

    assert User.objects.get().language == stored


@pytest.mark.parametrize(("shown", "stored"), [("en-gb", "en"), ("fr-fr", "fr"), ("de", "fr"), ("", "fr")])
def test_a_page_language_is_stored_as_one_of_the_site_languages(shown, stored):
    assert site_language(shown) == stored

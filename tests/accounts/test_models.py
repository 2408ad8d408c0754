import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from declics.accounts.models import Role, User
from declics.accounts.validators import normalise_french_phone
from tests.factories import UserFactory


@pytest.mark.django_db
def test_create_user_logs_in_by_lowercased_email_without_username():
    user = User.objects.create_user("Ana.Martin@Example.ORG", password="x-secret-42", first_name="Ana")

    assert (user.email, user.role, user.is_staff, user.is_superuser) == (
        "ana.martin@example.org",
        Role.JOB_SEEKER,
        False,
        False,
    )
    assert not hasattr(user, "username")
    assert User.USERNAME_FIELD == "email"
    assert user.check_password("x-secret-42")


@pytest.mark.django_db
def test_create_superuser_is_staff_role():
    user = User.objects.create_superuser("boss@example.org", password="x-secret-42")

    assert (user.role, user.is_staff, user.is_superuser, user.is_programme_staff) == (
        Role.STAFF,
        True,
        True,
        True,
    )


@pytest.mark.django_db
def test_user_role_outside_choices_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        UserFactory(role="superhero")


def test_role_choices_are_the_five_roles_in_french():
    assert Role.choices == [
        ("job_seeker", "Candidat·e"),
        ("mentor", "Mentor·e"),
        ("adviser", "Conseiller·ère"),
        ("partner", "Partenaire"),
        ("staff", "Équipe DéClics"),
    ]


def test_user_full_name_and_str():
    user = User(email="ana@example.org", first_name="Ana", last_name="Martin")

    assert (str(user), user.get_full_name(), user.get_short_name()) == ("Ana Martin", "Ana Martin", "Ana")
    assert str(User(email="ana@example.org")) == "ana@example.org"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("01 42 68 53 00", "+33142685300"),
        ("0692 12 34 56", "+262692123456"),  # La Réunion
        ("+590 690 12 34 56", "+590690123456"),  # Guadeloupe
    ],
)
def test_normalise_french_phone_returns_e164(typed, e164):
    assert normalise_french_phone(typed) == e164


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("bonjour", "Ce numéro de téléphone n'est pas valide."),
        ("06 12", "Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."),
        ("+44 20 7946 0958", "Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."),
    ],
)
def test_normalise_french_phone_refuses_with_french_message(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_french_phone(typed)

    assert error.value.messages == [message]


@pytest.mark.django_db
def test_profile_saves_phone_normalised(client):
    user = UserFactory(first_name="Ana", last_name="Martin")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"), {"first_name": "Ana", "last_name": "Martin", "phone": "06 12 34 56 78"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+33612345678"


@pytest.mark.django_db
def test_profile_bad_phone_and_long_name_show_field_errors_and_save_nothing(client):
    user = UserFactory(first_name="Ana", last_name="Martin", phone="")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "A" * 101, "last_name": "Martin", "phone": "+44 20 7946 0958"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "first_name": ["Assurez-vous que cette valeur comporte au plus 100 caractères (actuellement 101)."],
        "phone": ["Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."],
    }
    user.refresh_from_db()
    assert (user.first_name, user.phone) == ("Ana", "")


@pytest.mark.django_db
def test_profile_redirects_anonymous_to_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('accounts:profile')}"

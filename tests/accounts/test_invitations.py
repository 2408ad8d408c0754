import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from declics.accounts import services
from declics.accounts.models import Invitation, Role, User
from declics.notifications.models import OutboxMessage
from tests.factories import AdviserFactory, MentorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-42"


def _invite(client, **overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Roussel",
        "email": "Claire.Roussel@FranceTravail.example",
        "role": Role.ADVISER.value,
        **overrides,
    }
    return client.post(reverse("accounts:invitations"), data)


def _invitation(**overrides):
    values = {
        "email": "claire@example.org",
        "first_name": "Claire",
        "last_name": "Roussel",
        "role": Role.ADVISER,
        "invited_by": StaffFactory(),
        **overrides,
    }
    return services.invite_user(**values)


def test_invitation_flow_from_staff_to_logged_in_adviser(client, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client)

    assert response.status_code == 302
    assert response.url == reverse("accounts:invitations")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by, invitation.accepted_at) == (
        "claire.roussel@francetravail.example",
        Role.ADVISER,
        staff,
        None,
    )
    outbox = OutboxMessage.objects.get()
    assert (outbox.dedup_key, outbox.status) == (f"invitation:{invitation.pk}", "sent")
    [email] = mail.outbox
    assert email.to == ["claire.roussel@francetravail.example"]
    assert email.subject == "[DéClics] Votre invitation sur DéClics Numériques"
    assert "L'équipe DéClics vous invite à rejoindre DéClics Numériques comme Conseiller·ère." in email.body
    link = re.search(r"http://127\.0\.0\.1:8000(/compte/invitation/[\w-]+/)", email.body).group(1)
    assert link == reverse("accounts:accept_invitation", args=[invitation.token])
    assert f'href="http://127.0.0.1:8000{link}"' in email.alternatives[0][0]

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "Bienvenue Claire" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(email="claire.roussel@francetravail.example")
    assert (user.role, user.first_name, user.last_name, user.is_staff) == (
        Role.ADVISER,
        "Claire",
        "Roussel",
        False,
    )
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        (user.email, True, True)
    ]
    invitation.refresh_from_db()
    assert invitation.user == user
    assert invitation.accepted_at is not None
    assert OutboxMessage.objects.filter(dedup_key=f"welcome:user:{user.pk}").count() == 1
    # The invited person can now log in with that password.
    client.logout()
    login = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_accept_invitation_link_used_twice_is_refused(client):
    invitation = _invitation()
    link = reverse("accounts:accept_invitation", args=[invitation.token])
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    page = client.get(link)
    again = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert page.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in page.content.decode()
    assert again.status_code == 404
    assert User.objects.filter(email="claire@example.org").count() == 1


def test_accept_invitation_expired_link_is_refused(client):
    invitation = _invitation()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    link = reverse("accounts:accept_invitation", args=[invitation.token])

    page = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert page.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in page.content.decode()
    assert not User.objects.filter(email="claire@example.org").exists()
    with pytest.raises(services.InvitationError, match="Ce lien d'invitation a expiré"):
        services.accept_invitation(token=invitation.token, password=PASSWORD)


def test_accept_invitation_unknown_token_is_refused(client):
    page = client.get(reverse("accounts:accept_invitation", args=["pas-un-jeton"]))

    assert page.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in page.content.decode()


def test_accept_invitation_mismatched_passwords_show_field_error(client):
    invitation = _invitation()

    response = client.post(
        reverse("accounts:accept_invitation", args=[invitation.token]),
        {"password1": PASSWORD, "password2": PASSWORD + "x"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "password2": ["Les deux mots de passe ne sont pas identiques."]
    }
    assert not User.objects.filter(email="claire@example.org").exists()


def test_accept_invitation_weak_password_shows_french_error(client):
    invitation = _invitation()

    response = client.post(
        reverse("accounts:accept_invitation", args=[invitation.token]),
        {"password1": "123", "password2": "123"},
    )

    assert response.status_code == 400
    assert "Ce mot de passe est trop court." in response.context["form"].errors["password1"][0]


def test_invite_second_pending_invitation_for_same_address_is_refused(client):
    staff = StaffFactory()
    client.force_login(staff)
    _invite(client)

    response = _invite(client, first_name="Autre", role=Role.PARTNER.value)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Une invitation est déjà en attente pour cette adresse e-mail."
    ]
    assert list(Invitation.objects.values_list("first_name", flat=True)) == ["Claire"]
    assert OutboxMessage.objects.count() == 1


def test_invite_after_expired_invitation_replaces_it():
    expired = _invitation()
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))

    fresh = _invitation(role=Role.PARTNER)

    assert list(Invitation.objects.values_list("pk", "role")) == [(fresh.pk, Role.PARTNER)]
    assert fresh.token != expired.token


def test_invite_existing_account_is_refused():
    UserFactory(email="claire@example.org")

    with pytest.raises(services.InvitationError, match="Un compte existe déjà avec cette adresse e-mail."):
        _invitation(email="CLAIRE@example.org")
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("role", [Role.STAFF, Role.JOB_SEEKER, Role.MENTOR])
def test_invite_user_refuses_roles_that_are_not_invited(role):
    with pytest.raises(services.InvitationError, match="Ce rôle ne s'obtient pas par invitation."):
        _invitation(role=role)


def test_invite_user_by_non_staff_is_refused():
    with pytest.raises(services.InvitationError, match="Seule l'équipe DéClics peut inviter"):
        _invitation(invited_by=AdviserFactory())


def test_invitations_form_offers_only_adviser_and_partner(client):
    client.force_login(StaffFactory())

    response = client.get(reverse("accounts:invitations"))

    assert response.status_code == 200
    assert response.context["form"].fields["role"].choices == [
        ("adviser", "Conseiller·ère"),
        ("partner", "Partenaire"),
    ]


def test_invitations_tampered_role_is_refused_on_the_field(client):
    client.force_login(StaffFactory())

    response = _invite(client, role=Role.STAFF.value)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "role": ["Sélectionnez un choix valide. staff n’en fait pas partie."]
    }
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("factory", [AdviserFactory, MentorFactory, UserFactory])
def test_invitations_page_forbidden_to_non_staff(client, factory):
    client.force_login(factory())

    get = client.get(reverse("accounts:invitations"))
    post = _invite(client)

    assert (get.status_code, post.status_code) == (403, 403)
    assert Invitation.objects.count() == 0


def test_invitations_page_redirects_anonymous_to_login(client):
    response = client.get(reverse("accounts:invitations"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('accounts:invitations')}"


@pytest.mark.parametrize("rows", [1, 3])
def test_invitations_page_query_count_is_constant(client, django_assert_num_queries, rows):
    staff = StaffFactory()
    for n in range(rows):
        _invitation(email=f"p{n}@example.org", invited_by=staff)
    client.force_login(staff)

    # session, user, pending invitations with their inviter, then the session saved in its own
    # atomic block (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release inside the test transaction)
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:invitations"))

    assert [i.email for i in response.context["pending"]] == [
        f"p{n}@example.org" for n in reversed(range(rows))
    ]
    assert response.content.decode().count(str(staff)) >= rows

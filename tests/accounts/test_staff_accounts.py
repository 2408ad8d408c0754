"""Staff change a person's role and close or reopen an account (issue 14, item 4), each through a
service with its rules and an e-mail to the person."""

import django.test
import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from declics.accounts import services
from declics.accounts.models import Role, User
from declics.notifications.models import OutboxMessage
from tests.factories import AdviserFactory, MentorFactory, PartnerUserFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _keys(prefix):
    return list(
        OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", flat=True)
    )


def test_staff_change_a_role_and_the_person_is_told():
    staff = StaffFactory()
    person = UserFactory(email="lea@example.org")

    services.change_role(user=person, role=Role.MENTOR, by=staff)

    person.refresh_from_db()
    assert person.role == Role.MENTOR
    [message] = OutboxMessage.objects.filter(dedup_key__startswith=f"accounts:role-changed:{person.pk}:")
    assert message.to_email == "lea@example.org"
    assert "Mentor·e" in message.body_text
    assert "double authentification" not in message.body_text


def test_the_same_role_twice_is_refused_so_a_double_click_sends_once():
    staff, person = StaffFactory(), UserFactory()
    services.change_role(user=person, role=Role.PARTNER, by=staff)
    with pytest.raises(services.AccountError, match="déjà ce rôle"):
        services.change_role(user=person, role=Role.PARTNER, by=staff)
    assert len(_keys(f"accounts:role-changed:{person.pk}:")) == 1


def test_nobody_changes_their_own_role():
    staff = StaffFactory()
    StaffFactory()  # another staff member: the refusal is not the last-staff rule
    with pytest.raises(services.AccountError, match="votre propre rôle"):
        services.change_role(user=staff, role=Role.JOB_SEEKER, by=staff)
    assert User.objects.get(pk=staff.pk).role == Role.STAFF


def test_the_last_active_staff_member_cannot_be_demoted_nor_deactivated():
    last = StaffFactory()
    superuser = User.objects.create_superuser(
        "root@example.org", "x", role=Role.JOB_SEEKER
    )  # may act, not staff by role
    StaffFactory(is_active=False)  # a closed staff account does not count
    with pytest.raises(services.AccountError, match="dernier compte actif"):
        services.change_role(user=last, role=Role.ADVISER, by=superuser)
    with pytest.raises(services.AccountError, match="dernier compte actif"):
        services.deactivate_user(user=last, by=superuser)
    last.refresh_from_db()
    assert (last.role, last.is_active) == (Role.STAFF, True)


def test_demoting_a_staff_member_removes_their_admin_access():
    staff, other = StaffFactory(), StaffFactory(is_staff=True)
    services.change_role(user=other, role=Role.ADVISER, by=staff)
    other.refresh_from_db()
    assert (other.role, other.is_staff) == (Role.ADVISER, False)


def test_only_staff_change_roles():
    with pytest.raises(services.AccountError, match="Seule l'équipe"):
        services.change_role(user=UserFactory(), role=Role.STAFF, by=AdviserFactory())


def test_a_person_made_adviser_must_set_up_the_second_factor_at_their_next_page():
    person = MentorFactory()
    browser = django.test.Client()  # Django's own: the sign-in passes no second factor
    browser.force_login(person)
    assert browser.get(reverse("accounts:profile")).status_code == 200

    services.change_role(user=person, role=Role.ADVISER, by=StaffFactory())

    response = browser.get(reverse("accounts:profile"))
    assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))
    [message] = OutboxMessage.objects.filter(dedup_key__startswith="accounts:role-changed:")
    assert "double authentification" in message.body_text


def test_deactivation_ends_the_persons_sessions_and_tells_them():
    person = PartnerUserFactory()
    browser, other = django.test.Client(), django.test.Client()
    browser.force_login(person)
    other.force_login(UserFactory())
    assert Session.objects.count() == 2

    services.deactivate_user(user=person, by=StaffFactory())

    person.refresh_from_db()
    assert person.is_active is False
    assert Session.objects.count() == 1  # only the other person's
    response = browser.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert len(_keys(f"accounts:deactivated:{person.pk}:")) == 1
    with pytest.raises(services.AccountError, match="déjà désactivé"):
        services.deactivate_user(user=person, by=StaffFactory())
    assert len(_keys(f"accounts:deactivated:{person.pk}:")) == 1


def test_nobody_deactivates_themselves():
    staff = StaffFactory()
    StaffFactory()
    with pytest.raises(services.AccountError, match="votre propre compte"):
        services.deactivate_user(user=staff, by=staff)


def test_reactivation_opens_the_account_again_and_tells_them(client):
    staff = StaffFactory()
    person = UserFactory(is_active=False)
    services.reactivate_user(user=person, by=staff)
    person.refresh_from_db()
    assert person.is_active
    assert len(_keys(f"accounts:reactivated:{person.pk}:")) == 1
    with pytest.raises(services.AccountError, match="déjà actif"):
        services.reactivate_user(user=person, by=staff)


def test_staff_pages_change_a_role_and_deactivate(client):
    staff = StaffFactory()
    person = UserFactory()
    client.force_login(staff)

    response = client.post(reverse("accounts:staff_user_role"), {"user": person.pk, "role": Role.ADVISER})
    assert response.url == reverse("accounts:staff_users")
    response = client.post(reverse("accounts:staff_user_deactivate"), {"user": person.pk})
    assert response.url == reverse("accounts:staff_users")
    person.refresh_from_db()
    assert (person.role, person.is_active) == (Role.ADVISER, False)
    refused = client.post(reverse("accounts:staff_user_deactivate"), {"user": staff.pk})
    assert refused.status_code == 409
    assert "votre propre compte" in refused.content.decode()
    unknown = client.post(reverse("accounts:staff_user_role"), {"user": person.pk, "role": "roi"})
    assert unknown.status_code == 400


def test_staff_list_filters_by_role_state_and_name(client):
    staff = StaffFactory(first_name="Sacha", last_name="Equipe")
    UserFactory(first_name="Bérénice", last_name="Quintavalle")
    AdviserFactory(first_name="Ana", last_name="Conseil", is_active=False)
    client.force_login(staff)
    url = reverse("accounts:staff_users")

    def names(**params):
        return sorted(u.last_name for u in client.get(url, params).context["page"].object_list)

    assert names() == ["Conseil", "Equipe", "Quintavalle"]
    assert names(role=Role.ADVISER) == ["Conseil"]
    assert names(state="active") == ["Equipe", "Quintavalle"]
    assert names(q="quinta") == ["Quintavalle"]


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_list_query_count_is_constant(client, django_assert_num_queries, rows):
    staff = StaffFactory()
    UserFactory.create_batch(rows)
    client.force_login(staff)
    with django_assert_num_queries(7):
        response = client.get(reverse("accounts:staff_users"))
    assert len(response.context["page"].object_list) == rows + 1

"""Each role lands on its own space after login (issue 14, item 10); a safe `?next=` still wins."""

import pytest
from django.test import Client as PlainClient
from django.urls import reverse

from declics.accounts.models import Role
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    AdviserFactory,
    MentorFactory,
    PartnerUserFactory,
    StaffFactory,
    UserFactory,
    totp_code,
    with_totp,
)
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _login(client, user, *, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    if user.must_use_second_factor:
        assert response.url.startswith(reverse("mfa_authenticate"))
        response = client.post(response.url, {"code": totp_code(TOTP_SECRET)})
    return response


@pytest.mark.parametrize(
    ("factory", "landing"),
    [
        (StaffFactory, "programs:staff_sessions"),
        (AdviserFactory, "programs:adviser_sessions"),
        (MentorFactory, "mentoring:mentor_dashboard"),
        (PartnerUserFactory, "jobs:partner_home"),
    ],
)
def test_each_role_lands_on_its_own_space(factory, landing):
    user = factory()
    if user.must_use_second_factor:
        with_totp(user)

    response = _login(PlainClient(), user)

    assert (response.status_code, response.url) == (302, reverse(landing))


def test_a_superuser_lands_on_the_staff_space():
    user = with_totp(UserFactory(role=Role.JOB_SEEKER, is_superuser=True, is_staff=True))

    assert _login(PlainClient(), user).url == reverse("programs:staff_sessions")


def test_a_job_seeker_lands_on_the_pathway_of_their_current_session():
    ended = SessionFactory()
    current = OpenSessionFactory()
    person = UserFactory()
    EnrolmentFactory(job_seeker=person, session=ended)
    EnrolmentFactory(job_seeker=person, session=current)

    response = _login(PlainClient(), person)

    assert response.url == reverse("programs:pathway", args=[current.slug])


def test_a_job_seeker_with_no_session_lands_on_my_pathway():
    response = _login(PlainClient(), UserFactory())

    assert response.url == reverse("programs:my_pathway")


def test_a_safe_next_still_wins_and_an_unsafe_one_is_ignored():
    mentor = MentorFactory()
    wanted = reverse("accounts:profile")

    safe = _login(PlainClient(), mentor, next_url=wanted)
    unsafe = _login(PlainClient(), mentor, next_url="https://ailleurs.example/")

    assert (safe.url, unsafe.url) == (wanted, reverse("mentoring:mentor_dashboard"))


def test_staff_with_a_next_go_there_after_their_second_factor():
    staff = with_totp(StaffFactory())
    wanted = reverse("programs:console_audit")

    assert _login(PlainClient(), staff, next_url=wanted).url == wanted

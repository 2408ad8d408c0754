import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from tests.factories import AdviserFactory, MentorFactory, PartnerUserFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@role_required(Role.ADVISER, Role.PARTNER)
def advisers_and_partners(request):
    return HttpResponse("ok")


@staff_required
def staff_only(request):
    return HttpResponse("ok")


def _get(view, user, path="/espace/?page=2"):
    request = RequestFactory().get(path)
    request.user = user
    return view(request)


def test_role_required_redirects_anonymous_to_login_with_next():
    response = _get(advisers_and_partners, AnonymousUser())

    assert response.status_code == 302
    assert response.url == "/comptes/login/?next=/espace/%3Fpage%3D2"


@pytest.mark.parametrize("factory", [AdviserFactory, PartnerUserFactory, StaffFactory])
def test_role_required_lets_allowed_roles_and_staff_in(factory):
    response = _get(advisers_and_partners, factory())

    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.parametrize("factory", [UserFactory, MentorFactory])
def test_role_required_wrong_role_is_forbidden(factory):
    with pytest.raises(PermissionDenied):
        _get(advisers_and_partners, factory())


def test_role_required_lets_a_superuser_in_whatever_their_role():
    response = _get(advisers_and_partners, UserFactory(is_superuser=True))

    assert response.status_code == 200


@pytest.mark.parametrize("factory", [UserFactory, MentorFactory, AdviserFactory, PartnerUserFactory])
def test_staff_required_forbids_every_other_role(factory):
    with pytest.raises(PermissionDenied):
        _get(staff_only, factory())


def test_staff_required_lets_staff_in_and_states_the_allowed_roles():
    response = _get(staff_only, StaffFactory())

    assert response.status_code == 200
    assert staff_only.allowed_roles == (Role.STAFF,)
    assert advisers_and_partners.allowed_roles == (Role.ADVISER, Role.PARTNER, Role.STAFF)


def test_role_required_forbidden_renders_403_through_the_stack(client):
    client.force_login(UserFactory())

    response = client.get("/compte/invitations/")

    assert response.status_code == 403

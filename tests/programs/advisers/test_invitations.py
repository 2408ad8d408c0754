"""An adviser invited into an agency joins it on acceptance: programs' hook on the accounts'
invitations (`declics.accounts.services.InvitationHook`), so that accounts imports no domain app."""

import pytest

from declics.accounts import services as account_services
from declics.accounts.models import Role
from programs.models import AdviserMembership, AgencyInvitation
from programs.services.advisers import AdviserError
from tests.factories import StaffFactory

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _invite(**options):
    return account_services.invite_user(
        email="claire@example.org",
        first_name="Claire",
        last_name="Roussel",
        role=options.pop("role", Role.ADVISER),
        invited_by=StaffFactory(),
        **options,
    )


def test_an_adviser_invited_into_an_agency_joins_it_on_acceptance():
    agency = AgencyFactory(name="France Travail Montpellier Près d'Arènes")

    invitation = _invite(agency=agency, is_head=True)
    link = AgencyInvitation.objects.get()
    user = account_services.accept_invitation(token=invitation.token, password="Un-mot-de-passe-solide-42")

    assert (link.invitation, link.agency, link.is_head) == (invitation, agency, True)
    membership = AdviserMembership.objects.get()
    assert (membership.user, membership.agency, membership.is_head) == (user, agency, True)


def test_an_adviser_invited_without_an_agency_joins_none():
    invitation = _invite()
    account_services.accept_invitation(token=invitation.token, password="Un-mot-de-passe-solide-42")

    assert not AgencyInvitation.objects.exists()
    assert not AdviserMembership.objects.exists()


def test_only_an_adviser_is_invited_into_an_agency():
    with pytest.raises(AdviserError):
        _invite(role=Role.PARTNER, agency=AgencyFactory())


def test_an_option_no_app_knows_is_refused():
    with pytest.raises(TypeError):
        _invite(agnecy=AgencyFactory())

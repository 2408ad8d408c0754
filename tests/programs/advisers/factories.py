"""Agencies and advisers attached to them."""

import factory

from programs.models import AdviserMembership, Agency, AgencyKind
from tests.factories import AdviserFactory
from tests.programs.factories import DepartementFactory


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agence France Travail {n}")
    kind = AgencyKind.FRANCE_TRAVAIL
    departement = factory.SubFactory(DepartementFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviserMembership

    user = factory.SubFactory(AdviserFactory)
    agency = factory.SubFactory(AgencyFactory)
    is_head = False


def agency_adviser(*, agency=None, is_head=False, **kwargs):
    """An adviser account attached to `agency` (a new Hérault agency by default)."""
    membership = MembershipFactory(
        user=AdviserFactory(**kwargs), agency=agency or AgencyFactory(), is_head=is_head
    )
    return membership.user

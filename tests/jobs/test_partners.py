"""The partner space both rooms share: attaching a partner user, the partner home."""

import pytest
from django.urls import reverse

from jobs import services
from tests.factories import PartnerUserFactory, StaffFactory
from tests.jobs.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


# --- partners ---------------------------------------------------------------------------------------
def test_add_partner_member_refuses_a_second_partner_and_non_staff():
    staff = StaffFactory()
    user = PartnerUserFactory()
    first, second = PartnerFactory(), PartnerFactory()
    services.add_partner_member(partner=first, user=user, added_by=staff)
    with pytest.raises(services.PartnerError, match="déjà rattaché à un autre partenaire"):
        services.add_partner_member(partner=second, user=user, added_by=staff)
    with pytest.raises(services.PartnerError, match="Seule l'équipe DéClics"):
        services.add_partner_member(partner=first, user=PartnerUserFactory(), added_by=user)
    assert list(first.memberships.values_list("user", flat=True)) == [user.pk]


def test_partner_home_redirects_to_the_users_partner_and_lists_all_for_staff(client):
    membership = MembershipFactory(partner__name="ACME")
    client.force_login(membership.user)
    response = client.get(reverse("jobs:partner_home"))
    assert response.url == reverse("jobs:partner_dashboard", args=[membership.partner.pk])
    client.force_login(StaffFactory())
    response = client.get(reverse("jobs:partner_home"))
    assert [partner.name for partner in response.context["partners"]] == ["ACME"]

"""Staff pages of partners and training bodies (issue 14, item 4): create, edit, invite a user into
a partner (the accounts' invitation, joined on acceptance), attach an existing account, detach."""

import pytest
from django.urls import reverse

from declics.accounts import services as account_services
from declics.accounts.models import Invitation, Role
from jobs import services
from jobs.models import Partner, PartnerInvitation, PartnerKind, PartnerMembership
from tests.factories import PASSWORD, AdviserFactory, PartnerUserFactory, StaffFactory, UserFactory
from tests.jobs.factories import (
    CommuneFactory,
    JobOfferFactory,
    MembershipFactory,
    PartnerFactory,
    TrainingBodyFactory,
    luhn_siret,
)
from tests.jobs.helpers import queued
from tests.programs.advisers.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_training_body_with_its_regions_and_towns(client):
    commune_montpellier = CommuneFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("jobs:staff_partner_create"),
        {
            "kind": PartnerKind.TRAINING_BODY,
            "name": "Simplon Occitanie",
            "siret": luhn_siret(77),
            "regions": [commune_montpellier.departement.region_id],
            "qualiopi": "on",
            "communes": "34172",
            "contact_email": "contact@simplon.example",
        },
    )
    partner = Partner.objects.get(name="Simplon Occitanie")
    assert response.url == reverse("jobs:staff_partner", args=[partner.pk])
    assert (partner.kind, partner.qualiopi) == (PartnerKind.TRAINING_BODY, True)
    assert list(partner.communes.values_list("code", flat=True)) == ["34172"]
    assert list(partner.regions.values_list("code", flat=True)) == [commune_montpellier.departement.region_id]


def test_a_bad_siret_is_a_clear_error(client):
    client.force_login(StaffFactory())
    response = client.post(
        reverse("jobs:staff_partner_create"),
        {"kind": PartnerKind.COMPANY, "name": "X", "siret": "12345678901234"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["siret"]
    assert not Partner.objects.exists()


def test_only_staff_save_a_partner():
    partner = PartnerFactory()
    with pytest.raises(services.PartnerError, match="Seule l'équipe"):
        services.save_partner(partner=partner, by=MembershipFactory(partner=partner).user)


def test_the_kind_of_a_partner_with_offers_cannot_change():
    partner = PartnerFactory()
    JobOfferFactory(company=partner)
    partner.kind = PartnerKind.TRAINING_BODY
    with pytest.raises(services.PartnerError, match="son type ne peut plus changer"):
        services.save_partner(partner=partner, by=StaffFactory())
    assert Partner.objects.get(pk=partner.pk).kind == PartnerKind.COMPANY


def test_a_person_invited_into_a_partner_joins_it_on_acceptance(client):
    partner = TrainingBodyFactory(name="Organisme Sud")
    client.force_login(StaffFactory())
    response = client.post(
        reverse("jobs:staff_partner_invite", args=[partner.pk]),
        {"invite-first_name": "Inès", "invite-last_name": "Durand", "invite-email": "ines@sud.example"},
    )
    assert response.url == reverse("jobs:staff_partner", args=[partner.pk])
    invitation = Invitation.objects.get()
    assert (invitation.role, PartnerInvitation.objects.get().partner) == (Role.PARTNER, partner)
    assert [m.dedup_key for m in queued()] == [f"invitation:{invitation.pk}"]
    assert "ines@sud.example" in client.get(response.url).content.decode()  # pending, on the page

    user = account_services.accept_invitation(token=invitation.token, password=PASSWORD)

    assert PartnerMembership.objects.get(user=user).partner == partner


def test_invitation_hooks_each_get_their_own_options():
    """The agency hook (programs) and the partner hook (jobs) live side by side: neither trips on
    the other's option."""
    staff = StaffFactory()
    agency = AgencyFactory()
    adviser = account_services.invite_user(
        email="a@example.org",
        first_name="A",
        last_name="B",
        role=Role.ADVISER,
        invited_by=staff,
        agency=agency,
    )
    partner = services.invite_partner_user(
        partner=PartnerFactory(), email="p@example.org", first_name="P", last_name="Q", by=staff
    )
    assert (adviser.agency_invitation.agency, partner.partner_invitation.partner.pk) == (
        agency,
        PartnerInvitation.objects.get().partner_id,
    )
    with pytest.raises(TypeError):
        account_services.invite_user(
            email="x@example.org",
            first_name="X",
            last_name="Y",
            role=Role.PARTNER,
            invited_by=staff,
            partenaire=1,
        )


def test_an_address_with_an_account_is_not_invited_but_linked(client):
    partner = PartnerFactory()
    existing = PartnerUserFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("jobs:staff_partner_invite", args=[partner.pk]),
        {"invite-first_name": "A", "invite-last_name": "B", "invite-email": existing.email},
    )
    assert response.status_code == 400
    assert "Un compte existe déjà" in response.content.decode()
    assert not Invitation.objects.exists()


def test_staff_link_an_existing_partner_account_and_it_is_told(client):
    partner = PartnerFactory(name="ACME")
    user = PartnerUserFactory(email="paul@acme.example")
    client.force_login(StaffFactory())

    response = client.post(
        reverse("jobs:staff_partner_link", args=[partner.pk]), {"link-email": "PAUL@acme.example"}
    )

    membership = PartnerMembership.objects.get(user=user)
    assert (response.status_code, membership.partner) == (302, partner)
    assert [(m.to_email, m.dedup_key) for m in queued()] == [
        ("paul@acme.example", f"jobs:partner-member-added:{membership.pk}")
    ]
    assert "ACME" in queued()[0].subject


@pytest.mark.parametrize(
    ("make_user", "message"),
    [
        (lambda: UserFactory(email="x@example.org"), "donnez-lui d'abord le rôle"),
        (lambda: AdviserFactory(email="x@example.org"), "donnez-lui d'abord le rôle"),
        (lambda: MembershipFactory(user__email="x@example.org").user, "déjà rattaché à un autre partenaire"),
        (lambda: None, "Aucun compte n'a cette adresse"),
        (lambda: PartnerUserFactory(email="x@example.org", is_active=False), "désactivé"),
    ],
)
def test_linking_refuses_with_a_clear_message(client, make_user, message):
    partner = PartnerFactory()
    make_user()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("jobs:staff_partner_link", args=[partner.pk]), {"link-email": "x@example.org"}
    )
    assert response.status_code == 400
    assert message in response.context["link_form"].errors["email"][0]
    assert not partner.memberships.exists()
    assert queued() == []


def test_staff_detach_a_user_once_and_it_is_told(client):
    membership = MembershipFactory()
    partner, user = membership.partner, membership.user
    client.force_login(StaffFactory())
    url = reverse("jobs:staff_partner_unlink", args=[partner.pk])

    first = client.post(url, {"user": user.pk})
    second = client.post(url, {"user": user.pk})

    assert (first.status_code, second.status_code) == (302, 404)
    assert not PartnerMembership.objects.exists()
    assert [m.dedup_key for m in queued()] == [f"jobs:partner-member-removed:{membership.pk}"]
    user.refresh_from_db()
    assert user.is_active  # the account stays


def test_detaching_a_member_of_another_partner_finds_nothing(client):
    membership = MembershipFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("jobs:staff_partner_unlink", args=[PartnerFactory().pk]), {"user": membership.user.pk}
    )
    assert response.status_code == 404
    assert PartnerMembership.objects.filter(pk=membership.pk).exists()


def test_staff_partner_list_filters_by_kind_and_name(client):
    PartnerFactory(name="ACME")
    TrainingBodyFactory(name="Simplon")
    client.force_login(StaffFactory())
    url = reverse("jobs:staff_partners")

    def names(**params):
        return [p.name for p in client.get(url, params).context["page"].object_list]

    assert names() == ["ACME", "Simplon"]
    assert names(kind=PartnerKind.TRAINING_BODY) == ["Simplon"]
    assert names(q="acm") == ["ACME"]


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_partner_list_query_count_is_constant(client, django_assert_num_queries, rows):
    for partner in PartnerFactory.create_batch(rows):
        MembershipFactory(partner=partner)
    client.force_login(StaffFactory())
    with django_assert_num_queries(7):
        response = client.get(reverse("jobs:staff_partners"))
    assert [p.member_count for p in response.context["page"].object_list] == [1] * rows


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_partner_page_query_count_is_constant(client, django_assert_num_queries, rows):
    partner = PartnerFactory()
    MembershipFactory.create_batch(rows, partner=partner)
    client.force_login(StaffFactory())
    with django_assert_num_queries(12):
        response = client.get(reverse("jobs:staff_partner", args=[partner.pk]))
    assert len(response.context["members"]) == rows

"""Staff moderation of offers (issue 14, item 4): unpublish with a reason told to the company, put
back online; the unpublished offer leaves the job seekers' pages, its applications stay."""

import pytest
from django.urls import reverse

from jobs.offers import services
from jobs.offers.forms import JobOfferForm
from jobs.offers.models import Application, JobOffer, ModerationAction
from tests.factories import StaffFactory
from tests.jobs.factories import ApplicationFactory, JobOfferFactory, MembershipFactory, PartnerFactory
from tests.jobs.helpers import queued

pytestmark = pytest.mark.django_db

REASON = "L'offre demande un permis de conduire sans que le poste l'exige : merci de corriger."


def test_an_unpublished_offer_leaves_the_seekers_list_and_keeps_its_applications(client, enrolment):
    offer = JobOfferFactory(title="Développeuse web")
    application = ApplicationFactory(offer=offer)
    client.force_login(enrolment.job_seeker)
    offers_url = reverse("jobs:offers", args=[enrolment.session.slug])
    assert [o.title for o in client.get(offers_url).context["offers"]] == ["Développeuse web"]

    services.unpublish_offer(offer=offer, reason=REASON, by=StaffFactory())

    assert list(client.get(offers_url).context["offers"]) == []
    detail = client.get(reverse("jobs:offer_detail", args=[enrolment.session.slug, offer.pk]))
    assert detail.status_code == 404
    offer.refresh_from_db()
    assert (offer.is_published, offer.is_moderated) == (False, True)
    assert list(Application.objects.filter(offer=offer)) == [application]


def test_the_company_receives_the_reason_once_per_decision():
    company = PartnerFactory(name="ACME")
    members = [MembershipFactory(partner=company).user for _ in range(2)]
    offer = JobOfferFactory(company=company, title="Technicien support")
    staff = StaffFactory()

    moderation = services.unpublish_offer(offer=offer, reason=REASON, by=staff)
    with pytest.raises(services.OfferError, match="déjà retirée"):
        services.unpublish_offer(offer=offer, reason=REASON, by=staff)  # the double click

    messages = queued()
    assert sorted(m.to_email for m in messages) == sorted(u.email for u in members)
    assert {m.dedup_key for m in messages} == {
        f"jobs:offer-moderation:{offer.pk}:{moderation.pk}:{u.email}" for u in members
    }
    assert all("Technicien support" in m.subject and REASON in m.body_text for m in messages)


def test_a_company_without_users_is_told_at_its_contact_address():
    offer = JobOfferFactory(company=PartnerFactory(contact_email="rh@acme.example"))
    services.unpublish_offer(offer=offer, reason=REASON, by=StaffFactory())
    assert [m.to_email for m in queued()] == ["rh@acme.example"]


def test_unpublishing_needs_a_reason_and_staff():
    offer = JobOfferFactory()
    member = MembershipFactory(partner=offer.company).user
    with pytest.raises(services.OfferError, match="Indiquez la raison"):
        services.unpublish_offer(offer=offer, reason="   ", by=StaffFactory())
    with pytest.raises(services.OfferError, match="Seule l'équipe"):
        services.unpublish_offer(offer=offer, reason=REASON, by=member)
    assert JobOffer.objects.get(pk=offer.pk).is_published


def test_the_company_cannot_publish_a_moderated_offer_again():
    offer = JobOfferFactory()
    member = MembershipFactory(partner=offer.company).user
    services.unpublish_offer(offer=offer, reason=REASON, by=StaffFactory())
    offer = JobOffer.objects.get(pk=offer.pk)

    assert JobOfferForm(instance=offer).fields["is_published"].disabled
    offer.is_published = True
    with pytest.raises(services.OfferError, match="retiré cette offre"):
        services.save_job_offer(offer=offer, company=offer.company, by=member)
    offer.is_published = False
    offer.title = "Corrigée"
    services.save_job_offer(offer=offer, company=offer.company, by=member)  # editing it stays possible
    offer.refresh_from_db()
    assert (offer.title, offer.is_published, offer.is_moderated) == ("Corrigée", False, True)


def test_republishing_puts_it_back_online_and_tells_the_company(client, enrolment):
    offer = JobOfferFactory()
    MembershipFactory(partner=offer.company)
    staff = StaffFactory()
    services.unpublish_offer(offer=offer, reason=REASON, by=staff)

    moderation = services.republish_offer(offer=offer, by=staff)

    offer.refresh_from_db()
    assert (offer.is_published, offer.is_moderated, moderation.action) == (
        True,
        False,
        ModerationAction.REPUBLISHED,
    )
    assert [m.dedup_key.split(":")[3] for m in queued()][-1] == str(moderation.pk)
    with pytest.raises(services.OfferError, match="n'a pas été retirée"):
        services.republish_offer(offer=offer, by=staff)
    client.force_login(enrolment.job_seeker)
    assert [
        o.pk for o in client.get(reverse("jobs:offers", args=[enrolment.session.slug])).context["offers"]
    ] == [offer.pk]


def test_staff_unpublish_and_republish_through_the_pages(client):
    offer = JobOfferFactory()
    client.force_login(StaffFactory())

    empty = client.post(reverse("jobs:staff_offer_unpublish", args=[offer.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert "Raison du retrait" in empty.content.decode()
    response = client.post(reverse("jobs:staff_offer_unpublish", args=[offer.pk]), {"reason": REASON})
    assert response.url == reverse("jobs:staff_offer", args=[offer.pk])
    page = client.get(response.url)
    assert "un permis de conduire sans que le poste" in page.content.decode()
    assert "Remettre l'offre en ligne" in page.content.decode()
    response = client.post(reverse("jobs:staff_offer_republish", args=[offer.pk]))
    assert response.status_code == 302
    again = client.post(reverse("jobs:staff_offer_republish", args=[offer.pk]))
    assert again.status_code == 409
    assert JobOffer.objects.get(pk=offer.pk).is_published


def test_staff_offer_list_filters_by_state(client):
    online = JobOfferFactory(title="En ligne")
    moderated = JobOfferFactory(title="Retirée")
    services.unpublish_offer(offer=moderated, reason=REASON, by=StaffFactory())
    JobOfferFactory(title="Brouillon", is_published=False)
    client.force_login(StaffFactory())
    url = reverse("jobs:staff_offers")

    def titles(**params):
        return sorted(o.title for o in client.get(url, params).context["page"].object_list)

    assert titles() == ["Brouillon", "En ligne", "Retirée"]
    assert titles(state="moderated") == ["Retirée"]
    assert titles(state="online") == [online.title]
    assert titles(state="unpublished") == ["Brouillon"]
    assert titles(q="retir") == ["Retirée"]


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_offer_list_query_count_is_constant(client, django_assert_num_queries, rows):
    for offer in JobOfferFactory.create_batch(rows):
        ApplicationFactory(offer=offer)
    client.force_login(StaffFactory())
    # Session, user, the count and the page of offers, and the layout's own reads.
    with django_assert_num_queries(7):
        response = client.get(reverse("jobs:staff_offers"))
    assert len(response.context["page"].object_list) == rows

"""An adviser invites people by SMS (issue 15): a short link that opens the session's page with the
adviser remembered, each number once, French mobiles only."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from declics.notifications.models import OutboxMessage
from programs.models import SessionPhoneInvitation
from programs.services import advisers as services
from programs.views import ADVISER_KEY

pytestmark = pytest.mark.django_db


def _invite(client, world, phones):
    client.force_login(world.adviser)
    return client.post(reverse("programs:adviser_invite", args=[world.session.slug]), {"sms-phones": phones})


def test_invite_by_sms_queues_one_sms_per_new_number_with_a_short_link(client, world):
    response = _invite(client, world, "06 12 34 56 78\n+33 6 12 34 56 78; 0692 12 34 56")

    assert response.status_code == 302
    invitations = SessionPhoneInvitation.objects.filter(adviser=world.adviser).order_by("phone")
    assert list(invitations.values_list("phone", flat=True)) == ["+262692123456", "+33612345678"]
    messages = OutboxMessage.objects.filter(channel="sms").order_by("to_phone")
    assert [(m.to_phone, m.kind) for m in messages] == [
        ("+262692123456", "invitation"),
        ("+33612345678", "invitation"),
    ]
    link = reverse("programs:phone_invitation", args=[invitations.get(phone="+33612345678").token])
    text = messages.get(to_phone="+33612345678").body_text
    assert text == (
        f'DéClics : Ana Conseil vous invite à "{world.session.title}", un parcours gratuit vers le '
        f"numérique : {settings.SITE_URL}{link}"
    )

    _invite(client, world, "0612345678")  # again: nobody gets a second SMS

    assert OutboxMessage.objects.filter(channel="sms").count() == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("06 12 34 56 78\n01 42 68 53 00", "Numéro refusé : 01 42 68 53 00. Ce numéro est un fixe"),
        ("06 12 34 56 78\nabc", "Numéro refusé : abc. Ce numéro de téléphone n'est pas valide."),
        ("+44 7911 123456", "Numéro refusé : +44 7911 123456. Indiquez un numéro de téléphone français"),
    ],
)
def test_invite_with_a_bad_number_says_which_under_the_field_and_sends_nothing(client, world, typed, message):
    response = _invite(client, world, typed)

    assert response.status_code == 400
    assert response.context["sms_form"].errors["phones"][0].startswith(message)
    assert "Numéro refusé" in unescape(response.content.decode())
    assert not SessionPhoneInvitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_short_link_opens_the_session_with_the_adviser_remembered(client, world):
    _invite(client, world, "06 12 34 56 78")
    client.logout()
    text = OutboxMessage.objects.get(channel="sms").body_text
    path = re.search(r"numérique : \S+?(/sessions/\S+)", text).group(1)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == reverse("programs:landing", args=[world.session.slug])
    assert client.session[ADVISER_KEY] == {str(world.session.pk): world.adviser.pk}


def test_an_unknown_short_link_is_not_found(client):
    assert client.get(reverse("programs:phone_invitation", args=["inconnu1"])).status_code == 404


def test_only_advisers_invite_by_sms(world):
    with pytest.raises(services.AdviserError):
        services.invite_job_seekers_by_phone(
            session=world.session, adviser=world.alice.job_seeker, phones=["0612345678"]
        )


def test_invite_page_shows_both_forms_and_the_numbers_sent(client, world):
    _invite(client, world, "06 12 34 56 78")

    response = client.get(reverse("programs:adviser_invite", args=[world.session.slug]))

    content = response.content.decode()
    assert 'name="emails"' in content and 'name="sms-phones"' in content
    assert "+33612345678 (SMS)" in content

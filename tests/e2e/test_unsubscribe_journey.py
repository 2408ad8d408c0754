"""A person gets a team message (optional cohort news), opens the unsubscribe link from it, confirms
with one click, and the next message is not queued for them; then chooses their messages on the
preferences page. Every page at 360 px without sideways scrolling, and axe finds nothing serious."""

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from declics.notifications.models import DigestItem, NotificationPreference, OutboxMessage
from programs.services import messages
from tests.e2e.conftest import MOBILE, sign_in
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _write(session, staff, subject):
    message, _created = messages.write_to_segment(
        session=session,
        segment_key="everyone",
        subject=subject,
        body="Bonjour,\nun atelier CV a lieu jeudi.",
        token=uuid.uuid4(),
        created_by=staff,
    )
    return message


def test_one_click_from_the_email_turns_cohort_news_off(page, live_server, axe, screenshot, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False  # the rows are the subject here, not the sending
    session = OpenSessionFactory(title="DéClics Numériques Aude", slug="declics-aude")
    person = UserFactory(first_name="Samia", phone="0612345678")
    EnrolmentFactory(session=session, job_seeker=person)
    other = EnrolmentFactory(session=session).job_seeker
    staff = StaffFactory()

    _write(session, staff, "Un atelier CV jeudi")
    row = OutboxMessage.objects.get(user=person)
    link = row.headers["List-Unsubscribe"].strip("<>")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in row.body_text  # the same link in the e-mail's footer

    page.set_viewport_size(MOBILE)
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ne plus recevoir ces messages")
    expect(page.locator("main")).to_contain_text("Nouvelles de votre session")
    _no_sideways_scroll(page)
    axe(page)
    assert NotificationPreference.objects.filter(user=person).count() == 0  # a GET changes nothing
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("C'est fait")
    expect(page.get_by_role("status")).to_contain_text(
        "Vous ne recevrez plus les messages « Nouvelles de votre session »"
    )
    _no_sideways_scroll(page)
    axe(page)
    screenshot(page, "unsubscribed")

    second = _write(session, staff, "Les offres de la semaine")
    assert list(OutboxMessage.objects.filter(user=person).values_list("subject", flat=True)) == [row.subject]
    assert OutboxMessage.objects.filter(user=other, subject__contains="Les offres").exists()
    assert (second.recipients_count, second.skipped_count) == (1, 1)
    assert not DigestItem.objects.filter(user=person).exists()

    # The way back: the preferences page, where the group shows as off.
    sign_in(page, person.email, PASSWORD)
    page.goto(live_server.url + "/compte/messages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages et langue")
    news = page.get_by_label("Recevoir : Nouvelles de votre session")
    expect(news).not_to_be_checked()
    _no_sideways_scroll(page)
    axe(page)
    screenshot(page, "message-preferences")
    news.check()
    page.get_by_label("Rappels de rendez-vous").select_option("both")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "Vos préférences sont enregistrées"
    )
    preference = NotificationPreference.objects.get(user=person)
    assert (preference.muted, preference.channels["reminders"]) == ([], "both")

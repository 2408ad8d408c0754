"""The team's pages on a 360 px phone: a staff member signs in (and lands on the staff space), then
opens every staff page: none scrolls sideways, axe finds nothing serious or critical, and dates
read in full French."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from declics import audit
from declics.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from declics.accounts.models import User
from declics.notifications.models import OutboxMessage
from programs.models import Session, SessionStatus
from tests.e2e.conftest import MOBILE, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HERAULT = "declics-numeriques-herault-2020"
ARIEGE = "declics-numeriques-ariege"


SIDEWAYS_BOXES = """
[...document.querySelectorAll("main *")]
  .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
  .filter((e) => e.scrollWidth > e.clientWidth + 1)
  .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`)
"""


def _staff_pages() -> list[str]:
    draft = Session.objects.filter(status=SessionStatus.DRAFT).first()
    pages = [
        reverse("programs:staff_sessions"),
        reverse("programs:console_audit"),
        reverse("programs:console_delivery"),
        reverse("programs:launch"),
        reverse("programs:workshop_staff_list", args=[ARIEGE]),
        reverse("programs:workshop_facilitated"),
        reverse("mentoring:staff_sessions"),
        reverse("mentoring:staff_mentors"),
        reverse("mentoring:staff_session_matching", args=[ARIEGE]),
        reverse("programs:impact_dashboard"),
        reverse("programs:impact_session", args=[HERAULT]),
        reverse("programs:adviser_sessions"),
        reverse("programs:adviser_dashboard", args=[HERAULT]),
        reverse("programs:adviser_agencies"),
        reverse("accounts:invitations"),
        reverse("jobs:partner_home"),
    ]
    if draft is not None:
        pages.append(reverse("programs:preview", args=[draft.slug]))
    return pages


def test_every_staff_page_fits_a_phone_without_sideways_scroll(page, axe):
    call_command("seed_demo")
    staff = User.objects.get(email="staff@declics.example")
    # Something for the console's pages to show: an action of the team, a message that failed.
    with audit.acting_as(staff):
        session = Session.objects.get(slug=ARIEGE)
        session.capacity = 320
        session.save()
    OutboxMessage.objects.create(
        dedup_key="e2e:failed",
        to_email="une.adresse.tres.longue.pour.un.telephone@exemple-de-domaine.example.org",
        subject="Votre atelier « Réussir son entretien d'embauche » est confirmé",
        body_text="…",
        status=OutboxMessage.Status.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: {'x@example.org': (550, b'5.1.1 Mailbox unavailable')}",
    )
    OutboxMessage.objects.create(
        dedup_key="e2e:sms",
        channel=OutboxMessage.Channel.SMS,
        kind="workshop-reminder",
        to_phone="+33612345678",
        body_text="…",
        segments=2,
        status=OutboxMessage.Status.FAILED,
        attempts=8,
        last_error="SmsRefused: HTTP 400: invalid_parameter Invalid phone number",
    )
    page.set_viewport_size(MOBILE)

    sign_in(page, staff.email, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)

    # Staff land on their own space, where dates read in full French.
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace équipe")
    expect(page.locator("main")).to_contain_text("22 juin – 10 juil. 2020")
    overflowing = {}
    for url in _staff_pages():
        page.goto(url)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            overflowing[url] = width
        # A box that scrolls sideways inside the page (a wide table in .table-responsive) counts too.
        boxes = page.evaluate(SIDEWAYS_BOXES)
        if boxes:
            overflowing[url] = boxes
        axe(page)

    assert overflowing == {}

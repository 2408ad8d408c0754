"""A team member writes to the people stuck on step 3 of a session (preview, then send once), then
reads the session's survey answers and downloads them; every page at 360 px without sideways
scrolling, and axe finds nothing serious."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from declics.notifications.models import OutboxMessage
from programs.models import CohortMessage, StepProgress, SurveyKind, SurveyResponse
from tests.e2e.conftest import MOBILE, sign_in
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, with_totp
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_writes_to_the_people_stuck_on_step_3_and_reads_the_answers(
    page, live_server, browser_log, axe, screenshot, settings
):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False  # the rows are the subject here, not the sending
    session = OpenSessionFactory(title="DéClics Numériques Aude", slug="declics-aude")
    now = timezone.now()
    stuck = [EnrolmentFactory(session=session) for _ in range(2)]
    for enrolment in stuck:
        for step in (1, 2):
            StepProgress.objects.create(enrolment=enrolment, step=step, completed_at=now)
    EnrolmentFactory(session=session)  # still on step 1
    SurveyResponse.objects.create(
        enrolment=stuck[0],
        kind=SurveyKind.SATISFACTION,
        sent_at=now - timedelta(days=2),
        answered_at=now - timedelta(days=1),
        overall=5,
        would_recommend=True,
        comment="Les ateliers m'ont redonné confiance.",
    )
    staff = with_totp(StaffFactory(first_name="Inès"))

    sign_in(page, staff.email, PASSWORD, totp_secret=TOTP_SECRET)
    page.goto("/sessions/equipe/")
    page.get_by_role("link", name="Messages de DéClics Numériques Aude").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages aux participant·es")
    page.get_by_role("link", name="Écrire à un groupe").click()

    page.get_by_label("Destinataires").select_option(
        label="Bloqué·es à l'étape 3 : Être accompagné·e par un·e mentor·e"
    )
    page.get_by_label("Objet").fill("Trouvez votre mentor·e cette semaine")
    page.get_by_label("Message").fill(
        "Bonjour,\nl'étape 3 est ouverte : demandez un·e mentor·e depuis votre parcours."
    )
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator("#preview-count")).to_have_text("Ce message partira vers 2 personnes.")
    axe(page)
    _no_sideways_scroll(page)
    screenshot(page, "console-message-preview")

    page.get_by_role("button", name="Envoyer à 2 personnes").click()
    expect(page.get_by_role("status")).to_contain_text("Message mis en file pour 2 personnes.")
    expect(page.locator("#message-history")).to_contain_text("Trouvez votre mentor·e cette semaine")
    axe(page)
    _no_sideways_scroll(page)
    # One message, one e-mail per person of the group (the double submit is tested in tests/security).
    assert (
        CohortMessage.objects.count(),
        OutboxMessage.objects.filter(dedup_key__startswith="programs:cohort-message:").count(),
    ) == (1, 2)

    page.goto(f"/sessions/equipe/{session.slug}/reponses/")
    expect(page.locator("#answers")).to_contain_text("Les ateliers m'ont redonné confiance.")
    page.get_by_label("Type de réponses").select_option(label="Questionnaire de satisfaction")
    page.get_by_label("Seulement les réponses avec un commentaire").check()
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=2, name="1 réponse")).to_be_visible()
    axe(page)
    _no_sideways_scroll(page)
    screenshot(page, "console-answers")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (tableur)").click()
    assert download.value.suggested_filename.startswith("declics-declics-aude-reponses-")

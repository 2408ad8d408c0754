"""An operator's week (issue 14, "Done when"), in Chromium through the real pages: launch a région
from a template, import its QPV list, review the texts and publish; then, on a running session,
move a talk (the registered people get an updated calendar file), write to the people stuck on
step 3, remove a person (their workshop seat goes to the person waiting), read the survey answers
and resend a failed e-mail. Every page passes axe; the console pages fit 360 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from declics.notifications.models import OutboxMessage
from declics.territories.models import QPV
from programs.models import (
    CohortMessage,
    EnrolmentStatus,
    Session,
    SessionStatus,
    SessionTemplate,
    StepProgress,
    SurveyKind,
    SurveyResponse,
)
from programs.role_models import services as talk_services
from programs.workshops import services as workshop_services
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.e2e.conftest import MOBILE, sign_in
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, with_totp
from tests.programs.factories import (
    CommuneFactory,
    DepartementFactory,
    EnrolmentFactory,
    OpenSessionFactory,
    RegionFactory,
)
from tests.programs.role_models.factories import TalkFactory
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QPV_FILE = b"code_qp;lib_qp;insee_com\nQN03401M;Quartier Nord;34172\n"


def _no_sideways_scroll(page):
    size = page.viewport_size
    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(size)


def _check(page, axe):
    axe(page)
    _no_sideways_scroll(page)


def test_an_operators_week(page, live_server, browser_log, axe, screenshot, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False  # the outbox rows are the subject, not the sending
    settings.SITE_URL = live_server.url
    occitanie = RegionFactory()
    DepartementFactory(code="34", name="Hérault", region=occitanie)
    aude = DepartementFactory(code="11", name="Aude", region=occitanie)
    CommuneFactory(code="34172", name="Montpellier")
    running = OpenSessionFactory(
        title="DéClics Numériques Aude",
        slug="declics-aude",
        region=occitanie,
        departements=[aude],
        description="Six semaines pour découvrir les métiers du numérique dans l'Aude.",
        faq="Est-ce gratuit ? Oui.",
    )
    now = timezone.now()
    # Two people stuck on step 3 (steps 1 and 2 done), one still on step 1.
    stuck = [EnrolmentFactory(session=running) for _ in range(2)]
    for enrolment in stuck:
        for step in (1, 2):
            StepProgress.objects.create(enrolment=enrolment, step=step, completed_at=now)
    SurveyResponse.objects.create(
        enrolment=stuck[0],
        kind=SurveyKind.SATISFACTION,
        sent_at=now - timedelta(days=2),
        answered_at=now - timedelta(days=1),
        overall=5,
        would_recommend=True,
        comment="Les ateliers m'ont redonné confiance.",
    )
    # A talk two people registered for.
    talk = TalkFactory(session=running, starts_at=(now + timedelta(days=2)).replace(second=0, microsecond=0))
    talk_bookings = [
        talk_services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=running))
        for _ in range(2)
    ]
    # A workshop of one seat: the person to remove holds it, another person waits.
    workshop = WorkshopFactory(session=running, seats=1)
    leaving = EnrolmentFactory(session=running, job_seeker__first_name="Léa", job_seeker__last_name="Martin")
    held = workshop_services.book_workshop(workshop=workshop, job_seeker=leaving.job_seeker)
    waiting = workshop_services.book_workshop(
        workshop=workshop, job_seeker=EnrolmentFactory(session=running).job_seeker
    )
    assert (held.status, waiting.status) == (WorkshopBookingStatus.CONFIRMED, WorkshopBookingStatus.WAITING)
    failed = OutboxMessage.objects.create(
        dedup_key="test:failed-once",
        to_email="nadia@example.org",
        subject="Votre atelier de jeudi",
        body_text="Bonjour",
        status=OutboxMessage.Status.FAILED,
        attempts=5,
        last_error="550 boîte pleine",
    )
    staff = with_totp(StaffFactory(first_name="Inès"))
    sign_in(page, staff.email, PASSWORD, totp_secret=TOTP_SECRET)

    # 1. Save the running session as a template, launch a new région from it.
    page.goto(f"/sessions/equipe/{running.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Aude")
    axe(page)
    page.get_by_role("link", name="Enregistrer comme modèle").click()
    page.get_by_label("Nom du modèle").fill("Session régionale de six semaines")
    axe(page)
    page.get_by_role("button", name="Enregistrer le modèle").click()
    expect(
        page.get_by_role("link", name="Lancer une région depuis « Session régionale de six semaines »")
    ).to_be_visible()
    template = SessionTemplate.objects.get(name="Session régionale de six semaines")
    assert (
        template.description == "Six semaines pour découvrir les métiers du numérique dans l'{departements}."
    )
    page.get_by_role("link", name="Lancer une région depuis « Session régionale de six semaines »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lancer une région depuis un modèle")
    start = (timezone.localtime() + timedelta(days=40)).replace(hour=9, minute=0)
    page.get_by_label("Titre").fill("DéClics Numériques Hérault 2027")
    page.get_by_label("Région").select_option(label="Occitanie")
    page.get_by_label("Départements").select_option(["34"])
    page.get_by_label("Début de la session").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Nombre de places").fill("400")
    _check(page, axe)
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Hérault 2027")
    axe(page)
    launched = Session.objects.get(title="DéClics Numériques Hérault 2027")
    assert (launched.status, launched.capacity) == (SessionStatus.DRAFT, 400)
    assert list(launched.departements.values_list("code", flat=True)) == ["34"]
    expect(page).to_have_url(re.compile(re.escape(f"/sessions/equipe/{launched.slug}/") + "$"))
    # The template's skeleton is filled in for the new région: written for it, not flagged to review.
    assert launched.description == "Six semaines pour découvrir les métiers du numérique dans l'Hérault."
    assert launched.texts_to_review == []

    # 2. Import the région's QPV list (the task runs eagerly in tests).
    page.get_by_role("link", name="Équipe").first.click()
    page.get_by_role("link", name="Données de référence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Données de référence")
    _check(page, axe)
    page.get_by_role("link", name="Importer une liste QPV ou FRR/ZRR").click()
    page.get_by_label("quartiers prioritaires (QPV)").check()
    page.get_by_label("Fichier CSV").set_input_files(
        files=[{"name": "qpv_2024.csv", "mimeType": "text/csv", "buffer": QPV_FILE}]
    )
    page.get_by_label("Valable à partir du").fill("2024-01-01")
    page.get_by_label("Source").fill("ANCT, liste des QPV 2024")
    _check(page, axe)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("Import terminé le")).to_be_visible()
    axe(page)
    assert list(QPV.objects.values_list("code", flat=True)) == ["QN03401M"]

    # 3. Review the copied texts, then publish.
    page.goto(f"/sessions/equipe/{launched.slug}/")
    page.get_by_role("link", name="Modifier les textes").click()
    expect(page.get_by_role("button", name="Enregistrer les textes")).to_be_visible()
    expect(page.get_by_label("Présentation")).to_have_value(
        "Six semaines pour découvrir les métiers du numérique dans l'Hérault."
    )
    page.get_by_label("Présentation").fill(
        "Six semaines pour découvrir les métiers du numérique dans l'Hérault, à distance."
    )
    for box in page.get_by_role("checkbox").all():  # none for a template launch (see above)
        box.check()
    _check(page, axe)
    page.get_by_role("button", name="Enregistrer les textes").click()
    expect(page.locator("#texts-to-review")).to_have_count(0)
    page.get_by_role("button", name="Publier la session").click()
    expect(page.get_by_text("Session publiée")).to_be_visible()
    axe(page)
    launched.refresh_from_db()
    assert launched.status in (SessionStatus.PUBLISHED, SessionStatus.REGISTRATION_OPEN)
    assert launched.description.endswith("dans l'Hérault, à distance.")
    assert launched.texts_to_review == []

    # 4. Move the talk: each registered person gets a notice with an updated calendar file.
    page.goto(f"/sessions/temoignages/{talk.pk}/")
    page.locator("#staff-actions").get_by_role("link", name="Changer la date").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changer la date du témoignage")
    new_start = timezone.localtime(talk.starts_at + timedelta(days=1))
    page.get_by_label("Nouvelle date et heure de début").fill(new_start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Durée (minutes)").fill("90")
    _check(page, axe)
    page.get_by_role("button", name="Déplacer le témoignage").click()
    expect(page.locator("#staff-actions")).to_be_visible()
    axe(page)
    talk.refresh_from_db()
    assert (talk.starts_at, talk.duration_minutes) == (new_start, 90)
    for booking in talk_bookings:
        notice = OutboxMessage.objects.get(dedup_key=f"talk-moved:booking:{booking.pk}:r1:s1")
        [attachment] = notice.attachments
        calendar = Calendar.from_ical(attachment["content"])
        [event] = calendar.walk("VEVENT")
        assert (str(calendar["method"]), event["sequence"]) == ("REQUEST", 1)
        assert event.decoded("dtstart") == new_start

    # 5. Write to the people stuck on step 3.
    page.goto("/sessions/equipe/")
    page.get_by_role("link", name="Messages de DéClics Numériques Aude").click()
    page.get_by_role("link", name="Écrire à un groupe").click()
    page.get_by_label("Destinataires").select_option(
        label="Bloqué·es à l'étape 3 : Être accompagné·e par un·e mentor·e"
    )
    page.get_by_label("Objet").fill("Trouvez votre mentor·e cette semaine")
    page.get_by_label("Message").fill("Bonjour,\nl'étape 3 est ouverte : demandez un·e mentor·e.")
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator("#preview-count")).to_have_text("Ce message partira vers 2 personnes.")
    _check(page, axe)
    page.get_by_role("button", name="Envoyer à 2 personnes").click()
    expect(page.get_by_role("status")).to_contain_text("Message mis en file pour 2 personnes.")
    _check(page, axe)
    assert CohortMessage.objects.count() == 1
    assert sorted(
        OutboxMessage.objects.filter(dedup_key__startswith="programs:cohort-message:").values_list(
            "to_email", flat=True
        )
    ) == sorted(enrolment.job_seeker.email for enrolment in stuck)

    # 6. Remove a person: their workshop seat is offered to the person waiting.
    page.goto(f"/sessions/equipe/{running.slug}/personnes/")
    _check(page, axe)
    page.get_by_role("link", name="Léa Martin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Léa Martin")
    page.get_by_label("Raison du retrait").fill("A trouvé un emploi et ne suit plus la session.")
    _check(page, axe)
    page.get_by_role("button", name="Retirer de la session").click()
    expect(page.get_by_role("button", name="Retirer de la session")).to_have_count(0)
    axe(page)
    leaving.refresh_from_db()
    assert (leaving.status, leaving.end_reason) == (
        EnrolmentStatus.REMOVED,
        "A trouvé un emploi et ne suit plus la session.",
    )
    assert WorkshopBooking.objects.get(pk=held.pk).status != WorkshopBookingStatus.CONFIRMED
    assert WorkshopBooking.objects.get(pk=waiting.pk).status == WorkshopBookingStatus.OFFERED

    # 7. Read the survey answers.
    page.goto(f"/sessions/equipe/{running.slug}/reponses/")
    expect(page.locator("#answers")).to_contain_text("Les ateliers m'ont redonné confiance.")
    _check(page, axe)

    # 8. Resend the failed e-mail: the row is pending again.
    page.goto("/sessions/equipe/envois/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Envois des messages")
    card = page.locator(f"#message-{failed.pk}")
    expect(card).to_contain_text("550 boîte pleine")
    _check(page, axe)
    card.get_by_role("button", name="Renvoyer").click()
    expect(page.locator(f"#message-{failed.pk}").get_by_role("button", name="Renvoyer")).to_have_count(0)
    _check(page, axe)
    screenshot(page, "operator-week-delivery")
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.PENDING
    assert browser_log.page_errors == []

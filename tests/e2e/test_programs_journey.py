"""A newcomer finds the open session, checks eligibility, signs up and lands on the pathway;
a staff member launches a session through the staff pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs import demo
from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, with_totp
from tests.programs.advisers.factories import agency_adviser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "nadia.amrani@example.org"
NEW_PASSWORD = "Numerique-2025-massat"


def test_programs_newcomer_signs_up_for_the_open_session(
    page, live_server, browser_log, mailbox, axe, screenshot
):
    demo.seed()

    page.goto("/")
    page.get_by_role("link", name="DéClics Numériques Ariège").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Ariège")
    expect(page.get_by_text(re.compile(r"Il reste 300 places"))).to_be_visible()
    axe(page)
    screenshot(page, "programs-landing")

    page.get_by_role("link", name="Je vérifie si je peux participer").click()
    page.get_by_label("Votre commune (nom ou code postal)").fill("Massat")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Bonne nouvelle : vous pouvez participer !")).to_be_visible()
    axe(page)
    screenshot(page, "programs-eligible")

    page.get_by_role("link", name="Je crée mon compte").click()
    page.get_by_label(re.compile(r"^\s*Prénom")).fill("Nadia")
    page.get_by_label(re.compile(r"^\s*Nom\b")).fill("Amrani")
    page.get_by_label(re.compile(r"courriel|e-?mail", re.IGNORECASE)).fill(EMAIL)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("main form[action*='/signup/'] [type=submit]").click()

    verification = mailbox.wait_for(to=EMAIL, subject="[DéClics]")
    link = next(link for link in mailbox.links(verification) if "/comptes/confirm-email/" in link)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()

    # Confirming logs the newcomer in and takes them back where they were going: the profile.
    expect(page).to_have_url(re.compile(r"/sessions/declics-numeriques-ariege/inscription/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quelques questions pour terminer")
    expect(page.get_by_text("Votre commune : Massat.")).to_be_visible()
    page.get_by_label("Votre année de naissance").fill("1988")
    page.get_by_label("Femme").check()
    page.get_by_label("Votre dernier diplôme").select_option(label="Bac")
    page.get_by_label("Votre situation aujourd'hui").select_option(label="Je cherche un emploi")
    page.get_by_label("Comment avez-vous connu DéClics Numériques ?").select_option(label="France Travail")
    page.get_by_label("J'ai lu et j'accepte la politique de données personnelles.").check()
    axe(page)
    page.get_by_role("button", name="Valider mon inscription").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon parcours")
    expect(page.locator("#next-action")).to_contain_text("ouvre le")
    expect(page.locator("progress#pathway-progress")).to_have_attribute("value", "0")
    axe(page)
    screenshot(page, "programs-pathway")

    enrolment = Enrolment.objects.get(job_seeker__email=EMAIL)
    assert (enrolment.session.slug, enrolment.status, enrolment.eligibility["basis"]) == (
        "declics-numeriques-ariege",
        EnrolmentStatus.ACTIVE,
        "frr",
    )
    assert browser_log.page_errors == []
    assert browser_log.csp_violations == []


def test_programs_staff_launches_and_publishes_a_session(
    page, live_server, browser_log, mailbox, axe, screenshot
):
    demo.seed()
    staff = with_totp(StaffFactory(email="ines@example.org"))
    adviser = agency_adviser()  # of a Hérault agency: told about the new Hérault session

    sign_in(page, staff.email, PASSWORD, totp_secret=TOTP_SECRET)
    page.get_by_role("link", name="Équipe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace équipe")
    axe(page)
    page.get_by_role("link", name="Lancer une session").click()

    start = (timezone.localtime() + timedelta(days=40)).replace(hour=9, minute=0)
    page.get_by_label("Titre").fill("DéClics Numériques Hérault 2027")
    page.get_by_label("Région").select_option(label="Occitanie")
    # departement-filter.js: only Occitanie's départements are left in the list.
    groups = page.locator("#id_departements optgroup")
    expect(groups).to_have_count(1)
    expect(groups).to_have_attribute("label", "Occitanie")
    page.get_by_label("Départements").select_option(["34"])
    page.get_by_label("Nombre de places").fill("400")
    page.get_by_label("Copier le calendrier d'une session précédente").select_option(
        label="DéClics Numériques Ariège"
    )
    page.get_by_label("Début de la session").fill(start.strftime("%Y-%m-%dT%H:%M"))
    axe(page)
    screenshot(page, "programs-launch")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Hérault 2027")
    expect(page.get_by_text("Il reste 400 places.")).to_be_visible()
    # The texts copied from the Ariège session are reviewed before publishing.
    expect(page.locator("#texts-to-review")).to_be_visible()
    page.get_by_role("link", name="Modifier les textes").click()
    # Wait for the form: `.all()` does not wait, and on the previous page there is no checkbox.
    expect(page.get_by_role("button", name="Enregistrer les textes")).to_be_visible()
    expect(page.get_by_role("checkbox")).not_to_have_count(0)
    for box in page.get_by_role("checkbox").all():
        box.check()
    axe(page)
    page.get_by_role("button", name="Enregistrer les textes").click()
    expect(page.locator("#texts-to-review")).to_have_count(0)
    page.get_by_role("button", name="Publier la session").click()
    expect(page.get_by_text("Session publiée")).to_be_visible()

    session = Session.objects.get(title="DéClics Numériques Hérault 2027")
    source = Session.objects.get(slug="declics-numeriques-ariege")
    assert session.status in (SessionStatus.PUBLISHED, SessionStatus.REGISTRATION_OPEN)
    assert session.copied_from == source
    assert session.ends_at - session.starts_at == source.ends_at - source.starts_at
    mailbox.wait_for(to=adviser.email, subject="DéClics Numériques Hérault 2027")
    assert browser_log.page_errors == []

"""An adviser copies their invitation link for the open session; a job seeker follows it, checks
eligibility, signs up and enrols (agreeing to share their progress); the adviser then sees them on
the session's dashboard at the right step."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from declics.territories.models import Departement
from programs import demo, services
from programs.models import Enrolment, EnrolmentStatus, Step
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, TOTP_SECRET, recovery_codes_of, with_totp
from tests.programs.advisers.factories import AgencyFactory, agency_adviser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SESSION = "declics-numeriques-ariege"
EMAIL = "yasmine.haddou@example.org"
NEW_PASSWORD = "Numerique-2025-foix"


def _person_row(page):
    return page.locator("#people tbody tr", has_text="Yasmine Haddou")


def test_adviser_invites_by_link_and_follows_the_person(
    page, live_server, browser_log, mailbox, axe, screenshot
):
    demo.seed()
    agency = AgencyFactory(name="France Travail Foix", departement=Departement.objects.get(code="09"))
    adviser = agency_adviser(
        agency=agency, first_name="Claire", last_name="Roussel", email="claire@example.org"
    )
    with_totp(adviser, recovery_codes=True)

    # The adviser signs in (password, then the code of her authenticator app), finds the open
    # session of her département and copies her link.
    sign_in(page, adviser.email, PASSWORD, totp_secret=TOTP_SECRET)
    page.get_by_role("link", name="Mes candidat·es").first.click()
    page.get_by_role("link", name="DéClics Numériques Ariège").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Ariège")
    page.get_by_role("link", name="Inviter des personnes").click()
    link = page.get_by_label("Lien à copier").input_value()
    assert "?conseiller=" in link
    parts = urlsplit(link)
    page.context.clear_cookies()

    # The job seeker follows it, checks eligibility with a real commune and signs up.
    page.goto(f"{parts.path}?{parts.query}")
    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Ariège")
    page.get_by_role("link", name="Je vérifie si je peux participer").click()
    page.get_by_label("Votre commune (nom ou code postal)").fill("Massat")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Bonne nouvelle : vous pouvez participer !")).to_be_visible()
    page.get_by_role("link", name="Je crée mon compte").click()
    page.get_by_label(re.compile(r"^\s*Prénom")).fill("Yasmine")
    page.get_by_label(re.compile(r"^\s*Nom\b")).fill("Haddou")
    page.get_by_label(re.compile(r"courriel|e-?mail", re.IGNORECASE)).fill(EMAIL)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("main form[action*='/signup/'] [type=submit]").click()
    verification = mailbox.wait_for(to=EMAIL, subject="[DéClics]")
    confirm = next(link for link in mailbox.links(verification) if "/comptes/confirm-email/" in link)
    page.goto(urlsplit(confirm).path)
    page.get_by_role("button", name="Confirmer").click()

    # Enrolment, agreeing to share their progress with the adviser.
    expect(page.get_by_role("heading", level=1)).to_have_text("Quelques questions pour terminer")
    page.get_by_label("Votre année de naissance").fill("1995")
    page.get_by_label("Femme").check()
    page.get_by_label("Votre dernier diplôme").select_option(label="Bac")
    page.get_by_label("Votre situation aujourd'hui").select_option(label="Je cherche un emploi")
    page.get_by_label("Comment avez-vous connu DéClics Numériques ?").select_option(label="France Travail")
    page.get_by_label("J'ai lu et j'accepte la politique de données personnelles.").check()
    page.get_by_label("J'accepte que mon ou ma conseiller·ère voie mon avancement dans le parcours.").check()
    page.get_by_role("button", name="Valider mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon parcours")

    enrolment = Enrolment.objects.get(job_seeker__email=EMAIL)
    assert (enrolment.session.slug, enrolment.status, enrolment.adviser, enrolment.share_with_adviser) == (
        SESSION,
        EnrolmentStatus.ACTIVE,
        adviser,
        True,
    )

    # Back to the adviser: the person is on the dashboard, at step 1. (Signed in again within the
    # same 30 seconds, the app's code would be the one already used: she uses a recovery code.)
    page.context.clear_cookies()
    sign_in(page, adviser.email, PASSWORD, recovery_code=recovery_codes_of(adviser)[0])
    page.goto(reverse("programs:adviser_dashboard", args=[SESSION]))
    expect(page.get_by_role("heading", level=1)).to_have_text("DéClics Numériques Ariège")
    expect(_person_row(page)).to_have_count(1)
    expect(_person_row(page).locator("td").nth(1)).to_have_text("Étape 1")
    expect(page.locator("#funnel")).to_contain_text("moins de 5")
    axe(page)
    screenshot(page, "adviser-dashboard")

    # She attends a talk (step 1 done): the adviser's next look shows her at step 2.
    services.complete_step(enrolment=enrolment, step=Step.ROLE_MODELS)
    page.reload()
    expect(_person_row(page).locator("td").nth(1)).to_have_text("Étape 2")
    _person_row(page).get_by_role("link", name="Yasmine Haddou").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yasmine Haddou")
    axe(page)
    assert browser_log.page_errors == []

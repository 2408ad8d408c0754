"""An enrolled job seeker registers for a talk, downloads its .ics, takes the skills assessment on a
360 px phone screen (one question per screen, one answer by keyboard only) and sees the result."""

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from programs.assessment import services
from programs.assessment.models import AssessmentResult
from tests.factories import PASSWORD
from tests.programs.assessment.answer_sets import SUPPORT_PROFILE, v1_data
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.role_models.factories import TalkFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MOBILE = {"width": 360, "height": 740}


def test_job_seeker_registers_for_a_talk_and_takes_the_assessment_on_a_phone(page, axe, screenshot):
    services.load_questionnaire(data=v1_data())
    session = OpenSessionFactory(title="DéClics Hérault", slug="declics-herault")
    enrolment = EnrolmentFactory(session=session, job_seeker__first_name="Samira")
    talk = TalkFactory(session=session, title="De la vente au support informatique")
    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(enrolment.job_seeker.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.set_viewport_size(MOBILE)

    # Step 1: register for a talk and download its calendar invitation.
    page.goto(f"/sessions/{session.slug}/temoignages/")
    page.get_by_role("link", name="De la vente au support informatique").click()
    page.get_by_role("button", name="Je m'inscris").click()
    expect(page.locator("#registered")).to_have_text("Vous êtes inscrit·e.")
    expect(page.locator("#join-later")).to_be_visible()
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    with open(download_info.value.path(), "rb") as handle:
        [event] = Calendar.from_ical(handle.read()).walk("VEVENT")
    assert str(event["summary"]) == "Témoignage DéClics : De la vente au support informatique"
    assert talk.video_url not in page.content()

    # Step 2: the assessment, one question per screen.
    page.goto(f"/sessions/{session.slug}/bilan/")
    page.get_by_role("button", name="Commencer mon bilan").click()
    expect(page.locator("#question-counter")).to_have_text("Question 1 sur 26")
    expect(page.locator("fieldset")).to_have_count(1)
    axe(page)
    screenshot(page, "assessment-question")

    # The first answer with the keyboard only: focus the radio group, arrows to choose, Enter to submit.
    page.locator("input[type=radio]").first.focus()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    expect(
        page.get_by_label("Je compare plusieurs sources et je garde la plus récente et la plus fiable")
    ).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator("#question-counter")).to_have_text("Question 2 sur 26")

    labels = {q["key"]: {c["value"]: c["label"] for c in q["choices"]} for q in v1_data()["questions"]}
    keys = [q["key"] for q in v1_data()["questions"]]
    for number, key in enumerate(keys[1:], start=2):
        expect(page.locator("#question-counter")).to_have_text(f"Question {number} sur 26")
        page.get_by_label(labels[key][SUPPORT_PROFILE[key]], exact=True).check()
        page.get_by_role("button", name="Valider" if number == 26 else "Suivant").click()

    page.get_by_role("button", name="Voir mon résultat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon bilan de compétences")
    jobs = page.locator("#suggested-jobs > li")
    expect(jobs).to_have_count(5)
    expect(jobs.first).to_contain_text("Technicien·ne support (assistance aux utilisateurs)")
    expect(jobs.first).to_contain_text("Vous aimez aider les gens et organiser")
    expect(page.locator("#digital-levels")).to_be_visible()
    expect(page.locator("#digital-levels")).to_contain_text("Chercher et gérer l'information")
    axe(page)
    screenshot(page, "assessment-result")

    result = AssessmentResult.objects.get()
    # The first answer (keyboard) was "compare" (4 points) instead of the profile's 3: level 7.
    assert result.snapshot["digital"][0]["level"] == 7
    expect(page).to_have_url(re.compile(rf"/sessions/bilan/resultat/{result.public_id}/$"))

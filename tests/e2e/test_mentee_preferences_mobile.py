"""The mentor-wishes form on a 360 × 640 phone: it fits in two screens, axe finds nothing serious, the
search filters as you type (static JS under the strict CSP) and, without JavaScript, by sending it."""

import pytest
from playwright.sync_api import expect

from declics.rome.services import load_rome_jobs
from mentoring.models import MenteePreferences
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 640}

# From the top of the search form to the bottom of the wishes form (its submit button included),
# in CSS pixels, as laid out by Chromium at 360 px wide.
FORM_HEIGHT = """() => {
  const top = document.getElementById("job-search-form").getBoundingClientRect().top;
  const form = document.querySelector("#mentee-preferences form[method=post]");
  const bottom = form.getBoundingClientRect().bottom;
  return bottom - top;
}"""


@pytest.fixture
def enrolment():
    load_rome_jobs()
    return EnrolmentFactory(session=OpenSessionFactory(), job_seeker__first_name="Samira")


def test_the_wishes_form_fits_in_two_phone_screens_and_the_search_filters(page, axe, screenshot, enrolment):
    sign_in(page, enrolment.job_seeker.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"/sessions/{enrolment.session.slug}/mentorat/souhaits/")

    height = page.evaluate(FORM_HEIGHT)
    print(f"mentor-wishes form height at 360 px: {height:.0f} px (limit {2 * PHONE['height']})")
    assert height <= 2 * PHONE["height"]
    assert page.locator("input[name=rome_jobs]").count() == 98
    expect(page.get_by_text("(M1810)")).to_have_count(0)
    axe(page)
    screenshot(page, "mentee-preferences")

    page.get_by_label("Chercher un métier").fill("reseaux")
    families = page.locator("details[data-job-family]")
    expect(families.filter(has_text="Réseaux, serveurs et cloud")).to_have_attribute("open", "")
    expect(page.locator("#job-search-status")).to_contain_text("Métiers trouvés :")
    expect(page.get_by_label("Développeur / Développeuse web")).to_be_hidden()
    page.get_by_label("Administrateur / Administratrice réseau informatique").check()
    expect(
        families.filter(has_text="Réseaux, serveurs et cloud").locator(".job-family-selected")
    ).to_have_text("1 choisi")
    axe(page)

    page.get_by_label("Chercher un métier").fill("")
    expect(families.filter(has_text="Réseaux, serveurs et cloud")).not_to_have_attribute("open", "")
    families.filter(has_text="Créer des sites").locator("summary").click()
    page.get_by_label("Développeur / Développeuse web").check()
    page.get_by_label("mardi soir").check()
    page.get_by_role("button", name="Voir les mentor·es proposé·es").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    preferences = MenteePreferences.objects.get(enrolment=enrolment)
    assert sorted(preferences.rome_jobs.values_list("pk", flat=True)) == ["M1854", "M1855"]
    assert preferences.availability == ["tue-evening"]


def test_without_javascript_the_search_is_sent_and_the_matching_family_comes_back_open(
    browser, live_server, enrolment
):
    context = browser.new_context(
        locale="fr-FR", viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, enrolment.job_seeker.email, PASSWORD)
    page.goto(f"/sessions/{enrolment.session.slug}/mentorat/souhaits/")

    page.get_by_label("Chercher un métier").fill("graphique")
    page.get_by_role("button", name="Chercher", exact=True).click()

    opened = page.locator("details[open]")
    expect(opened).to_have_count(1)
    expect(opened.locator("summary")).to_contain_text("Design et réseaux sociaux")
    expect(page.get_by_label("Designer graphique")).to_be_visible()
    expect(page.get_by_label("Web designer")).to_be_hidden()
    context.close()

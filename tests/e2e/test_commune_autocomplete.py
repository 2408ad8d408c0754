"""The commune field on the eligibility page of an open session, in a real browser: the ARIA
combobox used with the keyboard only, and the same page without JavaScript (radio choices)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, TIMEOUT_MS, _is_loopback
from tests.programs.factories import (
    CommuneFactory,
    DepartementFactory,
    QPVFactory,
    RuralZoneFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _communes():
    """Montpellier (a QPV), Montpeyroux in the Hérault and in the Aveyron (each FRR, on its own)."""
    herault, aveyron = DepartementFactory(), DepartementFactory(code="12", name="Aveyron")
    montpellier = CommuneFactory(
        code="34172", name="Montpellier", postal_codes="34000 34070 34080 34090", population=310240
    )
    QPVFactory(name="Mosson", communes=[montpellier])
    montpeyroux_34 = CommuneFactory(code="34179", name="Montpeyroux", postal_codes="34150", population=1400)
    montpeyroux_12 = CommuneFactory(
        code="12145", name="Montpeyroux", departement=aveyron, postal_codes="12210", population=400
    )
    return herault, aveyron, montpeyroux_34, montpeyroux_12


@pytest.fixture
def no_js_page(browser, live_server, browser_log):
    """Like `page`, with JavaScript disabled: what a person gets on a browser that runs no script."""
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=DESKTOP,
        base_url=live_server.url,
        java_script_enabled=False,
    )
    context.set_default_timeout(TIMEOUT_MS)

    def guard(route):
        browser_log.requests.append(route.request.url)
        if _is_loopback(route.request.url):
            route.continue_()
        else:
            browser_log.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield context.new_page()
    context.close()
    assert browser_log.blocked == []


def test_commune_autocomplete_keyboard_pick_on_the_eligibility_page(
    page, live_server, browser_log, axe, screenshot
):
    herault, _aveyron, montpeyroux_34, montpeyroux_12 = _communes()
    RuralZoneFactory(commune=montpeyroux_34)
    RuralZoneFactory(commune=montpeyroux_12)
    session = SessionFactory(title="DéClics Hérault", departements=[herault])

    page.goto(f"/sessions/{session.slug}/eligibilite/")
    field = page.get_by_role("combobox", name="Votre commune (nom ou code postal)")
    expect(field).to_have_attribute("aria-expanded", "false")
    field.press_sequentially("montp", delay=30)

    # Only the session's communes, biggest first; the Aveyron's Montpeyroux is not offered.
    listbox = page.get_by_role("listbox", name="Communes proposées")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_text(["Montpellier (34) – 34000, 34070, 34080…", "Montpeyroux (34) – 34150"])
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_commune_status")).to_have_text(
        "2 communes trouvées, utilisez les flèches pour choisir."
    )
    axe(page)
    screenshot(page, "commune-autocomplete-open")

    field.press("ArrowDown")
    field.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    expect(field).to_have_attribute("aria-activedescendant", "id_commune_listbox_option_1")
    field.press("Enter")

    expect(field).to_have_value("Montpeyroux (34) – 34150")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.locator("input[name=commune_id]")).to_have_value(str(montpeyroux_34.pk))
    expect(page.locator("#id_commune_status")).to_have_text("Commune choisie : Montpeyroux (34) – 34150.")

    field.press("Enter")  # the list is closed: Enter now submits the form

    expect(page.get_by_role("heading", name="Bonne nouvelle : vous pouvez participer !")).to_be_visible()
    expect(
        page.get_by_text(
            "Montpeyroux est une commune rurale classée France Ruralités Revitalisation (FRR, ex-ZRR)."
        )
    ).to_be_visible()
    axe(page)
    assert browser_log.page_errors == []
    assert browser_log.csp_violations == []


def test_commune_autocomplete_text_submitted_as_typed_gets_radio_choices(
    page, live_server, browser_log, axe, screenshot
):
    herault, aveyron, montpeyroux_34, montpeyroux_12 = _communes()
    RuralZoneFactory(commune=montpeyroux_12)
    session = SessionFactory(title="DéClics Hérault et Aveyron", departements=[herault, aveyron])

    page.goto(f"/sessions/{session.slug}/eligibilite/")
    page.get_by_role("combobox", name="Votre commune (nom ou code postal)").fill("Montpeyroux")
    page.get_by_role("button", name="Vérifier").click()

    choices = page.get_by_role("group", name="Choisissez votre commune :")
    expect(choices.get_by_role("radio")).to_have_count(2)
    expect(page.get_by_role("alert")).to_contain_text(
        "Plusieurs communes correspondent : choisissez la vôtre dans la liste."
    )
    axe(page)
    screenshot(page, "commune-autocomplete-choices")

    choices.get_by_label("Montpeyroux (12) – 12210").check()
    page.get_by_role("button", name="Vérifier").click()

    expect(page.get_by_role("heading", name="Bonne nouvelle : vous pouvez participer !")).to_be_visible()
    assert browser_log.page_errors == []


def test_commune_autocomplete_without_javascript_offers_radio_choices(no_js_page, live_server, screenshot):
    page = no_js_page
    herault, aveyron, montpeyroux_34, montpeyroux_12 = _communes()
    RuralZoneFactory(commune=montpeyroux_12)
    session = SessionFactory(title="DéClics Hérault et Aveyron", departements=[herault, aveyron])

    page.goto(f"/sessions/{session.slug}/eligibilite/")
    # No script ran: a plain text box, no combobox role, the list never shown.
    field = page.get_by_role("textbox", name="Votre commune (nom ou code postal)")
    expect(field).not_to_have_attribute("role", "combobox")
    field.fill("montpeyroux")
    page.get_by_role("button", name="Vérifier").click()

    expect(page).to_have_title(
        "Erreur : Puis-je participer ? · DéClics Hérault et Aveyron · DéClics Numériques"
    )
    expect(page.locator(".error-summary")).to_contain_text(
        "Plusieurs communes correspondent : choisissez la vôtre dans la liste."
    )
    choices = page.get_by_role("group", name="Choisissez votre commune :")
    expect(choices.get_by_role("radio")).to_have_count(2)
    expect(choices.locator("label")).to_have_text(["Montpeyroux (34) – 34150", "Montpeyroux (12) – 12210"])
    expect(page.locator("input[type=hidden][name=commune_id]")).to_be_disabled()
    # axe-core is a script: it runs on this same server page in the test above, with JavaScript on.
    screenshot(page, "commune-autocomplete-no-js-choices")

    choices.get_by_label("Montpeyroux (12) – 12210").check()
    page.get_by_role("button", name="Vérifier").click()

    expect(page.get_by_role("heading", name="Bonne nouvelle : vous pouvez participer !")).to_be_visible()

    # The other one is in the territory too, but classified neither QPV nor FRR: refused, politely.
    page.goto(f"/sessions/{session.slug}/eligibilite/")
    page.get_by_role("textbox", name="Votre commune (nom ou code postal)").fill("montpeyroux")
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("group", name="Choisissez votre commune :").get_by_label(
        "Montpeyroux (34) – 34150"
    ).check()
    page.get_by_role("button", name="Vérifier").click()
    expect(
        page.get_by_role("heading", name="Cette session n'est pas ouverte à votre situation")
    ).to_be_visible()

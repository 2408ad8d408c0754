"""A staff member imports a new QPV list from the console and reads the import's report."""

import pytest
from playwright.sync_api import expect

from declics.territories.models import QPV
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, with_totp
from tests.programs.factories import CommuneFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QPV_FILE = b"code_qp;lib_qp;insee_com\nQN03401M;Quartier Nord;34172\nQN03402M;Quartier Sud;99999\n"


def test_console_staff_imports_a_qpv_list(page, live_server, browser_log, axe, screenshot):
    CommuneFactory(code="34172", name="Montpellier")
    staff = with_totp(StaffFactory(email="ines@example.org"))
    sign_in(page, staff.email, PASSWORD, totp_secret=TOTP_SECRET)
    page.get_by_role("link", name="Équipe").first.click()
    page.get_by_role("link", name="Données de référence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Données de référence")
    axe(page)
    page.get_by_role("link", name="Importer une liste QPV ou FRR/ZRR").click()

    page.get_by_label("quartiers prioritaires (QPV)").check()
    page.get_by_label("Fichier CSV").set_input_files(
        files=[{"name": "qpv_2024.csv", "mimeType": "text/csv", "buffer": QPV_FILE}]
    )
    page.get_by_label("Valable à partir du").fill("2024-01-01")
    page.get_by_label("Source").fill("ANCT, liste des QPV 2024")
    axe(page)
    page.get_by_role("button", name="Importer").click()

    # The task ran (eagerly here); the page shows its report and stops refreshing.
    expect(page.get_by_text("Import terminé le")).to_be_visible()
    expect(page.get_by_text("Ligne 3 : code INSEE 99999 inconnu : ligne ignorée")).to_be_visible()
    axe(page)
    screenshot(page, "console-zoning-import")
    assert set(QPV.objects.values_list("code", flat=True)) == {"QN03401M", "QN03402M"}
    assert browser_log.page_errors == []

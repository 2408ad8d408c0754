"""The console's reference data pages: upload (validated), the import's report, the state page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declics.rome.models import RomeJob, RomeLoad
from declics.territories.models import QPV, ZoningImport
from declics.territories.services import MAX_UPLOAD_BYTES
from tests.factories import StaffFactory

from ..factories import CommuneFactory, QPVFactory

pytestmark = pytest.mark.django_db

QPV_FILE = b"code_qp;lib_qp;insee_com\nQN03401M;Quartier Nord;34172\nQN03402M;Quartier Sud;99999\n"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _post(client, content=QPV_FILE, name="qpv_2024.csv", **overrides):
    data = {
        "kind": "qpv",
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        "valid_from": "2024-01-01",
        "source": "ANCT, liste des QPV 2024",
        **overrides,
    }
    return client.post(reverse("programs:zoning_upload"), data)


def test_an_upload_is_imported_by_the_task_and_its_report_shown(
    staff_client, django_capture_on_commit_callbacks
):
    CommuneFactory(code="34172", name="Montpellier")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(staff_client)
    upload = ZoningImport.objects.get()
    assert response.url == reverse("programs:zoning_import", args=[upload.pk])
    north = QPV.objects.get(code="QN03401M")
    assert list(north.communes.values_list("code", flat=True)) == ["34172"]

    page = staff_client.get(response.url)
    content = page.content.decode()
    assert 'http-equiv="refresh"' not in content  # done: the page stops refreshing
    assert page.context["upload"].status == ZoningImport.Status.DONE
    assert "Ligne 3 : code INSEE 99999 inconnu : ligne ignorée" in content


def test_a_pending_import_page_refreshes_itself_without_script(staff_client):
    upload = ZoningImport.objects.create(
        kind="qpv", valid_from=date(2024, 1, 1), source="ANCT", filename="qpv.csv", content=b"x"
    )
    content = staff_client.get(reverse("programs:zoning_import", args=[upload.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in content
    assert "En attente" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "qpv.xlsx", "content": b"PK\x03\x04zip"}, "file", "Choisissez un fichier CSV (.csv)"),
        ({"name": "qpv.csv", "content": b"PK\x03\x04\x00zip"}, "file", "Ce fichier n'est pas un CSV"),
        ({"name": "qpv.csv", "content": b"  \n"}, "file", "Le fichier est vide."),
        ({"kind": "rural"}, "classification", "Choisissez le classement"),
        ({"valid_to": "2023-01-01"}, "valid_to", "La date de fin de validité précède"),
    ],
)
def test_a_bad_upload_is_a_form_error_in_french(staff_client, overrides, field, message):
    name, content = overrides.pop("name", "qpv.csv"), overrides.pop("content", QPV_FILE)
    response = _post(staff_client, content=content, name=name, **overrides)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert not ZoningImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(staff_client, settings):
    response = _post(staff_client, content=b"code_qp;lib_qp;insee_com\n" + b"x" * MAX_UPLOAD_BYTES)
    assert response.status_code == 400
    assert "au plus" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("rows", [1, 3])
def test_reference_page_query_count_is_constant(staff_client, django_assert_num_queries, rows):
    for n in range(rows):
        QPVFactory(valid_from=date(2015 + n, 1, 1))
        ZoningImport.objects.create(
            kind="qpv", valid_from=date(2015 + n, 1, 1), source="ANCT", filename=f"qpv{n}.csv", content=b"x"
        )
    RomeJob.objects.create(code="M1805", label="Études et développement informatique", is_digital=True)
    RomeLoad.objects.create(checksum="a" * 64, codes=1)
    with django_assert_num_queries(13):
        response = staff_client.get(reverse("programs:reference_data"))
    assert len(response.context["qpv_versions"]) == rows
    assert len(response.context["imports"]) == rows
    content = response.content.decode()
    assert "Dernier chargement le" in content
    assert "Questionnaire du bilan" in content  # the step's reference data, through the registry

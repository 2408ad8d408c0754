from datetime import date

import pytest
from django.urls import reverse

from declics.territories import services
from declics.territories.models import QPV, Commune, RuralZone
from tests.factories import StaffFactory


@pytest.fixture
def staff_client(client, territories):
    client.force_login(StaffFactory(is_superuser=True))
    services.import_qpvs(
        source_file="code_qp;lib_qp;insee_com\nEXEMPLE-34-01;Quartier exemple — Nord;34172\n".encode(),
        valid_from=date(2024, 1, 1),
        source="exemple",
        is_sample=True,
    )
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["region", "departement", "commune", "qpv", "ruralzone", "referencedataversion"]
)
def test_admin_changelist_opens_for_staff(staff_client, model):
    response = staff_client.get(reverse(f"admin:territories_{model}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= (0 if model == "ruralzone" else 1)


@pytest.mark.django_db
def test_admin_commune_search_by_name_and_postal_code(staff_client):
    url = reverse("admin:territories_commune_changelist")

    by_name = staff_client.get(url, {"q": "Béziers"})
    by_postal_code = staff_client.get(url, {"q": "34150"})

    assert [c.code for c in by_name.context["cl"].result_list] == ["34032"]
    assert [c.code for c in by_postal_code.context["cl"].result_list] == ["34179"]


@pytest.mark.django_db
def test_admin_imported_fields_are_read_only_and_nothing_can_be_added(staff_client):
    commune = Commune.objects.get(code="34172")
    qpv = QPV.objects.get()
    response = staff_client.get(reverse("admin:territories_commune_change", args=[commune.pk]))

    assert response.context["adminform"].form.fields == {}
    assert "Montpellier" in response.content.decode()
    assert staff_client.get(reverse("admin:territories_commune_add")).status_code == 403
    qpv_page = staff_client.get(reverse("admin:territories_qpv_change", args=[qpv.pk]))
    assert qpv_page.context["adminform"].form.fields == {}
    assert "Montpellier (34000)" in qpv_page.content.decode()
    assert RuralZone.objects.count() == 0

"""The QPV and FRR/ZRR lists uploaded from the console: the task runs the commands' own import,
a later version replaces the previous list in one transaction, a bad file changes nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from declics.territories import services
from declics.territories.models import QPV, RuralZone, ZoningImport
from declics.territories.services import uploads

QPV_2015 = "code_qp;lib_qp;insee_com\nQP034001;Quartier Nord;34172\nQP031002;Quartier Ouest;31555\n"
QPV_2024 = (
    "code_qp;lib_qp;insee_com\n"
    "QN03401M;Quartier Nord;34172\n"
    "QN03402M;Quartier Sud;34172\n"
    "QN03403M;Quartier inconnu;99999\n"
)
BAD_QPV = "code_qp;lib_qp;insee_com\nQN03401M;;34172\nQN03402M;Quartier Sud;pas-un-code\n"
JAN_2015, JAN_2024 = date(2015, 1, 1), date(2024, 1, 1)

pytestmark = pytest.mark.django_db


def _upload(content: str, *, kind=ZoningImport.Kind.QPV, valid_from=JAN_2024, **kwargs) -> ZoningImport:
    """Queue an upload; the test settings run the task eagerly once the transaction commits."""
    return services.queue_zoning_import(
        kind=kind,
        content=content.encode(),
        filename="liste.csv",
        valid_from=valid_from,
        source="ANCT",
        **kwargs,
    )


def test_the_task_imports_the_file_and_writes_its_report(territories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload = _upload(QPV_2024)
    assert len(callbacks) == 1  # the task is sent on commit, through declics.queueing
    upload.refresh_from_db()
    assert (upload.status, upload.rows_read, upload.created, upload.updated) == (
        ZoningImport.Status.DONE,
        3,
        3,
        0,
    )
    assert upload.refused == [{"line": 4, "reason": "code INSEE 99999 inconnu : ligne ignorée"}]
    assert upload.started_at and upload.finished_at
    assert QPV.objects.valid_on(JAN_2024).count() == 3


def test_a_second_version_replaces_the_previous_list_from_its_date(
    territories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(QPV_2015, valid_from=JAN_2015)
    with django_capture_on_commit_callbacks(execute=True):
        second = _upload(QPV_2024, valid_from=JAN_2024)
    second.refresh_from_db()

    assert second.superseded == 2
    assert set(QPV.objects.valid_on(date(2023, 12, 31)).values_list("code", flat=True)) == {
        "QP034001",
        "QP031002",
    }
    assert set(QPV.objects.valid_on(JAN_2024).values_list("code", flat=True)) == {
        "QN03401M",
        "QN03402M",
        "QN03403M",
    }
    assert set(QPV.objects.filter(valid_from=JAN_2015).values_list("valid_to", flat=True)) == {
        date(2023, 12, 31)
    }


def test_a_bad_file_is_refused_with_its_lines_and_the_old_list_stays(
    territories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(QPV_2015, valid_from=JAN_2015)
    with django_capture_on_commit_callbacks(execute=True):
        bad = _upload(BAD_QPV, valid_from=JAN_2024)
    bad.refresh_from_db()

    assert bad.status == ZoningImport.Status.FAILED
    assert "Ligne 2 : le nom du quartier QN03401M est vide." in bad.error
    assert "Ligne 3 : « PAS-UN-CODE » n'est pas un code INSEE de commune." in bad.error
    # The 2015 list is untouched: still valid, and valid on.
    assert list(QPV.objects.filter(valid_from=JAN_2015).values_list("valid_to", flat=True)) == [None, None]
    assert QPV.objects.count() == 2


def test_a_rural_list_replaces_only_its_own_classification(territories, django_capture_on_commit_callbacks):
    rural = "CODGEO;LIBGEO\n12119;Laguiole\n34142;L'Isle\n"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(rural, kind=ZoningImport.Kind.RURAL, classification="ZRR", valid_from=JAN_2015)
    with django_capture_on_commit_callbacks(execute=True):
        frr = _upload("CODGEO;LIBGEO\n12119;Laguiole\n", kind=ZoningImport.Kind.RURAL, classification="FRR")
    frr.refresh_from_db()

    assert (frr.status, frr.created, frr.superseded) == (ZoningImport.Status.DONE, 1, 0)
    assert RuralZone.objects.filter(classification="ZRR", valid_to__isnull=True).count() == 2


def test_the_task_runs_an_import_once(territories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload = _upload(QPV_2024)
    assert uploads.run_zoning_import(import_id=upload.pk) is None  # already done: nothing again
    assert QPV.objects.count() == 3


def test_the_command_replaces_the_previous_list_with_the_same_function(territories, tmp_path):
    first, second = tmp_path / "qpv2015.csv", tmp_path / "qpv2024.csv"
    first.write_text(QPV_2015)
    second.write_text(QPV_2024)
    call_command(
        "import_qpv", str(first), "--valid-from", "2015-01-01", "--source", "ANCT", stdout=StringIO()
    )
    out = StringIO()
    call_command(
        "import_qpv",
        str(second),
        "--valid-from",
        "2024-01-01",
        "--source",
        "ANCT",
        "--replace-previous",
        stdout=out,
    )
    assert "2 ligne(s) des listes précédentes remplacée(s)." in out.getvalue()
    assert QPV.objects.valid_on(JAN_2024).count() == 3

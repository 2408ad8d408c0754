import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from declics.territories import demo, services
from declics.territories.models import QPV, Commune, RuralZone

from .conftest import territory_data

QPV_FILE = (
    "code_qp;lib_qp;insee_com;lib_com\n"
    "QN03401M;Quartier Nord;34172;Montpellier\n"
    "QN03102X;Quartier Ouest;31555;Toulouse\n"
    "QN03102X;Quartier Ouest;31149;Colomiers\n"
)
JAN_2024 = date(2024, 1, 1)


def import_qpvs(content, **kwargs):
    kwargs = {"valid_from": JAN_2024, "source": "ANCT, liste 2024", **kwargs}
    return services.import_qpvs(
        source_file=content.encode() if isinstance(content, str) else content, **kwargs
    )


@pytest.mark.django_db
def test_import_qpvs_creates_qpvs_with_their_communes_then_changes_nothing(territories):
    report = import_qpvs(QPV_FILE)

    assert (report.created, report.updated, report.unchanged, report.unknown_codes) == (2, 0, 0, [])
    west = QPV.objects.get(code="QN03102X")
    assert (west.name, west.valid_from, west.valid_to, west.source, west.is_sample) == (
        "Quartier Ouest",
        JAN_2024,
        None,
        "ANCT, liste 2024",
        False,
    )
    assert sorted(west.communes.values_list("code", flat=True)) == ["31149", "31555"]
    ids = sorted(QPV.objects.values_list("pk", flat=True))

    again = import_qpvs(QPV_FILE)

    assert (again.created, again.updated, again.unchanged, again.changed) == (0, 0, 2, False)
    assert sorted(QPV.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_import_qpvs_updates_name_and_communes_of_an_existing_qpv(territories):
    import_qpvs(QPV_FILE)
    changed = "code_qp;lib_qp;insee_com\nQN03102X;Quartier Ouest élargi;31555\nQN03401M;Quartier Nord;34172\n"

    report = import_qpvs(changed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    west = QPV.objects.get(code="QN03102X")
    assert west.name == "Quartier Ouest élargi"
    assert list(west.communes.values_list("code", flat=True)) == ["31555"]


@pytest.mark.django_db
def test_import_qpvs_bad_file_saves_nothing_and_names_the_line(territories):
    bad = "code_qp;lib_qp;insee_com\nQN03401M;Nord;34172\nQN03102X;Quartier Ouest;3155\n;Sans code;31555\n"

    with pytest.raises(services.TerritoryImportError) as error:
        import_qpvs(bad)

    message = str(error.value)
    assert "rien n'a été modifié" in message
    assert "Ligne 3 : « 3155 » n'est pas un code INSEE de commune." in message
    assert "Ligne 4 : le code du quartier est vide." in message
    assert QPV.objects.count() == 0


@pytest.mark.django_db
def test_import_qpvs_missing_column_is_reported_on_line_1(territories):
    with pytest.raises(services.TerritoryImportError, match="Ligne 1 : colonne introuvable.*insee_com"):
        import_qpvs("code_qp;lib_qp\nQN03401M;Quartier Nord\n")


@pytest.mark.django_db
def test_import_qpvs_reports_unknown_insee_codes_and_strict_refuses_them(territories):
    content = QPV_FILE + "QN09999Z;Quartier Inconnu;99999;Nulle part\n"

    report = import_qpvs(content)

    assert report.unknown_codes == [(5, "99999")]
    assert report.created == 3
    assert QPV.objects.get(code="QN09999Z").communes.count() == 0

    QPV.objects.all().delete()
    with pytest.raises(
        services.TerritoryImportError, match="Ligne 5 : le code INSEE 99999 ne correspond à aucune"
    ):
        import_qpvs(content, strict=True)
    assert QPV.objects.count() == 0


@pytest.mark.django_db
def test_import_qpvs_reads_bom_commas_and_upper_case_columns(territories):
    content = '\ufeffCODE_QP,LIB_QP,INSEE_COM\nQN03401M,"Quartier Nord, bas",34172\n'.encode()

    report = import_qpvs(content)

    assert report.created == 1
    assert QPV.objects.get().name == "Quartier Nord, bas"


@pytest.mark.django_db
def test_import_qpv_command_with_sample_flag_marks_rows_as_samples(territories, tmp_path):
    path = tmp_path / "qpv.csv"
    path.write_text(QPV_FILE, encoding="utf-8")
    out = StringIO()

    call_command(
        "import_qpv", str(path), "--valid-from", "2024-01-01", "--valid-to", "2030-12-31",
        "--source", "essai", "--sample", stdout=out,
    )  # fmt: skip

    assert out.getvalue() == "QPV : 2 créé(s), 0 modifié(s), 0 inchangé(s).\n"
    assert set(QPV.objects.values_list("is_sample", "valid_to")) == {(True, date(2030, 12, 31))}


@pytest.mark.django_db
def test_import_qpv_command_turns_a_bad_file_into_a_command_error(territories, tmp_path):
    path = tmp_path / "qpv.csv"
    path.write_text("code_qp;lib_qp;insee_com\nQN1;A;34172\nQN1;B;34172\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Ligne 3 : le quartier QN1 porte deux noms"):
        call_command("import_qpv", str(path), "--valid-from", "2024-01-01", "--source", "essai")
    assert QPV.objects.count() == 0


@pytest.mark.django_db
def test_import_qpvs_refuses_an_end_before_the_start(territories):
    with pytest.raises(services.TerritoryImportError, match="précède"):
        import_qpvs(QPV_FILE, valid_to=date(2023, 1, 1))


RURAL_FILE = "CODGEO;LIBGEO\n12119;Laguiole\n34142;L'Isle-Jourdain-test\n"
JULY_2024 = date(2024, 7, 1)


def import_rural(content, classification="FRR", **kwargs):
    kwargs = {"valid_from": JULY_2024, "source": "ANCT, FRR 2024", **kwargs}
    return services.import_rural_zones(source_file=content.encode(), classification=classification, **kwargs)


@pytest.mark.django_db
def test_import_rural_zones_creates_rows_then_changes_nothing(territories):
    report = import_rural(RURAL_FILE)

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert sorted(
        RuralZone.objects.values_list("commune__code", "classification", "valid_from", "is_sample")
    ) == [
        ("12119", "FRR", JULY_2024, False),
        ("34142", "FRR", JULY_2024, False),
    ]
    again = import_rural(RURAL_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert RuralZone.objects.count() == 2


@pytest.mark.django_db
def test_import_rural_zones_classification_column_overrides_and_skips_non_classified(territories):
    content = "code_insee;libgeo;Classement\n12119;Laguiole;FRR+\n34142;L'Isle;non\n31149;Colomiers;\n"

    report = import_rural(content, classification="ZRR")

    assert report.not_classified == 1
    assert sorted(RuralZone.objects.values_list("commune__code", "classification")) == [
        ("12119", "FRR+"),
        ("31149", "ZRR"),
    ]


@pytest.mark.django_db
def test_import_rural_zones_bad_classification_saves_nothing(territories):
    content = "CODGEO;LIBGEO;classement\n12119;Laguiole;FRR\n34142;L'Isle;peut-être\n"

    with pytest.raises(services.TerritoryImportError, match="Ligne 3 : classement « peut-être » illisible"):
        import_rural(content)
    assert RuralZone.objects.count() == 0


@pytest.mark.django_db
def test_import_rural_zones_command_lists_unknown_codes(territories, tmp_path):
    path = tmp_path / "frr.csv"
    path.write_text("CODGEO;LIBGEO\n12119;Laguiole\n2A004;Ajaccio\n", encoding="utf-8-sig")
    out, err = StringIO(), StringIO()

    call_command(
        "import_rural_zones", str(path), "--classification", "FRR", "--valid-from", "2024-07-01",
        "--source", "ANCT", stdout=out, stderr=err,
    )  # fmt: skip

    assert out.getvalue() == "Communes FRR/ZRR : 1 créé(s), 0 modifié(s), 0 inchangé(s).\n"
    assert "1 code(s) INSEE inconnu(s)" in err.getvalue()
    assert "ligne 3 : 2A004" in err.getvalue()


def _sample_codes():
    codes = set()
    for name in ("qpv_sample.csv", "rural_zones_sample.csv"):
        with (demo.SAMPLES / name).open(encoding="utf-8") as sample:
            for row in csv.DictReader(sample, delimiter=";"):
                codes.add(row.get("insee_com") or row["CODGEO"])
    return codes


def test_sample_files_are_marked_as_samples():
    readme = (demo.SAMPLES / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# SAMPLE FILES — NOT OFFICIAL DATA")
    with (demo.SAMPLES / "qpv_sample.csv").open(encoding="utf-8") as sample:
        rows = list(csv.DictReader(sample, delimiter=";"))
    assert all(row["code_qp"].startswith("EXEMPLE-") for row in rows)
    assert all(row["lib_qp"].startswith("Quartier exemple — ") for row in rows)
    # Hérault and Haute-Garonne for QPVs; rural communes in Aveyron, Lozère, Gers and Ariège.
    assert {row["insee_dep"] for row in rows} == {"34", "31"}
    assert {code[:2] for code in _sample_codes()} >= {"34", "31", "12", "48", "32", "09"}


@pytest.mark.django_db
def test_demo_seed_imports_the_samples_as_samples_idempotently(territories):
    loaded = set(Commune.objects.values_list("code", flat=True))
    extra = [
        {"code": code, "nom": f"Commune {code}", "type": "commune-actuelle", "departement": code[:2]}
        for code in sorted(_sample_codes() - loaded)
    ]
    data = territory_data(checksum="with-samples")
    data.departements = data.departements + [
        {"code": code, "nom": code, "region": "76", "zone": "metro"} for code in ("48", "32", "09")
    ]
    data.communes = data.communes + extra
    services.load_territories(data=data)
    out = StringIO()

    demo.seed(stdout=out)
    demo.seed(stdout=out)

    assert QPV.objects.count() == 8
    assert RuralZone.objects.count() == 14
    assert set(QPV.objects.values_list("is_sample", flat=True)) == {True}
    assert set(RuralZone.objects.values_list("is_sample", flat=True)) == {True}
    assert sorted(QPV.objects.get(code="EXEMPLE-31-02").communes.values_list("code", flat=True)) == [
        "31149",
        "31555",
    ]
    assert RuralZone.objects.get(commune__code="12119").classification == "FRR+"
    assert out.getvalue().splitlines()[-1] == (
        "Exemples de territoires : 0 QPV d'exemple créés (8 déjà là), "
        "0 communes FRR d'exemple créées (14 déjà là)."
    )

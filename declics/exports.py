"""Every spreadsheet the platform writes (XLSX or CSV) goes through here: no cell is ever a formula.

A value someone typed (a first name, a message, an offer title) may start with "=", "+", "-", "@",
a tab or a carriage return. A spreadsheet reads such a cell as a formula: "=HYPERLINK(…)" or a DDE
call in a first name, and one click in the adviser's export could send the column of e-mail
addresses to another site (CSV or formula injection). So:

- in an XLSX file, every text is written as a string cell (never a formula or an error value), and
  a text that looks like a formula also carries Excel's "quote prefix" style, so that editing the
  cell keeps it text; the text itself is kept exactly;
- in a CSV file, which has no cell types, such a text is prefixed with an apostrophe ("'=…"),
  which every spreadsheet shows as plain text (OWASP's advice).

`tests/test_exports.py` fails when a module outside this one imports a spreadsheet writer.
"""

import csv
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# The characters that make a spreadsheet read a cell as a formula, with their full-width forms
# (which some spreadsheets fold to the ASCII ones).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_LEADING_BLANKS = re.compile(r"^[ \u00a0\u3000]+")
SHEET_TITLE_MAX = 31  # characters, Excel's limit


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula (leading spaces are ignored by some)."""
    return _LEADING_BLANKS.sub("", text).startswith(FORMULA_STARTS)


def spreadsheet_text(text: str) -> str:
    """`text` without the control characters an XLSX file cannot hold (they would fail the export)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def spreadsheet_safe(value):
    """The value as a CSV cell: a text a spreadsheet would run as a formula gets a leading
    apostrophe; numbers, dates and other texts are unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return f"'{value}"
    return value


def xlsx_cell(sheet, value, *, font: Font | None = None):
    """A write-only cell holding `value`: a text is always a string cell (never a formula)."""
    cell = WriteOnlyCell(sheet)
    if isinstance(value, str):
        text = spreadsheet_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error: neither, ever
        if is_formula_like(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    return cell


def write_xlsx(file, *, title: str, header: list[str], rows) -> int:
    """Write one sheet (a bold header, then `rows`, an iterable of lists) to `file`, row by row in
    openpyxl's write-only mode (memory stays flat); returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=spreadsheet_text(title)[:SHEET_TITLE_MAX])
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, value, font=bold) for value in header])
    count = 0
    for values in rows:
        sheet.append([xlsx_cell(sheet, value) for value in values])
        count += 1
    workbook.save(file)
    return count


class CsvWriter:
    """`csv.writer` with every cell passed through `spreadsheet_safe`."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, values):
        return self._writer.writerow([spreadsheet_safe(value) for value in values])

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)

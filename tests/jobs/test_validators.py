import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.validators import DOCX, PDF, siret_is_valid, validate_cv, validate_siret


def docx_bytes(with_document=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("73282932000074", True),  # a real SIRET (Luhn)
        ("73282932000075", False),  # last digit changed
        ("7328293200007", False),  # 13 digits
        ("7328293200007A", False),
        ("35600000000048", True),  # La Poste, head office (Luhn holds)
        ("35600000049837", True),  # La Poste establishment: digit sum 45, Luhn fails
        ("35600000049838", False),  # La Poste, digit sum 46, Luhn fails
    ],
)
def test_siret_is_valid_checks_luhn_and_la_poste_exception(value, valid):
    assert siret_is_valid(value) is valid


def test_validate_siret_message_is_french():
    with pytest.raises(ValidationError) as error:
        validate_siret("12345678901234")
    assert error.value.messages == [
        "Ce numéro SIRET n'est pas valide : vérifiez ses 14 chiffres sur votre extrait Kbis."
    ]


def test_validate_cv_accepts_pdf_and_docx_by_content():
    assert validate_cv(SimpleUploadedFile("cv.txt", b"%PDF-1.7\nrest")) == PDF
    assert validate_cv(SimpleUploadedFile("cv", docx_bytes())) == DOCX


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00 an exe renamed", "Ce fichier n'est ni un PDF ni un document Word (.docx)"),
        (
            "cv.docx",
            docx_bytes(with_document=False),
            "Ce fichier n'est ni un PDF ni un document Word (.docx)",
        ),
        ("cv.pdf", b"PK\x03\x04 not really a zip", "Ce fichier n'est ni un PDF ni un document Word (.docx)"),
        ("cv.pdf", b"", "Le fichier est vide."),
        ("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "Le fichier est trop lourd"),
    ],
)
def test_validate_cv_refuses_disguised_empty_or_oversized_files(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_cv(SimpleUploadedFile(name, content))
    assert error.value.messages[0].startswith(message)

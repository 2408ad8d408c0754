"""Input checks of the jobs app: SIRET numbers and uploaded files (checked by content, not by name)."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share the SIREN 356 000 000; their SIRET numbers do not follow the
# Luhn rule but the sum of their digits is a multiple of 5 (INSEE's documented exception).
LA_POSTE_SIREN = "356000000"

CV_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_BYTES = 512 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return luhn_ok(value) or sum(int(char) for char in value) % 5 == 0
    return luhn_ok(value)


def normalise_siret(value: str) -> str:
    return "".join(value.split())


def validate_siret(value: str) -> None:
    if not siret_is_valid(normalise_siret(value)):
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez ses 14 chiffres sur votre extrait Kbis."),
            code="invalid_siret",
        )


def _head(uploaded, size: int) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def _is_docx(uploaded) -> bool:
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def detect_cv_type(uploaded) -> str | None:
    """PDF or DOCX by content (magic bytes, or a zip holding word/document.xml), else None."""
    head = _head(uploaded, 8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and _is_docx(uploaded):
        return DOCX
    return None


def validate_cv(uploaded) -> str:
    """Return the detected content type, or raise a French message. Reads the file, keeps nothing."""
    if uploaded.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if uploaded.size > CV_MAX_BYTES:
        raise ValidationError(
            _("Le fichier est trop lourd : 5 Mo au maximum. Essayez d'enregistrer votre CV en PDF."),
            code="too_large",
        )
    content_type = detect_cv_type(uploaded)
    if content_type is None:
        raise ValidationError(
            _("Ce fichier n'est ni un PDF ni un document Word (.docx) : enregistrez votre CV en PDF."),
            code="bad_type",
        )
    return content_type


def validate_logo(uploaded) -> None:
    if uploaded.size > LOGO_MAX_BYTES:
        raise ValidationError(_("Le logo est trop lourd : 500 Ko au maximum."), code="too_large")
    head = _head(uploaded, 8)
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ValidationError(_("Le logo doit être une image PNG ou JPEG."), code="bad_type")

"""The SMS versions of the messages: plain GSM-7 text (one segment's alphabet), short."""

import re
from pathlib import Path

import pytest
from django.conf import settings

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*_sms.txt"))


def _literal(path: Path) -> str:
    """The template's own words, without the values: what the person reads around them."""
    source = re.sub(r'{% translate "(.*?)" %}', r"\1", path.read_text())
    return TAGS.sub("", source)


def test_there_are_sms_templates():
    assert len(TEMPLATES) >= 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_sms_template_words_are_gsm7_and_short(path):
    text = _literal(path)

    assert set(text) - GSM7 == set(), f"{path}: characters outside GSM-7"
    assert len(" ".join(text.split())) <= 130, f"{path}: too long for one SMS with its values"

"""What an SMS costs: its GSM-7 or UCS-2 encoding, its segments, and the estimated price.

A text written only with the GSM 03.38 alphabet (the basic set, plus the extension table whose
characters take two septets each) goes as GSM-7: 160 septets in one SMS, 153 per part when it is
split (the rest of each part carries the header that joins them). Any other character (ê, ç, an
emoji, a typographic apostrophe) turns the whole message into UCS-2: 70 UTF-16 units in one SMS,
67 per part. A French text often goes UCS-2 for a single "ê": `fit` replaces what has an exact
GSM-7 equivalent (’ « » – … and the non-breaking spaces) and, when that is the only thing between
the text and GSM-7, the accented letters GSM-7 lacks by their plain letter (ê → e, ç → c), which
French SMS commonly do: the message then fits in one SMS more often.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

# GSM 03.38 basic character set (the escape character 0x1B excluded: it introduces the extension).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these is sent as the escape plus one septet, so it counts 2.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Exact equivalents in GSM-7 of characters French text uses (typography, spaces).
_TYPOGRAPHY = str.maketrans(
    {
        "\u2019": "'",  # ’
        "\u2018": "'",  # ‘
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u2013": "-",  # –
        "\u2014": "-",  # —
        "\u2026": "...",  # …
        "\u00a0": " ",  # non-breaking space
        "\u202f": " ",  # narrow non-breaking space (before : ; ! ? in French)
        "\u2009": " ",  # thin space
    }
)


# French quotes « … » with their inner spaces become "…".
_GUILLEMETS = re.compile(r"«\s*|\s*»")


def is_gsm7(text: str) -> bool:
    """Whether every character of `text` exists in the GSM 03.38 alphabet (basic or extension)."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _parts(units: list[int], single: int, part: int) -> int:
    """How many SMS the units fill: one when they fit `single`; else parts of `part` units, a
    character never split across two parts (a GSM-7 extension character, a UTF-16 surrogate pair)."""
    if sum(units) <= single:
        return 1
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def segments(text: str) -> int:
    """The number of SMS a phone company bills for `text` (at least 1)."""
    if is_gsm7(text):
        return _parts([2 if char in GSM7_EXTENSION else 1 for char in text], GSM7_SINGLE, GSM7_PART)
    return _parts([2 if ord(char) > 0xFFFF else 1 for char in text], UCS2_SINGLE, UCS2_PART)


# Letters with no accent to drop but a usual spelling in plain letters.
_LIGATURES = {"œ": "oe", "Œ": "OE"}


def _plain_letter(char: str) -> str:
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in _LIGATURES:
        return _LIGATURES[char]
    base = unicodedata.normalize("NFD", char)[0]
    return base if base in GSM7_BASIC else char


def fit(text: str) -> str:
    """`text` as it should go: GSM-7 whenever only typography and accents stand in the way
    (see the module's docstring); a text with other characters (an emoji, another script) is
    left in UCS-2 with its accents."""
    text = _GUILLEMETS.sub('"', text).translate(_TYPOGRAPHY)
    if is_gsm7(text):
        return text
    plain = "".join(_plain_letter(char) for char in text)
    return plain if is_gsm7(plain) else text


def cost_per_segment() -> Decimal:
    return Decimal(str(settings.SMS_COST_PER_SEGMENT))


def estimated_cost(segment_count: int) -> Decimal:
    """The estimated price in euros of `segment_count` segments (SMS_COST_PER_SEGMENT each), to the cent."""
    return (cost_per_segment() * segment_count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

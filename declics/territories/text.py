"""Normalisation of place names for search: accents, case, hyphens, apostrophes, "Saint" → "st"."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "saints": "sts", "saintes": "stes"}


def normalize_name(value: str) -> str:
    """ "Saint-Jean-de-Védas" → "st jean de vedas"; "L'Isle-Jourdain" → "l isle jourdain"."""
    decomposed = unicodedata.normalize("NFKD", value.replace("œ", "oe").replace("Œ", "OE").lower())
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NON_ALNUM.sub(" ", ascii_only).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)

"""Reference data written in French with an English version beside it (data files, `*_en` fields).

The page's language picks the text; French is the fallback when the English text is missing, so a
half-translated data file never shows an empty page.
"""

from django.utils import translation


def in_page_language(french: str, english: str) -> str:
    """The English text on an English page when there is one; the French text otherwise."""
    language = (translation.get_language() or "fr").split("-")[0]
    return english if language == "en" and english else french

"""A French readability measure for job-seeker pages and messages (issue 15, plain French).

Kandel & Moles' adaptation of Flesch's reading ease to French:

    score = 207 − 1.015 × (words per sentence) − 73.6 × (syllables per word)

(higher is easier; ~60–70 is "standard", 80+ "easy"), computed here rather than with `textstat`
because a page is not prose: its headings, buttons, labels and list items end without a full stop,
and a general-purpose splitter glues them into one endless "sentence". Here every block of the
page (a paragraph, a list item, a heading, a label, a table cell, a button) ends a sentence, as do
". ! ? : ; …" inside it. Syllables are written vowel groups, a final mute "e"/"es" not counted —
the count French readability formulas were built on. The same measure gives the longest sentence,
which the tests bound too: one long sentence is the first thing a hesitant reader trips on.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "label", "legend", "summary", "td", "th", "dt",
    "dd", "button", "a", "option", "caption", "figcaption", "div", "section", "article", "header",
    "footer", "nav", "tr", "ul", "ol", "form", "fieldset", "details", "br", "hr", "blockquote",
}  # fmt: skip
SKIPPED = {"script", "style", "template", "noscript", "svg"}
VOIDS = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed"}
_SENTENCE_END = re.compile(r"(?<=[.!?:;…])\s+|\n{2,}")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouyàâäéèêëîïôöûùüÿœæ]+")


# Words a job seeker does not know, unless explained: "quartier prioritaire (QPV)" and
# "QPV (quartier prioritaire)" pass, "QPV" alone does not. A ROME code in brackets never passes.
ACRONYMS = re.compile(r"\b(?:DigComp|RIASEC|ROME|QPV|ZRR|FRR|RQTH|OPCO|CPF|SOC|MOA|TMA|DSI)\b(?!\s*\()")
CODES = re.compile(r"\([A-N]\d{4}\)")
_BRACKETS = re.compile(r"\([^()]*\)")


def jargon(blocks: list[str]) -> list[str]:
    found = {match.group(0) for block in blocks for match in CODES.finditer(block)}
    found |= {match.group(0) for block in blocks for match in ACRONYMS.finditer(_BRACKETS.sub("", block))}
    return sorted(found)


def syllables(word: str) -> int:
    word = word.lower().replace("’", "'").split("'")[-1]  # "l'étape": the elided article is not read apart
    count = len(_VOWEL_GROUPS.findall(word))
    if count > 1 and re.search(r"[^aeiouyàâäéèêëîïôöûùüÿ]es?$", word):
        count -= 1  # the mute final e: "étape" has two syllables, "terminées" three
    return max(count, 1)


@dataclass
class Readability:
    sentences: int
    words: int
    syllables: int
    longest: str

    @property
    def score(self) -> float:
        if not self.words:
            return 100.0
        return 207 - 1.015 * self.words / self.sentences - 73.6 * self.syllables / self.words

    @property
    def longest_words(self) -> int:
        return len(_WORD.findall(self.longest))


# A block shorter than this is a label (a heading, a button, a name, a menu entry), not a sentence:
# the formula was built on running text, and "Double authentification" or "Supprimer" would be
# scored as very hard sentences. Jargon in labels is the jargon test's business (JARGON below).
MIN_SENTENCE_WORDS = 4


def measure(blocks: list[str]) -> Readability:
    sentences = [
        sentence.strip()
        for block in blocks
        for sentence in _SENTENCE_END.split(block)
        if len(_WORD.findall(sentence)) >= MIN_SENTENCE_WORDS
    ]
    words = [word for sentence in sentences for word in _WORD.findall(sentence)]
    return Readability(
        sentences=len(sentences),
        words=len(words),
        syllables=sum(syllables(word) for word in words),
        longest=max(sentences, key=lambda s: len(_WORD.findall(s)), default=""),
    )


class _MainText(HTMLParser):
    """The visible text of <main>, one string per block (hidden elements left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.in_main = False

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag in BLOCKS:
            self._flush()
        if tag not in VOIDS:
            hidden = tag in SKIPPED or "hidden" in attrs or attrs.get("aria-hidden") == "true"
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._flush()
        while self.stack:
            open_tag, _hidden = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        if self.in_main and not self._hidden():
            self.current.append(data)


def page_blocks(html: str) -> list[str]:
    parser = _MainText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


_INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["'][^%]*%}""")
_TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(.*?)\1[^%]*%}""", re.S)
_BLOCKTRANSLATE = re.compile(r"{%\s*blocktranslate\b[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.S)
_PLURAL = re.compile(r"{%\s*plural\s*%}.*", re.S)
_VARIABLE = re.compile(r"{{.*?}}", re.S)


def template_blocks(source: str, include=lambda name: "") -> list[str]:
    """A message template's wording, as it reads: every translated string (`{% translate %}`,
    `{% blocktranslate %}`, the singular of a plural), one block each, its variables read as one
    short word (a first name, a date); included templates read in place (`include(name)` gives
    their source)."""
    source = _INCLUDE.sub(lambda match: include(match.group(1)), source)
    found = [(match.start(), match.group(2)) for match in _TRANSLATE.finditer(source)]
    found += [(match.start(), _PLURAL.sub("", match.group(1))) for match in _BLOCKTRANSLATE.finditer(source)]
    return [
        re.sub(r"\s+", " ", _VARIABLE.sub("Samira", text)).strip()
        for _start, text in sorted(found)
        if text.strip()
    ]

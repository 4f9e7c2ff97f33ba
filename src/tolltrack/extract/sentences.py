"""Split article text into sentences with offsets, and set page furniture aside.

Splitting is rule-based and cheap because it runs on every article; the
parser only sees the few sentences that pass the screen. Furniture lines
(widgets, teasers, photo captions and credits, captions repeated verbatim)
are marked, not removed, so every offset still points into the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tolltrack.furniture import furniture_lines


@dataclass(frozen=True)
class Sentence:
    """One sentence: its offsets in the article, its text, and whether it is furniture."""

    start: int
    end: int
    text: str
    paragraph: int
    furniture: bool = False


# A sentence ends at . ! ? (optionally followed by a closing quote or bracket)
# before white space and a capital, digit or opening quote. Abbreviations that
# end in a period are guarded below.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Maj|Sgt|Cpl|Adm|Gov|Sen|Rep|St|Mt|Ft|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Co|Corp|vs|etc|approx|"
    r"est|Rev|Hon|Jr|Sr)|\b[A-Z]|\b(?:[a-zA-Z]\.){1,3}[a-zA-Z]|\bU\.S|\bU\.K|\bp\.m|\ba\.m)\.$"
)


_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Za-z0-9 .,'’]{2,40}?)?\s*(?:\([^)]{1,40}\))?\s*[-—–]+\s+")


_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


def in_capitals(text: str) -> bool:
    """True for text set in capitals (old wire copy), where case says nothing."""
    if len(_LOWER.findall(text, 0, 200)) > 40:
        return False  # ordinary prose shows itself in its first words
    upper = len(_UPPER.findall(text))
    return upper > 0 and upper > 4 * len(_LOWER.findall(text))


def split_sentences(text: str, lexdir: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets into ``text``.

    Paragraphs are lines separated by newlines; a sentence never crosses a
    newline. Sentences inside furniture lines come back with ``furniture=True``.
    """
    furniture = {start for start, _ in furniture_lines(text, lexdir)}
    out: list[Sentence] = []
    for paragraph, para in enumerate(re.finditer(r"[^\n]+", text)):
        in_furniture = para.start() in furniture  # furniture spans are whole lines
        start = para.start()
        body = para.group()
        cursor = 0
        dateline = _DATELINE.match(body)
        if dateline:
            # "KYIV, 14 March (Reuters) - The ministry said ...": the dateline
            # is no part of the first sentence's subject.
            _emit(out, text, start, start + dateline.end(), paragraph, in_furniture)
            cursor = dateline.end()
        for boundary in _BOUNDARY.finditer(body):
            if _ABBREVIATION.search(body[cursor:boundary.start()].rstrip("\"'”’)]")):
                continue
            _emit(out, text, start + cursor, start + boundary.start(), paragraph, in_furniture)
            cursor = boundary.end()
        _emit(out, text, start + cursor, start + len(body), paragraph, in_furniture)
    return out


def _emit(out: list[Sentence], text: str, start: int, end: int, paragraph: int,
          furniture: bool) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph, furniture))

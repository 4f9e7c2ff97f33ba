"""Split article text into sentences with offsets, and set page furniture aside.

Splitting is rule-based and cheap because it runs on every article; the
parser only sees the few sentences that pass the screen. Furniture lines
(widgets, teasers, photo captions and credits, captions repeated verbatim)
are marked, not removed, so every offset still points into the article text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from tolltrack import lexicon


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


@dataclass(frozen=True)
class _Furniture:
    patterns: tuple[re.Pattern[str], ...]
    min_repeat: int
    max_line: int


@cache
def _furniture(lexdir: str | None) -> _Furniture:
    with lexicon.reading("furniture"):
        data = lexicon.load("furniture", lexdir)
        return _Furniture(tuple(re.compile(p, re.I) for p in data["lines"]),
                          int(data.get("min_repeat_chars", 40)),
                          int(data.get("max_line_chars", 600)))


_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


def in_capitals(text: str) -> bool:
    """True for text set in capitals (old wire copy), where case says nothing."""
    if len(_LOWER.findall(text, 0, 200)) > 40:
        return False  # ordinary prose shows itself in its first words
    upper = len(_UPPER.findall(text))
    return upper > 0 and upper > 4 * len(_LOWER.findall(text))


def _norm(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def furniture_lines(text: str, lexdir: str | None = None) -> list[tuple[int, int]]:
    """Offsets of the lines of ``text`` that are page furniture, not story."""
    rules = _furniture(lexdir)
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    counts = Counter(_norm(line) for _, _, line in lines if len(line) >= rules.min_repeat)
    spans = []
    seen: set[str] = set()
    for start, end, line in lines:
        stripped = line.strip().lstrip("•·*–- ").strip()
        if not stripped:
            continue
        # A line printed again word for word is furniture (a caption, a pull
        # quote, a lead echoed by the page). Its first printing stays when it
        # reads as prose, ending as a sentence ends: it may be the story's own
        # paragraph. A caption, which does not, goes every time.
        key = _norm(line)
        repeated = len(line) >= rules.min_repeat and counts[key] > 1 and (
            key in seen or not stripped.rstrip("\"'”’)").endswith((".", "!", "?")))
        seen.add(key)
        # A long line is a story paragraph (or a whole story on one line) even
        # when it happens to end in a credit.
        short = len(stripped) <= rules.max_line
        if repeated or (short and any(p.search(stripped) for p in rules.patterns)):
            spans.append((start, end))
    return spans


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

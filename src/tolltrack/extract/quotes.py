"""Quotations and their speakers: who is talking in a quote that runs over sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    """A quotation in the article and who introduced it."""

    start: int
    end: int
    speaker: str
    speaker_at: int


_OPEN = "“\""
_INTRO = re.compile(
    r"(?P<who>[A-Z][^.!?“”\"]{1,150}?)\s+(?:said|says|tweeted|wrote|posted|added|stated|"
    r"claimed|declared|announced|told\s[^:“”\"]{1,60}?|said\s+in\s+a\s+statement)\s*[:,]?\s*$")


def find_quotes(text: str) -> list[Quote]:
    """Quotations introduced by a speaker ("X tweeted: \u201c...") with their extent.

    A quote runs to its closing mark; when a paragraph ends inside it and the
    next paragraph opens with a quote mark, it goes on (the press convention
    for quotes over several paragraphs).
    """
    quotes: list[Quote] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in _OPEN or (i > 0 and text[i - 1].isalnum()):
            i += 1
            continue
        end = _quote_end(text, i + 1)
        line_start = text.rfind("\n", 0, i) + 1
        window = text[max(line_start, i - 200):i]
        intro = _INTRO.search(window)
        if intro:
            who = intro.group("who").strip()
            who = re.split(r"[,;]\s+(?=[a-z])", who)[-1] if len(who) > 90 else who
            quotes.append(Quote(i, end, who, i - len(intro.group()) + intro.start("who")))
        elif window.rstrip().endswith(":") and (lead := LEAD.match(last_sentence(window))):
            # "Colonel X gave an account to reporters: “...": the speaker is the
            # subject that opens the sentence.
            quotes.append(Quote(i, end, lead.group().strip(), i - len(window)))
        i = max(end, i + 1)
    return quotes


# The words that open a sentence and name a speaker: capitalised names and titles,
# with the small words that join them ("the", "of", "'s").
LEAD = re.compile(r"(?:(?:[A-Z][\w’'.-]*|the|of|for|'s|’s|spokesman|spokeswoman|"
                   r"spokesperson|minister|ministry|officials?|governor|mayor|defen[cs]e|"
                   r"foreign|interior|health|general|staff|armed|forces|army|military|"
                   r"police|regional|state|media|office|agency|service)\s+)+")


def last_sentence(window: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", window.strip())
    return parts[-1] + " " if parts else ""


def _quote_end(text: str, i: int) -> int:
    while True:
        close = re.search(r"[”\"]|\n", text[i:])
        if close is None:
            return len(text)
        pos = i + close.start()
        if text[pos] != "\n":
            return pos + 1
        rest = text[pos:].lstrip("\n ")
        if rest[:1] in _OPEN:
            i = len(text) - len(rest) + 1
            continue
        return pos


def quote_at(start: int, quotes: list[Quote]) -> Quote | None:
    """The quote that holds article offset ``start``, if any."""
    for quote in quotes:
        if quote.start <= start < quote.end:
            return quote
    return None

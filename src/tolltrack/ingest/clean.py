"""Scraped text made clean: page-furniture lines dropped (and kept aside), the page date
inferred from datelines and captions when none was given.

The rules are the ``furniture`` lexicon group, the same the extractor uses to
set furniture aside inside a text it must keep whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from tolltrack import lexicon
from tolltrack.furniture import furniture_lines, is_teaser

_MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
     "jul july", "aug august", "sep sept september", "oct october", "nov november",
     "dec december"), start=1) for name in names.split()}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# Full dates only: a day, a month and a year. A date without its year is not
# safe to date a page with.
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('month', 'month2')}"
    rf",?\s+(?P<year2>\d{{4}})"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Cleaned:
    """Text with furniture lines removed, the lines removed, and the date inferred
    from datelines and captions (None when none is safe)."""

    text: str
    furniture: tuple[str, ...]
    date: dt.date | None


@dataclass(frozen=True)
class _DateLines:
    patterns: tuple[re.Pattern[str], ...]
    max_words: int


@cache
def _date_lines(lexdir: str | None) -> _DateLines:
    with lexicon.reading("furniture"):
        data = lexicon.load("furniture", lexdir)
        return _DateLines(tuple(re.compile(p, re.IGNORECASE) for p in data.get("date_lines", [])),
                          int(data.get("date_line_max_words", 4)))


def _is_date_line(line: str, rules: _DateLines) -> bool:
    """A dateline states a date and little else: "Published: 14 March 2024 10:32 GMT"
    is one, "Updated figures released on March 3, 2024 show 300 killed" is story."""
    if not any(p.search(line) for p in rules.patterns) or not _FULL_DATE.search(line):
        return False
    rest = _FULL_DATE.sub(" ", line)
    for pattern in rules.patterns:
        rest = pattern.sub(" ", rest, count=1)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= rules.max_words


def full_dates(text: str) -> list[dt.date]:
    """Every explicit full date in ``text`` ("April 12, 2022", "12 April 2022",
    "2022-04-12"), in order; impossible dates are left out."""
    found = []
    for m in _FULL_DATE.finditer(text):
        if m.group("iy"):
            parts = (m.group("iy"), m.group("im"), m.group("id"))
        elif m.group("year"):
            parts = (m.group("year"), str(_MONTHS[m.group("month").lower()]), m.group("day"))
        else:
            parts = (m.group("year2"), str(_MONTHS[m.group("month2").lower()]), m.group("day2"))
        try:
            found.append(dt.date(*(int(p) for p in parts)))
        except ValueError:
            continue
    return found


def clean_text(text: str, lexdir: str | None = None, today: dt.date | None = None) -> Cleaned:
    """Drop the page-furniture and dateline lines of scraped ``text``.

    Returns the story text (runs of blank lines squeezed to one), the lines
    dropped, and the latest full date named in a dateline or caption that is
    not after ``today`` (the page was published no earlier than its newest
    photo).
    """
    today = today or dt.date.today()
    rules = _date_lines(lexdir)
    drop = set(furniture_lines(text, lexdir))
    for m in re.finditer(r"[^\r\n]+", text):
        if _is_date_line(m.group().strip(), rules):
            drop.add((m.start(), m.end()))
    kept, removed = [], []
    cursor = 0
    for start, end in sorted(drop):
        kept.append(text[cursor:start])
        removed.append(text[start:end].strip())
        cursor = end
    kept.append(text[cursor:])
    story = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n",
                   "".join(kept).replace("\r\n", "\n").replace("\r", "\n")).strip()
    # Teasers name other stories' dates: only datelines and captions date this one.
    candidates = [d for line in removed if not is_teaser(line, lexdir)
                  for d in full_dates(line) if d <= today]
    return Cleaned(story + "\n" if story else "", tuple(removed),
                   max(candidates) if candidates else None)

"""How sure, over what span and as of when: hedges, scope and dates of a claim."""

from __future__ import annotations

import datetime as dt
import re

from tolltrack.extract.words import Words
from tolltrack.model import Figure, Scope

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE = re.compile(
    rf"\b(?P<since>since\s+|from\s+)?(?:on\s+|last\s+|this\s+|early\s+|late\s+)?"
    rf"(?P<expr>(?:{_DAYS})(?:\s+(?:morning|afternoon|evening|night))?|yesterday|"
    rf"last\s+(?:week|month|year|night)|this\s+(?:week|month|year)|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?|"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|"
    rf"(?:{_MONTHS})\s+\d{{4}})\b")
_PASSIVE_REPORT = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:reportedly\s+)?reported\b",
                             re.I)


def hedged(sentence: str, w: Words) -> bool:
    """True when the sentence itself hedges its figures ('reportedly', 'were reported killed')."""
    return bool(w.hedges.search(sentence) or _PASSIVE_REPORT.search(sentence))


def verification_hedge(sentence: str, w: Words) -> int | None:
    """Offset of a 'could not be independently verified' phrase in the sentence, or None."""
    m = w.verification.search(sentence)
    return m.start() if m else None


def scope_of(sentence: str, figure: Figure, w: Words) -> Scope:
    """Cumulative when the sentence speaks of a running total; else incident."""
    if w.cumulative.search(sentence):
        return Scope.CUMULATIVE
    if w.incident.search(sentence):
        return Scope.INCIDENT
    if figure.low is not None and figure.low >= w.cumulative_min:
        return Scope.CUMULATIVE
    return Scope.INCIDENT


_MONTH_NUMBER = {
    name: i for i, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1)}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(_DAYS.split("|"))}


def _resolve(expr: str, base: dt.date) -> dt.date | None:
    """The day an expression of _DATE names, seen from ``base``; months and years
    resolve to their first day. Future dates are refused: a toll is never ahead."""
    words = expr.lower().replace(",", " ").replace(".", " ").split()
    head = words[0]
    if head in _WEEKDAYS:
        return base - dt.timedelta(days=(base.weekday() - _WEEKDAYS[head]) % 7)
    if head == "yesterday":
        return base - dt.timedelta(days=1)
    if head in ("last", "this"):
        unit = words[1]
        back = head == "last"
        if unit == "night":
            return base - dt.timedelta(days=1)
        if unit == "week":
            return base - dt.timedelta(days=7 if back else base.weekday())
        if unit == "month":
            first = base.replace(day=1)
            return (first - dt.timedelta(days=1)).replace(day=1) if back else first
        return dt.date(base.year - 1 if back else base.year, 1, 1)
    day = month = year = None
    for word in words:
        digits = re.sub(r"(st|nd|rd|th)$", "", word)
        if word[:3] in _MONTH_NUMBER and not word.isdigit():
            month = _MONTH_NUMBER[word[:3]]
        elif digits.isdigit() and len(digits) == 4:
            year = int(digits)
        elif digits.isdigit():
            day = int(digits)
    if month is None:
        return None
    try:
        found = dt.date(year or base.year, month, day or 1)
    except ValueError:
        return None
    if year is None and found > base:
        found = found.replace(year=base.year - 1)
    return found if found <= base else None


def dates_of(sentence: str, base: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(as_of, period_start) from date words in the sentence, resolved against ``base``.

    'since 24 February' gives the period start; the first other date gives the
    date the figure refers to. Both default to None; callers fall back to the
    article date for as_of.
    """
    if base is None:
        return None, None
    as_of = start = None
    for m in _DATE.finditer(sentence):
        try:
            day = _resolve(m.group("expr"), base)
        except (OverflowError, ValueError):
            day = None  # "last month" seen from 1 January of year 1
        if day is None:
            continue
        if m.group("since") and start is None:
            start = day
        elif as_of is None:
            as_of = day
    return as_of, start

"""How sure, over what span and as of when: hedges, scope and dates of a claim."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

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


@cache
def _parse_date(expr: str, base: dt.date) -> dt.date | None:
    import dateparser

    settings = {"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
                "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    value = dateparser.parse(expr, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if value is None:
        return None
    day = value.date()
    if re.search(r"\b(?:month|year)\b", expr) or re.fullmatch(rf"(?:{_MONTHS})\s+\d{{4}}", expr):
        day = day.replace(day=1)
    if re.search(r"\byear\b", expr):
        day = day.replace(month=1)
    return day if day <= base else None


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
        day = _parse_date(m.group("expr"), base)
        if day is None:
            continue
        if m.group("since") and start is None:
            start = day
        elif as_of is None:
            as_of = day
    return as_of, start

"""Claim filters from words people type: ``--outcome killed,injured``,
``--victim-country Russia``, ``--since "2 weeks ago"``.

Shared by the command line and the web API. A bad value raises FilterError
naming the filter, the value and the forms accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from tolltrack.lexicon import load
from tolltrack.model import Outcome, Scope, Status, VictimType
from tolltrack.store.queries import ClaimFilter

DATE_FORMS = ("YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or N days/weeks/months/years "
              "ago")


class Review(StrEnum):
    """The review states a filter may ask for."""

    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    REJECTED = "rejected"


_AGO = re.compile(r"(\d+)\s+(day|week|month|year)s?\s+ago")


class FilterError(ValueError):
    """A filter value that cannot be used: ``name`` is the filter, the message
    says what was given and what is accepted."""

    def __init__(self, name: str, value: str, accepted: str) -> None:
        super().__init__(f"{value!r} is not accepted; use {accepted}")
        self.name = name
        self.value = value
        self.accepted = accepted


def _items(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _choices(name: str, value: str | None, enum: type[StrEnum]) -> tuple[str, ...]:
    allowed = [str(e) for e in enum]
    out = []
    for item in _items(value):
        if item.lower() not in allowed:
            raise FilterError(name, item, "one of " + ", ".join(allowed))
        out.append(item.lower())
    return tuple(out)


def _countries(value: str | None, lexicon_dir: str | None) -> tuple[str, ...]:
    table = load("countries", lexicon_dir).get("countries", {})
    names = {code.lower(): code for code in table}
    for code, entry in table.items():
        for word in (*entry.get("names", ()), *entry.get("demonyms", ())):
            names.setdefault(word.lower(), code)
    out = []
    for item in _items(value):
        code = names.get(item.lower())
        if code is None and re.fullmatch(r"[A-Za-z]{3}", item):
            code = item.upper()
        if code is None:
            raise FilterError("victim_country", item,
                              "an ISO 3166 alpha-3 code (RUS, UKR) or a country name")
        out.append(code)
    return tuple(out)


def parse_when(name: str, value: str | None, today: dt.date | None = None) -> dt.date | None:
    """A date from ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (their first day),
    ``today``, ``yesterday`` or ``N days/weeks/months/years ago``; None for
    empty. Raises FilterError naming ``name`` otherwise."""
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    today = today or dt.date.today()
    try:
        if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text):
            return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        raise FilterError(name, value, DATE_FORMS) from None
    if text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    if m := _AGO.fullmatch(text):
        n, unit = int(m[1]), m[2]
        try:
            if unit in ("day", "week"):
                return today - dt.timedelta(days=n * (7 if unit == "week" else 1))
            months = today.year * 12 + today.month - 1 - n * (12 if unit == "year" else 1)
            year, month = divmod(months, 12)
            return dt.date(year, month + 1, min(today.day, 28))
        except (OverflowError, ValueError):  # before year 1
            raise FilterError(name, value, DATE_FORMS) from None
    raise FilterError(name, value, DATE_FORMS)


def claim_filter(*, outcome: str | None = None, victim_country: str | None = None,
                 victim_type: str | None = None, claimant: str | None = None,
                 status: str | None = None, scope: str | None = None,
                 since: str | None = None, until: str | None = None,
                 search: str | None = None, review: str | None = None,
                 today: dt.date | None = None,
                 lexicon_dir: str | None = None) -> ClaimFilter:
    """A ClaimFilter from filter words as typed (lists comma-separated).

    Takes the raw strings; returns the filter. Raises FilterError for the
    first value that is not accepted.
    """
    start = parse_when("since", since, today)
    end = parse_when("until", until, today)
    if start and end and start > end:
        raise FilterError("until", until or "", f"a date on or after --since ({start})")
    return ClaimFilter(
        outcomes=_choices("outcome", outcome, Outcome),
        victim_countries=_countries(victim_country, lexicon_dir),
        victim_types=_choices("victim_type", victim_type, VictimType),
        claimants=tuple(_items(claimant)),
        statuses=_choices("status", status, Status),
        scopes=_choices("scope", scope, Scope),
        since=start, until=end, search=(search or "").strip() or None,
        reviews=_choices("review", review, Review))


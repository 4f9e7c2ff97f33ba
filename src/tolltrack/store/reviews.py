"""Reviews: a person confirms, rejects or corrects an extracted claim.

Every review is appended to the ``reviews`` log with the claim's columns
before it, so the original extraction is never lost. The claim's row takes
the reviewed values (a corrected figure, a rejected mark), so that every
query, export and page shows them without knowing reviews exist; the claim's
clusters are rebuilt in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, case, insert, literal, select, update

from tolltrack.lexicon import load, reading
from tolltrack.model import ClaimantType, Outcome, Qualifier, Scope, Status, VictimType
from tolltrack.reconcile import cluster_key
from tolltrack.store import generation
from tolltrack.store.connection import Ledger
from tolltrack.store.rows import fold, search_row
from tolltrack.store.schema import articles, claim_search, claims, reviews
from tolltrack.store.writer import Touched, recluster

VERDICTS = ("confirmed", "corrected", "rejected")
_TEXT_LIMIT = 500
_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,9}")  # as the claimant filter reads codes
_COUNTRY = re.compile(r"[A-Z]{3}")


class ReviewError(ValueError):
    """A review that cannot be taken: ``code`` is ``not_found`` (no such claim)
    or ``invalid`` (a bad verdict or field), the message says which and why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _enum(kind: type[StrEnum], optional: bool = False) -> Callable[[str, Any], Any]:
    allowed = [str(e) for e in kind]

    def check(name: str, value: Any) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, str) or value not in allowed:
            raise ReviewError("invalid", f"{name}: {value!r} is not one of {', '.join(allowed)}")
        return value
    return check


def _count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**12:
        raise ReviewError("invalid", f"{name}: {value!r} is not a whole number from 0")
    return value


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > _TEXT_LIMIT:
        raise ReviewError("invalid", f"{name}: expected text of at most {_TEXT_LIMIT} characters")
    return value.strip()


def _optional_text(name: str, value: Any) -> str | None:
    return None if value is None else _text(name, value) or None


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[str, Any], Any]:
    def check(name: str, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise ReviewError("invalid", f"{name}: {value!r} is not {what}")
        return value
    return check


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ReviewError("invalid", f"{name}: expected true or false")
    return value


def _day(name: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 \
            else _bad_day(name, value)
    except ValueError:
        return _bad_day(name, value)


def _bad_day(name: str, value: Any) -> dt.date:
    raise ReviewError("invalid", f"{name}: {value!r} is not a YYYY-MM-DD date")


# The claim columns a correction may set, each with its check.
CORRECTABLE: dict[str, Callable[[str, Any], Any]] = {
    "outcome": _enum(Outcome), "low": _count, "high": _count, "qualifier": _enum(Qualifier),
    "figure_text": _text, "victim_text": _text,
    "victim_country": _pattern(_COUNTRY, "an ISO 3166 alpha-3 code such as RUS"),
    "victim_type": _enum(VictimType), "claimant_text": _text,
    "claimant_code": _pattern(_CODE, "a claimant code in capitals such as UKR"),
    "claimant_type": _enum(ClaimantType, optional=True), "status": _enum(Status),
    "unverified": _flag, "scope": _enum(Scope), "as_of": _day, "period_start": _day,
    "location_text": _optional_text,
    "location_country": _pattern(_COUNTRY, "an ISO 3166 alpha-3 code such as UKR"),
}


def checked(verdict: str, fields: Mapping[str, Any] | None) -> dict[str, Any]:
    """The corrected columns of a review, checked: ``fields`` only with
    ``corrected`` (and then at least one), only CORRECTABLE names, each value
    of its column's kind. Raises ReviewError ("invalid") naming the problem."""
    if verdict not in VERDICTS:
        raise ReviewError("invalid", f"verdict: {verdict!r} is not one of {', '.join(VERDICTS)}")
    fields = dict(fields or {})
    if verdict != "corrected":
        if fields:
            raise ReviewError("invalid", f"fields: only a 'corrected' review has fields, "
                                         f"not a {verdict!r} one")
        return {}
    if not fields:
        raise ReviewError("invalid", "fields: a 'corrected' review needs the corrected fields")
    unknown = sorted(set(fields) - set(CORRECTABLE))
    if unknown:
        raise ReviewError("invalid", f"fields: {', '.join(unknown)} cannot be corrected; "
                                     f"these can: {', '.join(CORRECTABLE)}")
    return {name: CORRECTABLE[name](name, value) for name, value in fields.items()}


@dataclass(frozen=True)
class Review:
    """One entry of the review log: the verdict on a claim, the corrected
    columns, the columns before, the reviewer's note and name, and when."""

    id: int
    claim_id: str
    verdict: str
    fields: dict[str, Any]
    before: dict[str, Any]
    note: str
    reviewer: str | None
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the entry (the time in ISO 8601, UTC)."""
        return {"id": self.id, "claim_id": self.claim_id, "verdict": self.verdict,
                "fields": self.fields, "before": self.before, "note": self.note,
                "reviewer": self.reviewer, "created_at": self.created_at.isoformat() + "Z"}


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def review_claim(ledger: Ledger, claim_id: str, verdict: str,
                 fields: Mapping[str, Any] | None = None, note: str = "",
                 reviewer: str | None = None) -> Review:
    """Record a review of a claim and make its values the claim's.

    Takes the claim id, the verdict (``confirmed``, ``corrected`` or
    ``rejected``), the corrected columns (CORRECTABLE names; only with
    ``corrected``), a note and the reviewer's name. Returns the log entry.
    Raises ReviewError when the claim does not exist or the review is invalid.
    """
    changes = checked(verdict, fields)
    note = (note or "").strip()
    if len(note) > 4 * _TEXT_LIMIT:
        raise ReviewError("invalid", f"note: at most {4 * _TEXT_LIMIT} characters")
    with ledger.writing() as conn:
        row = conn.execute(select(claims, articles.c.date.label("article_date"))
                           .join(articles, articles.c.id == claims.c.article_id)
                           .where(claims.c.id == claim_id)).mappings().first()
        if row is None:
            raise ReviewError("not_found", f"no claim {claim_id!r} in the ledger")
        before = {name: row[name] for name in CORRECTABLE}
        after = {**before, **changes}
        _check_figure(after)
        values = {**changes, **_derived(after, row["article_date"]), "review": verdict}
        if verdict == "rejected":
            values["cluster_id"] = None
        conn.execute(update(claims).where(claims.c.id == claim_id).values(values))
        _research(conn, claim_id, {**row, **values})
        touched = Touched()
        touched.add(row["cluster_key"], row["claim_date"])
        touched.add(values["cluster_key"], values["claim_date"])
        recluster(conn, touched)
        created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        new_id = conn.execute(insert(reviews).values(
            claim_id=claim_id, verdict=verdict,
            fields=json.dumps(_jsonable(changes), ensure_ascii=False),
            before=json.dumps(_jsonable(before), ensure_ascii=False), note=note,
            reviewer=reviewer, created_at=created)).inserted_primary_key[0]
        generation.bump(conn)
    return Review(new_id, claim_id, verdict, _jsonable(changes), _jsonable(before), note,
                  reviewer, created)


def _check_figure(values: Mapping[str, Any]) -> None:
    """Refuse a figure the spec cannot hold: low above high, a high without a
    low, or a range without both ends."""
    low, high = values["low"], values["high"]
    if low is not None and high is not None and low > high:
        raise ReviewError("invalid", f"fields: low ({low}) is above high ({high})")
    if high is not None and low is None:
        raise ReviewError("invalid", "fields: a figure with a high needs a low")
    if values["qualifier"] == "range" and (low is None or high is None):
        raise ReviewError("invalid", "fields: a 'range' figure needs both low and high")


def _derived(values: Mapping[str, Any], article_date: dt.date | None) -> dict[str, Any]:
    """The columns that follow from the claim's fields: its date, folded
    claimant and cluster key."""
    return {
        "claim_date": values["as_of"] or article_date,
        "claimant_folded": fold(values["claimant_text"] or ""),
        "cluster_key": cluster_key(values["outcome"], values["claimant_code"],
                                   values["claimant_type"], values["victim_country"],
                                   values["victim_type"], values["low"], values["high"],
                                   values["qualifier"]),
    }


def _research(conn: Connection, claim_id: str, row: Mapping[str, Any]) -> None:
    """Bring the claim's search text up to its reviewed fields."""
    conn.execute(update(claim_search).where(claim_search.c.claim_id == claim_id)
                 .values(search_text=search_row(dict(row))["search_text"]))


def _review_of(row: Mapping[str, Any]) -> Review:
    return Review(row["id"], row["claim_id"], row["verdict"], json.loads(row["fields"]),
                  json.loads(row["before"]), row["note"], row["reviewer"], row["created_at"])


def reviews_of(ledger: Ledger, claim_id: str) -> list[Review]:
    """The review log of one claim, oldest first (empty when never reviewed)."""
    with ledger.engine.connect() as conn:
        return [_review_of(r) for r in conn.execute(
            select(reviews).where(reviews.c.claim_id == claim_id).order_by(reviews.c.id)
        ).mappings()]


def original(ledger: Ledger, claim_id: str) -> dict[str, Any] | None:
    """The claim's correctable columns as first extracted, or None when it was
    never corrected (its row still holds them)."""
    with ledger.engine.connect() as conn:
        first = conn.execute(select(reviews.c.before).where(reviews.c.claim_id == claim_id)
                             .order_by(reviews.c.id).limit(1)).scalar()
        corrected = conn.execute(select(reviews.c.id).where(
            reviews.c.claim_id == claim_id, reviews.c.verdict == "corrected").limit(1)).scalar()
    return json.loads(first) if first is not None and corrected is not None else None


# The signs of doubt the ``review`` lexicon weighs, as conditions on a claim.
_DOUBTS: dict[str, Any] = {
    "no_number": claims.c.low.is_(None),
    "vague_qualifier": claims.c.qualifier == "vague",
    "no_named_claimant": claims.c.claimant_type.is_(None)
    | (claims.c.claimant_type == "outlet"),
    "no_victim_country": claims.c.victim_country.is_(None),
    "unknown_victim_type": claims.c.victim_type == "unknown",
    "unverified": claims.c.unverified.is_(True),
    "unknown_scope": claims.c.scope == "unknown",
}


def certainty(lexicon_dir: str | None = None) -> Any:
    """A SQL expression for a claim's certainty: 1.0 less the weight (from the
    ``review`` lexicon) of each sign of doubt it shows: no number, a vague
    qualifier, no named claimant, no victim country or type, unverified,
    unknown scope."""
    with reading("review"):
        weights = {name: float(w) for name, w in load("review", lexicon_dir)["doubts"].items()}
        unknown = set(weights) - set(_DOUBTS)
        if unknown:
            raise KeyError(f"unknown doubts {sorted(unknown)}; known: {sorted(_DOUBTS)}")
    total: Any = literal(1.0)
    for name, weight in weights.items():
        total = total - case((_DOUBTS[name], weight), else_=0.0)
    return total



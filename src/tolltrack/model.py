"""Plain records that flow between tolltrack's stages.

Every record is a frozen dataclass with ``to_dict``/``from_dict`` that round-trip
through JSON-compatible dicts whose keys are the field names of spec/claims.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """What happened to the people counted (spec: ``outcome``)."""

    KILLED = "killed"
    INJURED = "injured"
    CASUALTIES = "casualties"
    MISSING = "missing"
    CAPTURED = "captured"
    BODIES = "bodies"
    DISPLACED = "displaced"


class Qualifier(StrEnum):
    """How the figure is bounded (spec: ``figure.qualifier``)."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    APPROX = "approx"
    RANGE = "range"
    VAGUE = "vague"


class VictimType(StrEnum):
    """Whether the people counted were soldiers, civilians, both, or unknown."""

    MILITARY = "military"
    CIVILIAN = "civilian"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class ClaimantType(StrEnum):
    """What kind of party makes the claim (spec: ``claimant.type``)."""

    GOVERNMENT = "government"
    MILITARY = "military"
    OFFICIAL = "official"
    INTERNATIONAL = "international"
    NGO = "ngo"
    MEDICAL = "medical"
    MEDIA = "media"
    WITNESS = "witness"
    ARMED_GROUP = "armed_group"
    OUTLET = "outlet"


class Status(StrEnum):
    """How the claimant stands to the figure: claims, admits, estimates, confirms, denies."""

    CLAIMED = "claimed"
    ACKNOWLEDGED = "acknowledged"
    ESTIMATED = "estimated"
    CONFIRMED = "confirmed"
    DENIED = "denied"


class Scope(StrEnum):
    """Whether the figure is a running total or one incident's toll."""

    CUMULATIVE = "cumulative"
    INCIDENT = "incident"
    UNKNOWN = "unknown"


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?")


def parse_date(value: Any) -> dt.date | None:
    """A date from a ``date`` object or a "YYYY-MM-DD" string (a time may follow).

    Empty values give None; anything else, a number included, raises ValueError.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _ISO_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Article:
    """One document to read: its clean text and what is known about it.

    ``date_source`` says where the date came from: ``page`` (the page's own
    metadata), ``feed``, ``record`` (a JSONL/CSV field), ``given`` (the user's
    --date), ``archive`` (the WARC capture date) or ``text`` (inferred from a
    dateline or photo caption). ``furniture`` holds the page-furniture lines the
    reader took out of the text, kept so that nothing read is lost.
    """

    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    source: str | None = None
    date_source: str | None = None
    furniture: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {
            "id": self.id,
            "title": self.title,
            "date": _iso(self.date),
            "outlet": self.outlet,
            "url": self.url,
            "language": self.language,
            "source": self.source,
            "date_source": self.date_source,
            "furniture": list(self.furniture),
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """The Article a ``to_dict`` output (or JSON of it) describes."""
        return cls(
            id=str(d["id"]),
            text=d.get("text") or "",
            title=d.get("title"),
            date=parse_date(d.get("date")),
            outlet=d.get("outlet"),
            url=d.get("url"),
            language=d.get("language"),
            source=d.get("source"),
            date_source=d.get("date_source"),
            furniture=tuple(d.get("furniture") or ()),
        )


@dataclass(frozen=True)
class Figure:
    """A stated number as a range: ``low``/``high`` per the spec's qualifier rules."""

    low: int | None
    high: int | None
    qualifier: Qualifier
    text: str

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {"low": self.low, "high": self.high, "qualifier": str(self.qualifier),
                "text": self.text}

    def words(self) -> str:
        """The figure in short form for tables: "≥ 1,200", "400–700", "~ 50",
        "≤ 300", "12", or the words themselves when there is no number."""
        low, high, qual = self.low, self.high, self.qualifier
        if low is None:
            return f"{self.text} (no number)"
        if qual == Qualifier.RANGE or (qual == Qualifier.VAGUE and high not in (None, low)):
            return f"{low:,}\u2013{high:,}" if high is not None else f"{low:,}+"
        if qual == Qualifier.VAGUE and high is None:
            return f"{low:,}+"
        prefix = {Qualifier.AT_LEAST: "≥ ", Qualifier.AT_MOST: "≤ ", Qualifier.APPROX: "~ "}
        return f"{prefix.get(qual, '')}{low:,}"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Figure:
        """The Figure a ``to_dict`` output (or JSON of it) describes."""
        return cls(d.get("low"), d.get("high"), Qualifier(d["qualifier"]), d.get("text") or "")


@dataclass(frozen=True)
class Victim:
    """Who was counted: the noun phrase, whose people they are, and what kind."""

    text: str
    country: str | None = None
    type: VictimType = VictimType.UNKNOWN

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {"text": self.text, "country": self.country, "type": str(self.type)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Victim:
        """The Victim a ``to_dict`` output (or JSON of it) describes."""
        return cls(d.get("text") or "", d.get("country"), VictimType(d.get("type") or "unknown"))


@dataclass(frozen=True)
class Actor:
    """A party named in text: a claimant or a perpetrator, with its code and kind."""

    text: str
    code: str | None = None
    type: ClaimantType | None = None

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {"text": self.text, "code": self.code,
                "type": str(self.type) if self.type else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        """The Actor a ``to_dict`` output (or JSON of it) describes."""
        kind = d.get("type")
        return cls(d.get("text") or "", d.get("code"), ClaimantType(kind) if kind else None)


OUTLET = Actor(text="", code=None, type=ClaimantType.OUTLET)


@dataclass(frozen=True)
class Place:
    """A location as written, with its country and, where resolved, GeoNames data."""

    text: str
    country: str | None = None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {"text": self.text, "country": self.country, "name": self.name,
                "lat": self.lat, "lon": self.lon, "geonames_id": self.geonames_id}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        """The Place a ``to_dict`` output (or JSON of it) describes."""
        return cls(d.get("text") or "", d.get("country"), d.get("name"), d.get("lat"),
                   d.get("lon"), d.get("geonames_id"))


@dataclass(frozen=True)
class Mention:
    """Where a claim is stated: the sentence and its character offsets in the article."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {"sentence": self.sentence, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        """The Mention a ``to_dict`` output (or JSON of it) describes."""
        return cls(d["sentence"], int(d["start"]), int(d["end"]))


@dataclass(frozen=True)
class Claim:
    """One casualty claim of one article, with every mention that states it."""

    outcome: Outcome
    figure: Figure
    victim: Victim
    claimant: Actor = OUTLET
    status: Status = Status.CLAIMED
    unverified: bool = False
    scope: Scope = Scope.UNKNOWN
    location: Place | None = None
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    perpetrator: Actor | None = None
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
    article_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """This record as a JSON-ready dict keyed by the spec's field names."""
        return {
            "article_id": self.article_id,
            "outcome": str(self.outcome),
            "figure": self.figure.to_dict(),
            "victim": self.victim.to_dict(),
            "claimant": self.claimant.to_dict(),
            "status": str(self.status),
            "unverified": self.unverified,
            "scope": str(self.scope),
            "location": self.location.to_dict() if self.location else None,
            "as_of": _iso(self.as_of),
            "period_start": _iso(self.period_start),
            "perpetrator": self.perpetrator.to_dict() if self.perpetrator else None,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        """The Claim a ``to_dict`` output (or JSON of it) describes."""
        return cls(
            outcome=Outcome(d["outcome"]),
            figure=Figure.from_dict(d["figure"]),
            victim=Victim.from_dict(d["victim"]),
            claimant=Actor.from_dict(d["claimant"]) if d.get("claimant") else OUTLET,
            status=Status(d.get("status") or "claimed"),
            unverified=bool(d.get("unverified")),
            scope=Scope(d.get("scope") or "unknown"),
            location=Place.from_dict(d["location"]) if d.get("location") else None,
            as_of=parse_date(d.get("as_of")),
            period_start=parse_date(d.get("period_start")),
            perpetrator=Actor.from_dict(d["perpetrator"]) if d.get("perpetrator") else None,
            mentions=tuple(Mention.from_dict(m) for m in d.get("mentions") or ()),
            article_id=d.get("article_id"),
        )

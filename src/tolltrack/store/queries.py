"""Reading the ledger: claims by filter, the points series are drawn from, and
counts for ``stats``. Every function takes a Ledger and returns plain data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select

from tolltrack.model import Article, Claim
from tolltrack.reconcile import Point
from tolltrack.store.connection import Ledger
from tolltrack.store.rows import claim_of, fold, point_of, points_query
from tolltrack.store.schema import (
    articles,
    claim_search,
    claims,
    clusters,
    mentions,
    rejects,
    runs,
)

_MENTION_CHUNK = 500


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims to read. Empty tuples and None mean "any".

    ``claimants``: a value in capitals ("UKR", "NATO", "UN") is a claimant
    code and matches it exactly; any other value matches as words inside the
    claimant's text ("defence ministry", "nato"). ``search`` matches the text
    inside the evidence sentence, the claimant, the victims or the place;
    ``since``/``until`` bound the claim's date (its as_of, else its article's
    date), both ends included.
    """

    outcomes: tuple[str, ...] = ()
    victim_countries: tuple[str, ...] = ()
    victim_types: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None
    article_id: str | None = None
    cluster_id: str | None = None


def _where(query: Select, f: ClaimFilter) -> Select:
    c = claims.c
    if f.outcomes:
        query = query.where(c.outcome.in_(f.outcomes))
    if f.victim_countries:
        query = query.where(c.victim_country.in_(f.victim_countries))
    if f.victim_types:
        query = query.where(c.victim_type.in_(f.victim_types))
    if f.statuses:
        query = query.where(c.status.in_(f.statuses))
    if f.scopes:
        query = query.where(c.scope.in_(f.scopes))
    if f.claimants:
        query = query.where(or_(*(
            c.claimant_code == who if is_code(who)
            else c.claimant_folded.contains(fold(who), autoescape=True) for who in f.claimants)))
    if f.since:
        query = query.where(c.claim_date >= f.since)
    if f.until:
        query = query.where(c.claim_date <= f.until)
    if f.search:
        query = query.where(c.id.in_(select(claim_search.c.claim_id).where(
            claim_search.c.search_text.contains(fold(f.search), autoescape=True))))
    if f.article_id:
        query = query.where(c.article_id == f.article_id)
    if f.cluster_id:
        query = query.where(c.cluster_id == f.cluster_id)
    return query


_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,9}")


def is_code(value: str) -> bool:
    """Whether a claimant filter value is a code ("UKR", "NATO", "UN"): capitals
    only. "UN" must not match "the city council", so codes never match text."""
    return bool(_CODE.fullmatch(value))


def claimant_matches(f: ClaimFilter, code: str | None, text: str) -> bool:
    """Whether a claimant (its code and text) passes the filter's ``claimants``,
    by the same rule as the query."""
    if not f.claimants:
        return True
    return any(code == who if is_code(who) else fold(who) in fold(text or "")
               for who in f.claimants)


@dataclass(frozen=True)
class StoredClaim:
    """A claim as the ledger holds it: its ids, the claim, and its article's
    date, outlet, url, title and wire-copy mark."""

    id: str
    cluster_id: str | None
    claim: Claim
    article_date: dt.date | None
    outlet: str | None
    url: str | None
    title: str | None
    copy_of: str | None
    extractor_version: str

    def to_dict(self) -> dict[str, Any]:
        """The claim in the spec's field names, plus ``id``, ``article_id`` and
        ``cluster_id``."""
        return {"id": self.id, **self.claim.to_dict(), "cluster_id": self.cluster_id}


def count_claims(ledger: Ledger, f: ClaimFilter) -> int:
    """How many claims match the filter."""
    with ledger.engine.connect() as conn:
        return conn.execute(_where(select(func.count()).select_from(claims), f)).scalar_one()


def find_claims(ledger: Ledger, f: ClaimFilter, limit: int | None = None, offset: int = 0
                ) -> Iterator[StoredClaim]:
    """The claims matching the filter, oldest claim date first (undated last),
    each with its mentions, read a chunk at a time."""
    query = _where(
        select(claims, articles.c.date.label("article_date"), articles.c.outlet,
               articles.c.url, articles.c.title, articles.c.copy_of)
        .join(articles, articles.c.id == claims.c.article_id), f)
    query = query.order_by(claims.c.claim_date.is_(None), claims.c.claim_date,
                           claims.c.article_id, claims.c.ordinal)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with ledger.engine.connect() as conn:
        result = conn.execute(query).mappings()
        while chunk := result.fetchmany(_MENTION_CHUNK):
            said = _mentions(conn, [row["id"] for row in chunk])
            for row in chunk:
                yield StoredClaim(
                    id=row["id"], cluster_id=row["cluster_id"],
                    claim=claim_of(row, said.get(row["id"], [])),
                    article_date=row["article_date"], outlet=row["outlet"], url=row["url"],
                    title=row["title"], copy_of=row["copy_of"],
                    extractor_version=row["extractor_version"])


def _mentions(conn: Any, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    rows = conn.execute(
        select(mentions).where(mentions.c.claim_id.in_(ids))
        .order_by(mentions.c.claim_id, mentions.c.char_start, mentions.c.id)).mappings()
    for row in rows:
        out.setdefault(row["claim_id"], []).append(row)
    return out


def find_points(ledger: Ledger, f: ClaimFilter) -> list[Point]:
    """The matching claims as reconcile Points (for series and conflicts)."""
    query = _where(points_query(), f)
    with ledger.engine.connect() as conn:
        return [point_of(row) for row in conn.execute(query).mappings()]


@dataclass(frozen=True)
class Stats:
    """What the ledger holds: counts of articles, wire copies, claims by outcome,
    clusters, rejects by reason, and runs."""

    articles: int
    wire_copies: int
    claims: int
    claims_by_outcome: dict[str, int]
    clusters: int
    rejects_by_reason: dict[str, int]
    runs: int
    extractor_versions: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the counts."""
        return {"articles": self.articles, "wire_copies": self.wire_copies,
                "claims": self.claims, "claims_by_outcome": self.claims_by_outcome,
                "clusters": self.clusters, "rejects": sum(self.rejects_by_reason.values()),
                "rejects_by_reason": self.rejects_by_reason, "runs": self.runs,
                "extractor_versions": self.extractor_versions,
                "first_date": self.first_date.isoformat() if self.first_date else None,
                "last_date": self.last_date.isoformat() if self.last_date else None}


def stats(ledger: Ledger) -> Stats:
    """Counts over the whole ledger."""
    with ledger.engine.connect() as conn:
        def count(table: Any, *where: Any) -> int:
            return conn.execute(select(func.count()).select_from(table).where(*where)
                                ).scalar_one()

        def grouped(column: Any) -> dict[str, int]:
            rows = conn.execute(select(column, func.count()).group_by(column)
                                .order_by(func.count().desc(), column)).all()
            return {str(k): n for k, n in rows}

        first, last = conn.execute(select(func.min(claims.c.claim_date),
                                          func.max(claims.c.claim_date))).one()
        return Stats(
            articles=count(articles), wire_copies=count(articles, articles.c.copy_of.is_not(None)),
            claims=count(claims), claims_by_outcome=grouped(claims.c.outcome),
            clusters=count(clusters), rejects_by_reason=grouped(rejects.c.reason),
            runs=count(runs), extractor_versions=grouped(articles.c.extractor_version),
            first_date=first, last_date=last)


def stale_articles(ledger: Ledger, version: str, every: bool = False) -> list[str]:
    """Ids of stored articles extracted by another extractor version (all of
    them with ``every``), oldest stored first."""
    query = select(articles.c.id).order_by(articles.c.run_id, articles.c.id)
    if not every:
        query = query.where(articles.c.extractor_version != version)
    with ledger.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def load_articles(ledger: Ledger, ids: Sequence[str]) -> list[Article]:
    """The stored Articles with these ids, in the order given."""
    with ledger.engine.connect() as conn:
        rows = {r["id"]: r for r in conn.execute(
            select(articles).where(articles.c.id.in_(ids))).mappings()}
    return [Article(id=r["id"], text=r["text"], title=r["title"], date=r["date"],
                    outlet=r["outlet"], url=r["url"], language=r["language"],
                    source=r["source"], date_source=r["date_source"],
                    furniture=tuple(json.loads(r["furniture"] or "[]")))
            for i in ids if (r := rows.get(i)) is not None]

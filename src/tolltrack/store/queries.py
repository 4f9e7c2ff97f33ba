"""Reading the ledger: claims by filter, the points series are drawn from, and
counts for ``stats``. Every function takes a Ledger and returns plain data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, func, or_, select

from tolltrack.model import Article, Claim
from tolltrack.reconcile import Point
from tolltrack.store.connection import Ledger
from tolltrack.store.reviews import certainty
from tolltrack.store.rows import claim_of, fold, not_rejected, point_of, points_query
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
    claim_id: str | None = None
    # Review verdicts to keep ("unreviewed" for none yet); empty: every claim
    # but the rejected ones.
    reviews: tuple[str, ...] = ()


def _where(query: Select, f: ClaimFilter, *, rejected: bool = False) -> Select:
    """``query`` narrowed to the filter; with ``rejected``, an empty ``reviews``
    keeps rejected claims too."""
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
    if f.article_id is not None:
        query = query.where(c.article_id == f.article_id)
    if f.cluster_id is not None:
        query = query.where(c.cluster_id == f.cluster_id)
    if f.claim_id is not None:
        query = query.where(c.id == f.claim_id)
    if f.reviews:
        verdicts = [r for r in f.reviews if r != "unreviewed"]
        kept = [c.review.in_(verdicts)] if verdicts else []
        if "unreviewed" in f.reviews:
            kept.append(c.review.is_(None))
        query = query.where(or_(*kept))
    elif not rejected:
        query = query.where(not_rejected())
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
    review: str | None = None
    certainty: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The claim in the spec's field names, plus ``id``, ``article_id``,
        ``cluster_id``, ``review`` (the latest verdict, or None) and, in the
        review queue's order, ``certainty``."""
        out = {"id": self.id, **self.claim.to_dict(), "cluster_id": self.cluster_id,
               "review": self.review}
        if self.certainty is not None:
            out["certainty"] = self.certainty
        return out


def count_claims(ledger: Ledger, f: ClaimFilter) -> int:
    """How many claims match the filter."""
    counted = select(func.count()).select_from(claims)
    with ledger.engine.connect() as conn:
        if f.reviews:
            return conn.execute(_where(counted, f)).scalar_one()
        # All matches less the rejected ones: two counts an index answers, where
        # "not rejected" would make every matching row be read.
        every = conn.execute(_where(counted, f, rejected=True)).scalar_one()
        gone = conn.execute(_where(counted, replace(f, reviews=("rejected",)))).scalar_one()
        return every - gone


def find_claims(ledger: Ledger, f: ClaimFilter, limit: int | None = None, offset: int = 0,
                least_certain_first: bool = False, lexicon_dir: str | None = None
                ) -> Iterator[StoredClaim]:
    """The matching claims, each with its mentions, read a chunk at a time:
    oldest claim date first (undated last), or, with ``least_certain_first``
    (the review queue's order), by rising certainty, which each claim then
    carries (weighed by the ``review`` lexicon in ``lexicon_dir``, else the
    packaged one)."""
    columns = [claims, articles.c.date.label("article_date"), articles.c.outlet,
               articles.c.url, articles.c.title, articles.c.copy_of]
    if least_certain_first:
        columns.append(certainty(lexicon_dir).label("certainty"))
    query = _where(select(*columns).join(articles, articles.c.id == claims.c.article_id), f)
    listed = (claims.c.claim_date.is_(None), claims.c.claim_date, claims.c.article_id,
              claims.c.ordinal)
    query = query.order_by(*(("certainty", *listed) if least_certain_first else listed))
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
                    extractor_version=row["extractor_version"], review=row["review"],
                    certainty=round(row["certainty"], 3) if least_certain_first else None)


def _mentions(conn: Any, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    rows = conn.execute(
        select(mentions).where(mentions.c.claim_id.in_(ids))
        .order_by(mentions.c.claim_id, mentions.c.char_start, mentions.c.id)).mappings()
    for row in rows:
        out.setdefault(row["claim_id"], []).append(row)
    return out


EVERY_REVIEW = ("unreviewed", "confirmed", "corrected", "rejected")


def find_claim(ledger: Ledger, claim_id: str) -> StoredClaim | None:
    """One claim by id, rejected or not, or None."""
    found = list(find_claims(ledger, ClaimFilter(claim_id=claim_id, reviews=EVERY_REVIEW)))
    return found[0] if found else None


def find_article(ledger: Ledger, article_id: str) -> dict[str, Any] | None:
    """A stored article's row (text, title, date, outlet, url, language,
    source, date_source, copy_of, extractor_version, furniture as a list), or
    None."""
    with ledger.engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)
                           ).mappings().first()
    if row is None:
        return None
    out = {k: row[k] for k in ("id", "title", "date", "outlet", "url", "language", "source",
                               "date_source", "copy_of", "extractor_version", "text")}
    out["furniture"] = json.loads(row["furniture"] or "[]")
    return out


def find_cluster(ledger: Ledger, cluster_id: str) -> dict[str, Any] | None:
    """A cluster's row (its key fields, first and last date, counts and
    outlets as a list), or None."""
    with ledger.engine.connect() as conn:
        row = conn.execute(select(clusters).where(clusters.c.id == cluster_id)
                           ).mappings().first()
    if row is None:
        return None
    out = {k: v for k, v in row.items() if k != "cluster_key"}
    out["outlets"] = json.loads(row["outlets"] or "[]")
    return out


def daily_counts(ledger: Ledger) -> list[dict[str, Any]]:
    """Articles (by their date) and claims (by claim date, rejected left out)
    per day, oldest first: ``{"date", "articles", "claims"}``."""
    with ledger.engine.connect() as conn:
        by_article = dict(conn.execute(
            select(articles.c.date, func.count()).where(articles.c.date.is_not(None))
            .group_by(articles.c.date)).all())
        by_claim = dict(conn.execute(
            select(claims.c.claim_date, func.count())
            .where(claims.c.claim_date.is_not(None), not_rejected())
            .group_by(claims.c.claim_date)).all())
    return [{"date": day, "articles": by_article.get(day, 0), "claims": by_claim.get(day, 0)}
            for day in sorted(set(by_article) | set(by_claim))]


def evidence_of(ledger: Ledger, ids: Sequence[str]) -> dict[str, str]:
    """The evidence sentence of each claim id given."""
    out: dict[str, str] = {}
    with ledger.engine.connect() as conn:
        for start in range(0, len(ids), _MENTION_CHUNK):
            out.update(conn.execute(select(claims.c.id, claims.c.evidence).where(
                claims.c.id.in_(ids[start:start + _MENTION_CHUNK]))).all())
    return out


def find_points(ledger: Ledger, f: ClaimFilter) -> list[Point]:
    """The matching claims as reconcile Points (for series and conflicts)."""
    query = _where(points_query(), f)
    with ledger.engine.connect() as conn:
        return [point_of(row) for row in conn.execute(query).mappings()]


@dataclass(frozen=True)
class Stats:
    """What the ledger holds: counts of articles, wire copies, claims by outcome
    (rejected claims left out), clusters, rejects by reason, runs, and claims
    by review."""

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
    reviews: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the counts."""
        return {"articles": self.articles, "wire_copies": self.wire_copies,
                "claims": self.claims, "claims_by_outcome": self.claims_by_outcome,
                "clusters": self.clusters, "rejects": sum(self.rejects_by_reason.values()),
                "rejects_by_reason": self.rejects_by_reason, "runs": self.runs,
                "extractor_versions": self.extractor_versions, "reviews": self.reviews,
                "first_date": self.first_date.isoformat() if self.first_date else None,
                "last_date": self.last_date.isoformat() if self.last_date else None}


def _less(counts: dict[str, int], taken: dict[str, int]) -> dict[str, int]:
    """``counts`` less ``taken``, without the keys that fall to zero, largest first."""
    left = {k: n - taken.get(k, 0) for k, n in counts.items() if n - taken.get(k, 0) > 0}
    return dict(sorted(left.items(), key=lambda kv: (-kv[1], kv[0])))


def stats(ledger: Ledger) -> Stats:
    """Counts over the whole ledger."""
    with ledger.engine.connect() as conn:
        def count(table: Any, *where: Any) -> int:
            return conn.execute(select(func.count()).select_from(table).where(*where)
                                ).scalar_one()

        def grouped(column: Any, *where: Any, none: str = "None") -> dict[str, int]:
            rows = conn.execute(select(column, func.count()).where(*where).group_by(column)
                                .order_by(func.count().desc(), column)).all()
            return {none if k is None else str(k): n for k, n in rows}

        # A rejected claim is not a claim: it counts only among the reviews. The
        # rejected are counted apart and taken off, which indexes answer fast.
        rejected = claims.c.review == "rejected"
        first, last = conn.execute(select(func.min(claims.c.claim_date),
                                          func.max(claims.c.claim_date))
                                   .where(not_rejected())).one()
        return Stats(
            articles=count(articles), wire_copies=count(articles, articles.c.copy_of.is_not(None)),
            claims=count(claims) - count(claims, rejected),
            claims_by_outcome=_less(grouped(claims.c.outcome), grouped(claims.c.outcome, rejected)),
            clusters=count(clusters), rejects_by_reason=grouped(rejects.c.reason),
            runs=count(runs), extractor_versions=grouped(articles.c.extractor_version),
            first_date=first, last_date=last,
            reviews=grouped(claims.c.review, none="unreviewed"))


def stale_articles(ledger: Ledger, version: str, every: bool = False) -> list[str]:
    """Ids of stored articles extracted by another extractor version (all of
    them with ``every``), oldest stored first. Articles with a reviewed claim
    are left out: a new extraction would throw the reviews' work away."""
    reviewed = select(claims.c.article_id).where(claims.c.review.is_not(None))
    query = select(articles.c.id).where(articles.c.id.not_in(reviewed)) \
        .order_by(articles.c.run_id, articles.c.id)
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

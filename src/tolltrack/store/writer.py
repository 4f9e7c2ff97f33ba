"""Every write to the ledger goes through here: runs, articles with their claims
and mentions, rejects, wire-copy marks and clusters.

A batch is one transaction: it is stored whole or not at all, so a run killed
at any moment leaves only whole batches behind, and the next run carries on
from them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from tolltrack import __version__, nearcopy
from tolltrack.ingest import Reject, content_hash
from tolltrack.model import Article, Claim
from tolltrack.reconcile import CLUSTER_DAYS, Cluster, Point
from tolltrack.reconcile import clusters as make_clusters
from tolltrack.store import generation
from tolltrack.store.connection import Ledger
from tolltrack.store.rows import claim_row, mention_rows, point_of, points_query, search_row
from tolltrack.store.schema import (
    article_bands,
    articles,
    claim_search,
    claims,
    mentions,
    rejects,
    runs,
)
from tolltrack.store.schema import clusters as clusters_table

# Reject messages are cut to this length: they are part of a unique key.
_MESSAGE_CHARS = 1000
# Articles whose shingles are kept in memory (about 2 KB each).
_REMEMBERED = 5000
# Candidates sharing the most band hashes are compared shingle by shingle.
_MAX_CANDIDATES = 10


# NUL, which PostgreSQL text cannot hold, and lone surrogates, which no
# encoder writes.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every unstorable character turned into U+FFFD: one character
    for one, so every offset into the text still holds."""
    return [{k: _UNSTORABLE.sub("\ufffd", v) if isinstance(v, str) else v
             for k, v in row.items()} for row in rows]


def _candidates_query() -> Select:
    shared = func.count().label("shared")
    # An OR of (band, hash) pairs, each an index lookup: SQLite plans a row-value
    # IN over the same pairs as a scan of the whole table. Built once, so that
    # it is compiled once.
    return (select(article_bands.c.article_id, shared)
            .where(or_(*(and_(article_bands.c.band == n,
                              article_bands.c.hash == bindparam(f"h{n}", type_=BigInteger))
                         for n in range(nearcopy.BANDS))))
            .group_by(article_bands.c.article_id)
            .order_by(shared.desc(), article_bands.c.article_id)
            .limit(_MAX_CANDIDATES))


_CANDIDATES = _candidates_query()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Stored:
    """One article to store with the claims extracted from it."""

    article: Article
    claims: tuple[Claim, ...]


class Writer:
    """The ledger's single writer. Takes a Ledger; each method is one transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.engine = ledger.engine
        # Shingles of recent articles, so that a copy's candidates (mostly the
        # articles just stored) need not be read and hashed again.
        self.shingled: OrderedDict[str, nearcopy.Shingles] = OrderedDict()

    def begin_run(self, command: str, sources: Sequence[str], model: str,
                  extractor_version: str) -> int:
        """Record the start of a run; returns its id."""
        with self.ledger.writing() as conn:
            return conn.execute(insert(runs).values(
                command=command, status="running", started_at=_now(),
                tolltrack_version=__version__, extractor_version=extractor_version,
                model=model, sources=json.dumps(list(sources), ensure_ascii=False),
                articles=0, skipped=0, claims=0, rejects=0)).inserted_primary_key[0]

    def finish_run(self, run_id: int, status: str) -> None:
        """Mark a run finished, interrupted or failed, and refresh the statistics
        the query planner chooses indexes by (without them SQLite may walk the
        wrong index for a combination of filters)."""
        with self.ledger.writing() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(
                status=status, finished_at=_now()))
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # A sample of each index is enough, and keeps this quick on a big file.
                conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    def known(self, items: Sequence[Article]) -> list[str | None]:
        """For each article, why it need not be stored: ``stored`` when its text
        is in the ledger already, ``id_taken`` when its id belongs to another
        text; else None. One query for them all."""
        if not items:
            return []
        digests = [content_hash(a.text) for a in items]
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.content_hash)
                                .where(articles.c.content_hash.in_(set(digests))
                                       | articles.c.id.in_({a.id for a in items}))).all()
        hashes = {digest for _, digest in rows}
        ids = {ident for ident, _ in rows}
        return ["stored" if digest in hashes else "id_taken" if a.id in ids else None
                for a, digest in zip(items, digests, strict=True)]

    def store(self, run_id: int, batch: Sequence[Stored], batch_rejects: Sequence[Reject],
              skipped: int, version: str) -> None:
        """Store a batch of new articles with their claims, and the run's rejects
        since the last batch, in one transaction; then recluster what changed."""
        try:
            with self.ledger.writing() as conn:
                for item in batch:
                    self._insert_article(conn, item.article, run_id, version)
                touched, added = _insert_claims(conn, batch, version)
                self._finish_batch(conn, run_id, touched, batch_rejects, articles=len(batch),
                                   claims=added, skipped=skipped)
        except BaseException:
            # Not stored after all: another writer may yet store other texts under
            # these ids, so their shingles must not be remembered.
            for item in batch:
                self.shingled.pop(item.article.id, None)
            raise

    def replace_claims(self, run_id: int, batch: Sequence[Stored], batch_rejects:
                       Sequence[Reject], version: str) -> None:
        """Swap the stored claims of already-stored articles for newly extracted
        ones, in one transaction, and recluster every key touched before or after."""
        with self.ledger.writing() as conn:
            ids = [item.article.id for item in batch]
            touched = Touched()
            for key, day in conn.execute(select(claims.c.cluster_key, claims.c.claim_date)
                                         .where(claims.c.article_id.in_(ids))):
                touched.add(key, day)
            old = select(claims.c.id).where(claims.c.article_id.in_(ids))
            conn.execute(delete(mentions).where(mentions.c.claim_id.in_(old)))
            conn.execute(delete(claim_search).where(claim_search.c.claim_id.in_(old)))
            conn.execute(delete(claims).where(claims.c.article_id.in_(ids)))
            added_keys, added = _insert_claims(conn, batch, version)
            touched.merge(added_keys)
            conn.execute(update(articles).where(articles.c.id.in_(ids)).values(
                extractor_version=version))
            self._finish_batch(conn, run_id, touched, batch_rejects, articles=len(batch),
                               claims=added)

    def _finish_batch(self, conn: Connection, run_id: int, touched: Touched,
                      batch_rejects: Sequence[Reject], **counts: int) -> None:
        """Store the rejects, recluster what the batch touched, and add to the run's
        counts (``rejects`` counts the rejects the run met, stored before or not)."""
        self._insert_rejects(conn, run_id, batch_rejects)
        recluster(conn, touched)
        generation.bump(conn)
        counts["rejects"] = len(batch_rejects)
        conn.execute(update(runs).where(runs.c.id == run_id).values(
            {runs.c[name]: runs.c[name] + n for name, n in counts.items()}))

    def _insert_article(self, conn: Connection, article: Article, run_id: int,
                        version: str) -> None:
        shingles = nearcopy.shingles(article.text)
        band_hashes = nearcopy.bands(shingles)
        conn.execute(insert(articles), _storable([dict(
            id=article.id, content_hash=content_hash(article.text), title=article.title,
            date=article.date, date_source=article.date_source, outlet=article.outlet,
            url=article.url, language=article.language, source=article.source,
            text=article.text, furniture=json.dumps(list(article.furniture), ensure_ascii=False),
            copy_of=self._copy_of(conn, shingles, band_hashes), extractor_version=version,
            run_id=run_id)]))
        self._remember(article.id, shingles)
        if band_hashes:
            conn.execute(insert(article_bands), [
                {"article_id": article.id, "band": n, "hash": h}
                for n, h in enumerate(band_hashes)])

    def _insert_rejects(self, conn: Connection, run_id: int, items: Iterable[Reject]) -> None:
        rows = [{"run_id": run_id, "source": r.source, "line": r.line or 0, "reason": r.reason,
                 "message": r.message[:_MESSAGE_CHARS]} for r in items]
        if not rows:
            return
        # The same bad input met again on a rerun is one reject, not two.
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(rejects).on_conflict_do_nothing(), _storable(rows))

    def _remember(self, article_id: str, shingled: nearcopy.Shingles) -> None:
        self.shingled[article_id] = shingled
        if len(self.shingled) > _REMEMBERED:
            self.shingled.popitem(last=False)

    def _copy_of(self, conn: Connection, shingles: nearcopy.Shingles, band_hashes: list[int]
                 ) -> str | None:
        """The article this text copies (the first of its group), or None."""
        if not band_hashes:
            return None
        candidates = conn.execute(_CANDIDATES, {f"h{n}": h for n, h in enumerate(band_hashes)}
                                  ).scalars().all()
        if not candidates:
            return None
        best: tuple[float, str] | None = None
        rows = conn.execute(select(articles.c.id, articles.c.copy_of)
                            .where(articles.c.id.in_(candidates))).all()
        unknown = [row.id for row in rows if row.id not in self.shingled]
        if unknown:
            for ident, text in conn.execute(select(articles.c.id, articles.c.text)
                                            .where(articles.c.id.in_(unknown))):
                self._remember(ident, nearcopy.shingles(text))
        for row in sorted(rows, key=lambda r: r.id):
            other = self.shingled.get(row.id)
            if other is None:
                continue
            if nearcopy.is_copy(shingles, other):
                score = nearcopy.containment(shingles, other)
                if best is None or score > best[0]:
                    best = (score, row.copy_of or row.id)
        return best[1] if best else None


class Touched:
    """The cluster keys a batch changed, each with the earliest date changed
    (None: only undated claims) and whether an undated claim changed."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[dt.date | None, bool]] = {}

    def add(self, key: str, day: dt.date | None) -> None:
        """Note that ``key`` changed at ``day`` (None: an undated claim)."""
        since, undated = self.keys.get(key, (None, False))
        if day is None:
            self.keys[key] = (since, True)
        else:
            self.keys[key] = (min(since, day) if since else day, undated)

    def merge(self, other: Touched) -> None:
        """Add everything ``other`` noted."""
        for key, (since, undated) in other.keys.items():
            if since is not None:
                self.add(key, since)
            if undated:
                self.add(key, None)


def recluster(conn: Connection, touched: Touched) -> None:
    """Recompute the clusters a batch can have changed, and nothing more.

    Clusters grow from their first report (reconcile.clusters), so a change at
    date d reaches only clusters that start on or after d - CLUSTER_DAYS: the
    ones before end before d. For each key those clusters are dropped and
    rebuilt from their claims (and the undated cluster, when an undated claim
    changed). Every touched key's clusters are dropped before any is inserted,
    since a claim that changed key may still be the id of its old cluster. A
    few statements per batch, however many keys it touches.
    """
    if not touched.keys:
        return
    keys = sorted(touched.keys)
    dated = [since for since, _ in touched.keys.values() if since is not None]
    reach = min(dated) - dt.timedelta(days=CLUSTER_DAYS) if dated else None
    nearby = or_(clusters_table.c.first_date.is_(None),
                 clusters_table.c.first_date >= reach) if reach else \
        clusters_table.c.first_date.is_(None)
    existing: dict[str, list[tuple[str, dt.date | None]]] = {}
    for cid, key, first in conn.execute(
            select(clusters_table.c.id, clusters_table.c.cluster_key,
                   clusters_table.c.first_date)
            .where(clusters_table.c.cluster_key.in_(keys), nearby)):
        existing.setdefault(key, []).append((cid, first))

    starts: dict[str, dt.date | None] = {}
    dropped: list[str] = []
    for key in keys:
        since, undated = touched.keys[key]
        start = None
        if since is not None:
            firsts = [first for _, first in existing.get(key, ())
                      if first is not None and first >= since - dt.timedelta(days=CLUSTER_DAYS)]
            start = min([since, *firsts])
        starts[key] = start
        dropped.extend(cid for cid, first in existing.get(key, ())
                       if (first is None and undated)
                       or (first is not None and start is not None and first >= start))
    if dropped:
        conn.execute(delete(clusters_table).where(clusters_table.c.id.in_(dropped)))

    earliest = min((d for d in starts.values() if d is not None), default=None)
    when = or_(claims.c.claim_date.is_(None), claims.c.claim_date >= earliest) if earliest \
        else claims.c.claim_date.is_(None)
    points: dict[str, Point] = {}
    for row in conn.execute(points_query().where(claims.c.cluster_key.in_(keys), when)
                            ).mappings():
        start, (_, undated) = starts[row["cluster_key"]], touched.keys[row["cluster_key"]]
        day = row["claim_date"]
        if (day is None and undated) or (day is not None and start is not None
                                         and day >= start):
            points[row["id"]] = point_of(row)
    found = make_clusters(points.values())
    if not found:
        return
    conn.execute(insert(clusters_table), [_cluster_row(c, points[c.id]) for c in found])
    moved = [{"cid": c.id, "mid": m} for c in found for m in c.members
             if points[m].cluster_id != c.id]
    if moved:
        conn.execute(update(claims).where(claims.c.id == bindparam("mid"))
                     .values(cluster_id=bindparam("cid")), moved)


def _insert_claims(conn: Connection, batch: Sequence[Stored], version: str
                   ) -> tuple[Touched, int]:
    """Insert the batch's claims and mentions; returns what they touch for
    reclustering and how many claims were inserted."""
    claim_rows: list[dict[str, Any]] = []
    mention_list: list[dict[str, Any]] = []
    for item in batch:
        for n, claim in enumerate(item.claims, start=1):
            row = claim_row(claim, item.article, n, version)
            claim_rows.append(row)
            mention_list.extend(mention_rows(claim, row["id"]))
    if claim_rows:
        conn.execute(insert(claims), _storable(claim_rows))
        conn.execute(insert(claim_search), _storable([search_row(r) for r in claim_rows]))
    if mention_list:
        conn.execute(insert(mentions), _storable(mention_list))
    touched = Touched()
    for row in claim_rows:
        touched.add(row["cluster_key"], row["claim_date"])
    return touched, len(claim_rows)


def _cluster_row(c: Cluster, first: Point) -> dict[str, Any]:
    return {"id": c.id, "cluster_key": c.key, "outcome": first.outcome, "low": first.low,
            "high": first.high, "qualifier": first.qualifier,
            "claimant_text": first.claimant_text, "claimant_code": first.claimant_code,
            "claimant_type": first.claimant_type, "victim_country": first.victim_country,
            "victim_type": first.victim_type, "first_date": c.first_date,
            "last_date": c.last_date, "first_article_id": c.first_article_id,
            "article_count": c.article_count, "outlet_count": len(c.outlets),
            "source_count": c.source_count,
            "outlets": json.dumps(list(c.outlets), ensure_ascii=False)}

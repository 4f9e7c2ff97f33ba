"""read → extract → store on the ledger corpus: idempotence, wire copies, clusters,
series, conflicts, rejects and re-extraction, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tolltrack.extract import EXTRACTOR_VERSION
from tolltrack.ledger import ingest, reextract
from tolltrack.options import Options, ReadOptions
from tolltrack.reconcile import conflicts, series
from tolltrack.store import ClaimFilter, Ledger, find_claims, find_points, open_ledger, stats
from tolltrack.store.schema import articles, clusters, rejects, runs

CORPUS = Path(__file__).resolve().parent / "data" / "ledger"
WEEK = str(CORPUS / "week.jsonl")
BAD = str(CORPUS / "bad.jsonl")


@pytest.fixture
def ledger(ledger_url: str) -> Ledger:
    opened = open_ledger(ledger_url, create=True)
    yield opened
    opened.close()


def run(ledger: Ledger, *sources: str, batch_size: int = 4) -> object:
    return ingest(ledger, list(sources), ReadOptions(), Options(), batch_size=batch_size)


def claim_rows(ledger: Ledger) -> list[dict]:
    return [sc.to_dict() for sc in find_claims(ledger, ClaimFilter())]


def test_ingest_stores_every_article_and_claim_once(ledger: Ledger) -> None:
    first = run(ledger, WEEK)
    assert (first.stored, first.skipped, first.batches) == (9, 0, 3)
    assert first.claims == len(claim_rows(ledger)) > 20
    before = claim_rows(ledger)
    again = run(ledger, WEEK)
    assert (again.stored, again.skipped, again.claims) == (0, 9, 0)
    assert claim_rows(ledger) == before
    with ledger.engine.connect() as conn:
        statuses = conn.execute(select(runs.c.status, runs.c.articles, runs.c.skipped)
                                .order_by(runs.c.id)).all()
    assert statuses == [("finished", 9, 0), ("finished", 0, 9)]


def test_batch_size_does_not_change_the_result(ledger: Ledger, tmp_path: Path) -> None:
    run(ledger, WEEK, batch_size=1)
    other = open_ledger(str(tmp_path / "other.db"), create=True)
    run(other, WEEK, batch_size=50)
    assert claim_rows(ledger) == claim_rows(other)
    other.close()


def test_the_reprints_are_wire_copies_and_their_claims_one_cluster(ledger: Ledger) -> None:
    run(ledger, WEEK)
    with ledger.engine.connect() as conn:
        copies = dict(conn.execute(select(articles.c.id, articles.c.copy_of)
                                   .where(articles.c.copy_of.is_not(None))).all())
        spread = conn.execute(select(clusters.c.article_count, clusters.c.outlet_count,
                                     clusters.c.source_count)
                              .where(clusters.c.first_article_id == "wk-03")).all()
    assert copies == {"wk-04": "wk-03", "wk-05": "wk-03"}
    assert spread == [(3, 3, 1)] * 3
    assert stats(ledger).wire_copies == 2


def test_series_and_the_conflict_of_the_week(ledger: Ledger) -> None:
    run(ledger, WEEK)
    found = series(find_points(ledger, ClaimFilter(scopes=("cumulative",))))
    by_claimant = {(s.claimant_key, s.victim_country): s for s in found}
    staff = by_claimant[(("UKR", "military"), "RUS")]
    assert [(p.point.date, p.point.low, p.reports, p.change) for p in staff.points] == [
        (dt.date(2024, 3, 11), 1800, 1, "first"), (dt.date(2024, 3, 13), 2100, 3, "up"),
        (dt.date(2024, 3, 15), 2250, 1, "up"), (dt.date(2024, 3, 16), 2400, 1, "up")]
    pairs = conflicts(found)
    assert len(pairs) == 4
    for c in pairs:
        sides = {c.first.point.claimant_code, c.second.point.claimant_code}
        assert sides == {"UKR", "WESTERN"}
        assert c.days_apart <= 7


def test_rejects_are_stored_with_their_reasons(ledger: Ledger) -> None:
    run(ledger, WEEK)
    report = run(ledger, BAD)
    assert report.stored == 1
    assert report.rejects == {"not_english": 1, "id_taken": 1, "no_text": 1}
    assert stats(ledger).rejects_by_reason == {"id_taken": 1, "no_text": 1, "not_english": 1}
    run(ledger, BAD)
    assert sum(stats(ledger).rejects_by_reason.values()) == 3


def test_reextract_replaces_the_claims_of_older_versions(ledger: Ledger) -> None:
    run(ledger, WEEK)
    before = claim_rows(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id.in_(["wk-01", "wk-02"]))
                     .values(extractor_version="0.9"))
    report = reextract(ledger, Options())
    assert (report.stored, report.claims) == (2, sum(
        1 for c in before if c["article_id"] in ("wk-01", "wk-02")))
    assert claim_rows(ledger) == before
    with ledger.engine.connect() as conn:
        versions = conn.execute(select(articles.c.extractor_version, func.count())
                                .group_by(articles.c.extractor_version)).all()
    assert versions == [(EXTRACTOR_VERSION, 9)]
    assert reextract(ledger, Options()).stored == 0
    assert reextract(ledger, Options(), every=True).stored == 9


def test_an_article_the_database_refuses_costs_only_itself(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import DataError

    from tolltrack.store.writer import Writer

    insert_article = Writer._insert_article

    def refuse_one(self: Writer, conn: object, article: object, *rest: object) -> None:
        if article.id == "wk-06":  # type: ignore[attr-defined]
            raise DataError("INSERT INTO articles …", {}, Exception("value too long"))
        insert_article(self, conn, article, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(Writer, "_insert_article", refuse_one)
    report = run(ledger, WEEK)
    assert (report.stored, report.rejects) == (8, {"store_failed": 1})
    with ledger.engine.connect() as conn:
        ids = set(conn.execute(select(articles.c.id)).scalars())
        reasons = conn.execute(select(rejects.c.reason, rejects.c.message)).all()
    assert ids == {f"wk-0{n}" for n in range(1, 10)} - {"wk-06"}
    assert reasons == [("store_failed", "article wk-06: the database refused it (value too "
                                         "long)")]
    monkeypatch.undo()
    assert run(ledger, WEEK).stored == 1

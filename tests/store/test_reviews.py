"""Reviews in the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_helpers import assert_clusters_consistent, fill
from sqlalchemy import text

from tolltrack.store import ClaimFilter, Ledger, find_claims, find_points, open_ledger
from tolltrack.store.queries import EVERY_REVIEW, find_claim, stale_articles
from tolltrack.store.reviews import ReviewError, original, review_claim, reviews_of


@pytest.fixture
def ledger(ledger_url: str) -> Ledger:
    opened = open_ledger(ledger_url, create=True)
    fill(opened)
    yield opened
    opened.close()


def _first(ledger: Ledger, **kw: object) -> str:
    return next(iter(find_claims(ledger, ClaimFilter(**kw)))).id  # type: ignore[arg-type]


def test_a_correction_moves_the_claim_to_its_new_cluster(ledger: Ledger) -> None:
    cid = _first(ledger, claimants=("NATO",))
    before = find_claim(ledger, cid)
    entry = review_claim(ledger, cid, "corrected",
                         {"low": 700, "high": 900, "as_of": "2024-03-12"}, "re-read", "ana")
    after = find_claim(ledger, cid)
    assert after.review == "corrected" and after.claim.figure.low == 700
    assert after.claim.as_of == dt.date(2024, 3, 12)
    assert entry.before["low"] == before.claim.figure.low and entry.fields["high"] == 900
    assert original(ledger, cid)["low"] == before.claim.figure.low
    assert_clusters_consistent(ledger)
    [point] = [p for p in find_points(ledger, ClaimFilter()) if p.id == cid]
    assert (point.low, point.high, point.date) == (700, 900, dt.date(2024, 3, 12))


def test_a_rejected_claim_is_in_no_cluster_and_comes_back_when_confirmed(
        ledger: Ledger) -> None:
    cid = _first(ledger, claimants=("NATO",))
    review_claim(ledger, cid, "rejected", note="a misread caption")
    assert cid not in {sc.id for sc in find_claims(ledger, ClaimFilter())}
    assert cid in {sc.id for sc in find_claims(ledger, ClaimFilter(reviews=EVERY_REVIEW))}
    assert find_claim(ledger, cid).cluster_id is None
    assert cid not in {p.id for p in find_points(ledger, ClaimFilter())}
    assert_clusters_consistent(ledger)
    review_claim(ledger, cid, "confirmed")
    assert find_claim(ledger, cid).cluster_id is not None
    assert [r.verdict for r in reviews_of(ledger, cid)] == ["rejected", "confirmed"]
    assert original(ledger, cid) is None
    assert_clusters_consistent(ledger)


@pytest.mark.parametrize(("verdict", "fields", "message"), [
    ("approved", None, "verdict"),
    ("corrected", None, "needs the corrected fields"),
    ("corrected", {"low": "many"}, "low"),
    ("corrected", {"outcome": "exploded"}, "outcome"),
    ("corrected", {"victim_country": "Russia"}, "alpha-3"),
    ("corrected", {"as_of": "14/03/2024"}, "YYYY-MM-DD"),
    ("corrected", {"evidence": "x"}, "cannot be corrected"),
    ("rejected", {"low": 3}, "only a 'corrected' review"),
])
def test_a_bad_review_is_refused_and_leaves_no_trace(ledger: Ledger, verdict: str,
                                                     fields: dict | None, message: str) -> None:
    cid = _first(ledger)
    with pytest.raises(ReviewError, match=message) as caught:
        review_claim(ledger, cid, verdict, fields)
    assert caught.value.code == "invalid"
    assert reviews_of(ledger, cid) == [] and find_claim(ledger, cid).review is None


def test_reextraction_leaves_reviewed_articles_alone(ledger: Ledger) -> None:
    every = stale_articles(ledger, "another version")
    cid = _first(ledger)
    review_claim(ledger, cid, "confirmed")
    article = find_claim(ledger, cid).claim.article_id
    assert stale_articles(ledger, "another version") == [a for a in every if a != article]


def test_a_ledger_of_the_first_schema_is_brought_up_to_date(ledger_url: str) -> None:
    opened = open_ledger(ledger_url, create=True)
    fill(opened)
    with opened.engine.begin() as conn:
        for statement in ("DROP TABLE reviews", "DROP TABLE ledger_state",
                          "DROP INDEX ix_claims_review", "ALTER TABLE claims DROP COLUMN review",
                          "DELETE FROM schema_migrations WHERE version = 2"):
            conn.execute(text(statement))
    opened.close()
    again = open_ledger(ledger_url)
    try:
        cid = _first(again)
        review_claim(again, cid, "confirmed")
        assert find_claim(again, cid).review == "confirmed"
    finally:
        again.close()

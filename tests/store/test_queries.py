"""Reading the ledger back: every filter, counts and stats, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_helpers import fill

from tolltrack.filters import claim_filter
from tolltrack.store import (
    ClaimFilter,
    Ledger,
    count_claims,
    find_claims,
    find_points,
    open_ledger,
    stats,
)
from tolltrack.store.queries import load_articles, stale_articles


@pytest.fixture
def ledger(ledger_url: str) -> Ledger:
    opened = open_ledger(ledger_url, create=True)
    fill(opened)
    yield opened
    opened.close()


def figures(ledger: Ledger, f: ClaimFilter) -> list[str]:
    return [sc.claim.figure.text for sc in find_claims(ledger, f)]


@pytest.mark.parametrize(("given", "expected"), [
    ({}, ["more than 1,200", "600 to 800", "three", "12", "more than 1,350"]),
    ({"outcome": "injured"}, ["12"]),
    ({"outcome": "killed,injured", "victim_type": "civilian"}, ["three", "12"]),
    ({"victim_country": "Russia"}, ["more than 1,200", "600 to 800", "more than 1,350"]),
    ({"claimant": "nato"}, ["600 to 800"]),
    ({"claimant": "NATO,kovalenko"}, ["600 to 800", "three", "12"]),
    ({"claimant": "UKR"}, ["more than 1,200", "three", "12", "more than 1,350"]),
    ({"claimant": "gov"}, ["three", "12"]),
    ({"claimant": "GOV"}, []),
    ({"status": "estimated,denied"}, ["600 to 800", "12"]),
    ({"since": "2024-03-12"}, ["three", "12", "more than 1,350"]),
    ({"until": "2024-03-11"}, ["more than 1,200", "600 to 800"]),
    ({"since": "2024-03-12", "until": "2024-03-12"}, ["three", "12"]),
    ({"search": "KHARKIV on tuesday"}, ["three"]),
    ({"search": "kharkiv"}, ["three", "12"]),
    ({"search": "100%_"}, []),
    ({"scope": "cumulative", "outcome": "killed"},
     ["more than 1,200", "600 to 800", "more than 1,350"]),
])
def test_filters(ledger: Ledger, given: dict[str, str], expected: list[str]) -> None:
    f = claim_filter(**given)
    assert figures(ledger, f) == expected
    assert count_claims(ledger, f) == len(expected)


def test_limit_and_offset_page_through_in_order(ledger: Ledger) -> None:
    pages = [figures_page(ledger, offset) for offset in (0, 2, 4)]
    assert pages == [["more than 1,200", "600 to 800"], ["three", "12"], ["more than 1,350"]]


def figures_page(ledger: Ledger, offset: int) -> list[str]:
    return [sc.claim.figure.text for sc in find_claims(ledger, ClaimFilter(), 2, offset)]


def test_points_carry_what_series_need(ledger: Ledger) -> None:
    points = find_points(ledger, claim_filter(claimant="UKR", scope="cumulative"))
    assert sorted((p.low, p.date, p.outlet) for p in points) == [
        (1200, dt.date(2024, 3, 11), "BBC"), (1350, dt.date(2024, 3, 13), "CNN")]


def test_stats_count_everything(ledger: Ledger) -> None:
    s = stats(ledger).to_dict()
    assert s["articles"] == 3 and s["claims"] == 5 and s["clusters"] == 5
    assert s["claims_by_outcome"] == {"killed": 4, "injured": 1}
    assert s["rejects_by_reason"] == {"no_text": 1}
    assert s["extractor_versions"] == {"v1": 3}
    assert (s["first_date"], s["last_date"]) == ("2024-03-11", "2024-03-13")


def test_stale_articles_are_those_of_another_version(ledger: Ledger) -> None:
    assert stale_articles(ledger, "v1") == []
    ids = stale_articles(ledger, "v2")
    assert len(ids) == 3
    assert [a.outlet for a in load_articles(ledger, ids[::-1])] == [
        a.outlet for a in reversed(load_articles(ledger, ids))]
    assert stale_articles(ledger, "v1", every=True) == ids

"""Clusters, series and conflicts over plain Points."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.reconcile import (
    Point,
    bounds,
    cluster_key,
    clusters,
    conflicts,
    key_of,
    series,
)

D = dt.date(2022, 4, 14)


def point(ident: str, *, days: int = 0, low: int | None = 20000, high: int | None = None,
          qualifier: str = "at_least", code: str | None = "UKR", kind: str = "government",
          text: str = "Ukraine", outlet: str = "The Guardian", source: str | None = None,
          article: str | None = None, scope: str = "cumulative", status: str = "claimed",
          country: str | None = "RUS", cluster: str | None = None) -> Point:
    return Point(id=ident, article_id=article or ident.split("-")[0], outcome="killed",
                 low=low, high=high, qualifier=qualifier, figure_text="more than 20,000",
                 claimant_text=text, claimant_code=code, claimant_type=kind,
                 victim_country=country, victim_type="military", status=status, scope=scope,
                 date=D + dt.timedelta(days=days), outlet=outlet, source=source,
                 cluster_id=cluster)


def test_the_key_holds_every_field_that_makes_a_claim_the_same() -> None:
    assert cluster_key("killed", "UKR", "government", "RUS", "military", 20000, None,
                       "at_least") == "killed|UKR|government|RUS|military|20000||at_least"
    assert key_of(point("a-1")) == "killed|UKR|government|RUS|military|20000||at_least"


def test_reports_within_three_days_of_the_first_are_one_cluster() -> None:
    found = clusters([point("a-1", outlet="BBC"), point("b-1", days=2, outlet="CNN"),
                      point("c-1", days=3, outlet="CNN"), point("d-1", days=4)])
    assert [(c.id, c.members) for c in found] == [("a-1", ("a-1", "b-1", "c-1")),
                                                  ("d-1", ("d-1",))]
    first = found[0]
    assert (first.first_date, first.last_date) == (D, D + dt.timedelta(days=3))
    assert first.article_count == 3
    assert first.outlets == ("BBC", "CNN")


def test_wire_copies_count_as_one_source() -> None:
    found = clusters([point("a-1"), point("b-1", source="a"), point("c-1", source="a"),
                      point("d-1")])
    assert found[0].article_count == 4
    assert found[0].source_count == 2


def test_a_different_figure_or_claimant_is_another_cluster() -> None:
    found = clusters([point("a-1"), point("b-1", low=21000), point("c-1", code="NATO"),
                      point("d-1", kind="military"), point("e-1", qualifier="approx")])
    assert len(found) == 5


def test_undated_reports_of_one_key_form_one_cluster() -> None:
    undated = [replace(point("a-1"), date=None), replace(point("b-1"), date=None)]
    found = clusters([*undated, point("c-1")])
    assert sorted(c.members for c in found) == [("a-1", "b-1"), ("c-1",)]


def test_a_series_is_one_point_per_cluster_with_its_reports() -> None:
    points = [point("a-1", low=1200, cluster="a-1"), point("b-1", low=1200, cluster="a-1"),
              point("c-1", days=2, low=1350, cluster="c-1"),
              point("d-1", days=4, low=1300, cluster="d-1")]
    (s,) = series(points)
    assert s.claimant == "Ukraine (UKR, government)"
    assert [(p.point.id, p.reports, p.change) for p in s.points] == [
        ("a-1", 2, "first"), ("c-1", 1, "up"), ("d-1", 1, "down")]


@pytest.mark.parametrize("left_out", [
    {"scope": "incident"}, {"status": "denied"}, {"low": None},
])
def test_series_hold_only_dated_cumulative_numbers_not_denied(left_out: dict) -> None:
    assert series([point("a-1", **left_out)]) == []


def test_the_seed_conflict_more_than_20000_against_7000_to_15000() -> None:
    ukraine = point("a-1")
    nato = point("a-2", low=7000, high=15000, qualifier="range", code="NATO",
                 kind="international", text="a Nato source")
    (c,) = conflicts(series([ukraine, nato]))
    assert {c.first_claimant, c.second_claimant} == {"Ukraine (UKR, government)",
                                                     "a Nato source (NATO, international)"}
    assert c.days_apart == 0


@pytest.mark.parametrize(("other", "why"), [
    ({"low": 18000, "high": 25000, "qualifier": "range"}, "ranges overlap"),
    ({"days": 8, "low": 7000, "high": 15000, "qualifier": "range"}, "more than 7 days apart"),
    ({"low": 7000, "high": 15000, "qualifier": "range", "code": "UKR", "kind": "government"},
     "same claimant"),
    ({"low": 7000, "high": 15000, "qualifier": "range", "country": None},
     "victims' country unknown"),
    ({"low": 7000, "high": 15000, "qualifier": "range", "scope": "incident"},
     "not a running total"),
])
def test_no_conflict_when(other: dict, why: str) -> None:
    base = point("a-1", country=other.get("country", "RUS"))
    rival = point("b-1", **{"code": "NATO", "kind": "international", **other})
    assert conflicts(series([base, rival])) == [], why


def test_each_figure_is_compared_with_the_nearest_figure_of_the_other_claimant() -> None:
    ukraine = [point("a-1", low=20000), point("b-1", days=6, low=9000, qualifier="exact")]
    nato = [point("c-1", days=5, low=7000, high=15000, qualifier="range", code="NATO",
                  kind="international")]
    found = conflicts(series([*ukraine, *nato]))
    # Day 0 "more than 20,000" meets day 5's 7,000–15,000 (nearest); day 6's 9,000 fits it.
    assert [(c.first.point.id, c.second.point.id) for c in found] == [("a-1", "c-1")]


@pytest.mark.parametrize(("qualifier", "low", "high", "expected"), [
    ("exact", 12, 12, (12, 12)),
    ("at_least", 20000, None, (20000, math.inf)),
    ("at_most", 300, 300, (0, 300)),
    ("approx", 1000, 1000, (900, 1100)),
    ("range", 7000, 15000, (7000, 15000)),
    ("vague", 200, 999, (200, 999)),
    ("vague", 2000000, None, (2000000, math.inf)),
])
def test_bounds(qualifier: str, low: int, high: int | None, expected: tuple) -> None:
    lo, hi = bounds(point("a-1", qualifier=qualifier, low=low, high=high))
    assert (lo, hi) == pytest.approx(expected)


figures = st.tuples(st.sampled_from(["exact", "at_least", "at_most", "approx", "range",
                                     "vague"]),
                    st.integers(0, 10**6), st.integers(0, 10**6))


@given(figures, figures)
def test_a_conflict_exists_exactly_when_the_ranges_are_disjoint(a: tuple, b: tuple) -> None:
    pa = point("a-1", qualifier=a[0], low=min(a[1:]), high=max(a[1:]) if a[0] in (
        "range", "vague") else None)
    pb = point("b-1", qualifier=b[0], low=min(b[1:]), high=max(b[1:]) if b[0] in (
        "range", "vague") else None, code="NATO", kind="international")
    (lo_a, hi_a), (lo_b, hi_b) = bounds(pa), bounds(pb)
    assert lo_a <= hi_a and lo_b <= hi_b
    found = conflicts(series([pa, pb]))
    assert bool(found) == (hi_a < lo_b or hi_b < lo_a)
    # The order points come in never changes the answer.
    assert conflicts(series([pb, pa])) == found


@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from([100, 200])), max_size=25))
def test_every_claim_is_in_exactly_one_cluster(spec: list[tuple[int, int]]) -> None:
    points = [point(f"a{n}-1", days=d, low=low) for n, (d, low) in enumerate(spec)]
    found = clusters(points)
    members = [m for c in found for m in c.members]
    assert sorted(members) == sorted(p.id for p in points)
    for c in found:
        assert c.last_date - c.first_date <= dt.timedelta(days=3)
        assert c.id == c.members[0]

"""Across articles: clusters (one claim, many reports), series (one claimant's
running total over time) and conflicts (claimants whose totals cannot both be
true).

Plain functions over plain records: the store hands in ``Point``s, these
functions hand back clusters, series and conflicts. Nothing here decides which
figure is true; a conflict only says two claimed ranges do not overlap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Reports of one figure by one claimant within this many days of its first
# report are the same claim.
CLUSTER_DAYS = 3
# Claimants' figures stated this close together are compared for conflicts.
CONFLICT_DAYS = 7
# "about 1,500" is read as 1,350–1,650 when comparing ranges.
APPROX_MARGIN = 0.1


@dataclass(frozen=True)
class Point:
    """What reconciling needs of one stored claim."""

    id: str
    article_id: str
    outcome: str
    low: int | None
    high: int | None
    qualifier: str
    figure_text: str
    claimant_text: str
    claimant_code: str | None
    claimant_type: str | None
    victim_country: str | None
    victim_type: str
    status: str
    scope: str
    date: dt.date | None
    unverified: bool = False
    outlet: str | None = None
    # The article this one copies (wire copies share it), else its own id.
    source: str | None = None
    cluster_id: str | None = None

    @property
    def claimant(self) -> str:
        """The claimant as a reader names it: "Ukraine (UKR, government)"; a claim
        nobody is quoted for is the outlet's own."""
        if self.claimant_type == "outlet" or not (self.claimant_text or self.claimant_code):
            return f"{self.outlet or 'the outlet'} (outlet)"
        tags = ", ".join(t for t in (self.claimant_code, self.claimant_type) if t)
        return f"{self.claimant_text or self.claimant_code} ({tags})" if tags else \
            self.claimant_text

    @property
    def claimant_key(self) -> tuple[str, str]:
        """Who the claimant is, for telling claimants apart: the code and kind
        where a code is known, else the words (or the outlet) and kind."""
        kind = self.claimant_type or ""
        if self.claimant_code:
            return (self.claimant_code, kind)
        if kind == "outlet" or not self.claimant_text:
            return (f"outlet:{(self.outlet or '').lower()}", "outlet")
        return (self.claimant_text.lower(), kind)


def cluster_key(outcome: str, claimant_code: str | None, claimant_type: str | None,
                victim_country: str | None, victim_type: str, low: int | None,
                high: int | None, qualifier: str) -> str:
    """The fields two reports must share to be one claim, as one string (stored
    and indexed, so a cluster's members are found with one lookup). The
    qualifier is part of it: "up to 300" and "300" are different claims."""
    parts = (outcome, claimant_code, claimant_type, victim_country, victim_type, low, high,
             qualifier)
    return "|".join("" if p is None else str(p) for p in parts)


def key_of(point: Point) -> str:
    """``cluster_key`` of a Point."""
    return cluster_key(point.outcome, point.claimant_code, point.claimant_type,
                       point.victim_country, point.victim_type, point.low, point.high,
                       point.qualifier)


@dataclass(frozen=True)
class Cluster:
    """One claim as reported by many articles: its first report, its reach."""

    id: str
    key: str
    members: tuple[str, ...]
    first_date: dt.date | None
    last_date: dt.date | None
    first_article_id: str
    article_count: int
    outlets: tuple[str, ...]
    source_count: int


def clusters(points: Iterable[Point]) -> list[Cluster]:
    """Group claims into clusters: same ``cluster_key``, dated within
    CLUSTER_DAYS of the cluster's first report. Undated claims of one key form
    one cluster. A cluster's id is its first member's id, so it is stable.

    Takes Points (any mix of keys); returns clusters ordered by first member.
    """
    by_key: dict[str, list[Point]] = defaultdict(list)
    for p in points:
        by_key[key_of(p)].append(p)
    out: list[Cluster] = []
    for key, members in by_key.items():
        dated = sorted((p for p in members if p.date), key=lambda p: (p.date, p.id))
        groups: list[list[Point]] = []
        for p in dated:
            if groups and p.date - groups[-1][0].date <= dt.timedelta(days=CLUSTER_DAYS):
                groups[-1].append(p)
            else:
                groups.append([p])
        undated = sorted((p for p in members if not p.date), key=lambda p: p.id)
        if undated:
            groups.append(undated)
        out.extend(_cluster(key, g) for g in groups)
    return sorted(out, key=lambda c: c.id)


def _cluster(key: str, group: list[Point]) -> Cluster:
    first = group[0]
    dates = [p.date for p in group if p.date]
    return Cluster(
        id=first.id, key=key, members=tuple(p.id for p in group),
        first_date=min(dates, default=None), last_date=max(dates, default=None),
        first_article_id=first.article_id,
        article_count=len({p.article_id for p in group}),
        outlets=tuple(sorted({p.outlet for p in group if p.outlet})),
        source_count=len({p.source or p.article_id for p in group}))


@dataclass(frozen=True)
class SeriesPoint:
    """One figure in a series: the claim (its cluster's first report), how many
    articles carried it, and how it moved from the figure before."""

    point: Point
    reports: int
    change: str  # first, up, down or same


@dataclass(frozen=True)
class Series:
    """One claimant's cumulative figures for one victim group and outcome."""

    claimant: str
    claimant_key: tuple[str, str]
    outcome: str
    victim_country: str | None
    victim_type: str
    points: tuple[SeriesPoint, ...]


def _countable(p: Point) -> bool:
    # A denial is of someone else's figure; an undated figure has no place in time.
    return (p.scope == "cumulative" and p.status != "denied" and p.low is not None
            and p.date is not None)


def series(points: Iterable[Point]) -> list[Series]:
    """Each claimant's cumulative, dated, numbered figures per outcome and victim
    group, oldest first, one point per cluster (a figure carried by fifty
    outlets is one point with fifty reports). Denials are left out.

    Takes Points; returns Series ordered by outcome, victims, claimant.
    """
    groups: dict[tuple, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    for p in points:
        if _countable(p):
            key = (p.claimant_key, p.outcome, p.victim_country, p.victim_type)
            groups[key][p.cluster_id or p.id].append(p)
    out = []
    for (ckey, outcome, country, vtype), by_cluster in groups.items():
        firsts = sorted(((min(ps, key=lambda p: (p.date, p.id)), len({p.article_id for p in ps}))
                         for ps in by_cluster.values()), key=lambda t: (t[0].date, t[0].id))
        pts: list[SeriesPoint] = []
        for p, reports in firsts:
            pts.append(SeriesPoint(p, reports, _change(pts[-1].point if pts else None, p)))
        out.append(Series(firsts[0][0].claimant, ckey, outcome, country, vtype, tuple(pts)))
    return sorted(out, key=lambda s: (s.outcome, s.victim_country or "", s.victim_type,
                                      s.claimant))


def _change(before: Point | None, now: Point) -> str:
    # By the stated numbers, low end first: "about 2,400" after "more than
    # 2,250" went up, whatever the qualifiers' open ends.
    if before is None:
        return "first"
    old = (before.low or 0, before.high if before.high is not None else before.low or 0)
    new = (now.low or 0, now.high if now.high is not None else now.low or 0)
    if old == new:
        return "same"
    return "up" if new > old else "down"


def bounds(p: Point) -> tuple[float, float]:
    """The range a figure allows, for comparing: "more than N" is [N, ∞), "up to
    N" is [0, N], "about N" is N ± 10%, a range or vague word its two ends."""
    low = float(p.low) if p.low is not None else 0.0
    if p.qualifier == "at_least":
        return low, math.inf
    if p.qualifier == "at_most":
        return 0.0, low
    if p.qualifier == "approx":
        return low * (1 - APPROX_MARGIN), low * (1 + APPROX_MARGIN)
    high = float(p.high) if p.high is not None else (
        math.inf if p.qualifier in ("range", "vague") else low)
    return low, high


@dataclass(frozen=True)
class Conflict:
    """Two claimants' cumulative figures for one group and outcome, stated within
    CONFLICT_DAYS of each other, whose ranges do not overlap."""

    outcome: str
    victim_country: str
    victim_type: str
    first: SeriesPoint
    second: SeriesPoint
    first_claimant: str
    second_claimant: str

    @property
    def days_apart(self) -> int:
        """Days between the two statements."""
        return abs((self.second.point.date - self.first.point.date).days)


def conflicts(all_series: Iterable[Series]) -> list[Conflict]:
    """Conflicts between series of different claimants for the same outcome and
    victim group (victim country known). Each figure is compared with the other
    claimant's figure nearest in time within CONFLICT_DAYS.

    Takes Series; returns conflicts ordered by date, each pair once.
    """
    groups: dict[tuple, list[Series]] = defaultdict(list)
    for s in all_series:
        if s.victim_country:
            groups[(s.outcome, s.victim_country, s.victim_type)].append(s)
    seen: set[frozenset[str]] = set()
    out = []
    for (outcome, country, vtype), members in groups.items():
        for a in members:
            for b in members:
                if a.claimant_key == b.claimant_key:
                    continue
                for sp in a.points:
                    other = _nearest(sp, b.points)
                    if other is None or not _disjoint(sp.point, other.point):
                        continue
                    pair = frozenset((sp.point.id, other.point.id))
                    if pair in seen:
                        continue
                    seen.add(pair)
                    first, second = sorted(((sp, a), (other, b)),
                                           key=lambda t: (t[0].point.date, t[0].point.id))
                    out.append(Conflict(outcome, country, vtype, first[0], second[0],
                                        first[1].claimant, second[1].claimant))
    return sorted(out, key=lambda c: (c.first.point.date, c.first.point.id,
                                      c.second.point.id))


def _nearest(sp: SeriesPoint, others: tuple[SeriesPoint, ...]) -> SeriesPoint | None:
    window = [o for o in others
              if abs((o.point.date - sp.point.date).days) <= CONFLICT_DAYS]
    return min(window, key=lambda o: (abs((o.point.date - sp.point.date).days), o.point.id),
               default=None)


def _disjoint(a: Point, b: Point) -> bool:
    lo_a, hi_a = bounds(a)
    lo_b, hi_b = bounds(b)
    return hi_a < lo_b or hi_b < lo_a

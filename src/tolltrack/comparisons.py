"""Series and conflicts read from the ledger for a filter, and their JSON
shapes: what the ``timeline`` and ``conflicts`` commands and the web API show."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tolltrack.charts import figure_words, group_label, standing
from tolltrack.reconcile import Conflict, Series, SeriesPoint, conflicts, series
from tolltrack.store.connection import Ledger
from tolltrack.store.queries import ClaimFilter, claimant_matches, find_points


def find_series(ledger: Ledger, f: ClaimFilter) -> list[Series]:
    """Each claimant's series among the claims the filter keeps."""
    return series(find_points(ledger, f))


def find_conflicts(ledger: Ledger, f: ClaimFilter) -> list[Conflict]:
    """The conflicts among the claims the filter keeps; with claimants in the
    filter, those where one of them is a side (the other side is anyone)."""
    # Every claimant's series is needed to find who contradicts the one asked for.
    found = conflicts(find_series(ledger, replace(f, claimants=())))
    return [c for c in found
            if any(claimant_matches(f, side.point.claimant_code, side.point.claimant_text)
                   for side in (c.first, c.second))]


def point_dict(p: SeriesPoint, claimant: str) -> dict[str, Any]:
    """One figure of a series as a JSON-ready dict: the claimant, the claim and
    cluster ids, date, low, high, qualifier, the figure in words, status,
    hedge, report count and change from the figure before."""
    pt = p.point
    return {"claimant": claimant, "claimant_code": pt.claimant_code,
            "claimant_type": pt.claimant_type, "claim_id": pt.id, "cluster_id": pt.cluster_id,
            "date": pt.date.isoformat() if pt.date else None, "low": pt.low, "high": pt.high,
            "qualifier": pt.qualifier, "figure": figure_words(p), "status": pt.status,
            "standing": standing(p), "unverified": pt.unverified, "reports": p.reports,
            "change": p.change, "outlet": pt.outlet}


def series_dict(s: Series) -> dict[str, Any]:
    """A series as a JSON-ready dict: its group, claimant and points."""
    return {"group": group_label(s), "outcome": s.outcome, "victim_country": s.victim_country,
            "victim_type": s.victim_type, "claimant": s.claimant,
            "points": [point_dict(p, s.claimant) for p in s.points]}


def conflict_dict(c: Conflict) -> dict[str, Any]:
    """A conflict as a JSON-ready dict: the group, the days between the two
    figures, then each side as ``point_dict`` gives it."""
    return {"outcome": c.outcome, "victim_country": c.victim_country,
            "victim_type": c.victim_type, "days_apart": c.days_apart,
            "first": point_dict(c.first, c.first_claimant),
            "second": point_dict(c.second, c.second_claimant)}

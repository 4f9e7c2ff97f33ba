"""Claims to table rows and back: the one place that knows both shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

from tolltrack.model import (
    Actor,
    Article,
    Claim,
    ClaimantType,
    Figure,
    Mention,
    Outcome,
    Place,
    Qualifier,
    Scope,
    Status,
    Victim,
    VictimType,
)
from tolltrack.reconcile import Point, cluster_key
from tolltrack.store.schema import articles, claims


def claim_id(article_id: str, ordinal: int) -> str:
    """A claim's id: its article's id and its place among the article's claims
    (1-based), so the same article always gives the same ids."""
    return f"{article_id}-{ordinal}"


def fold(text: str) -> str:
    """Text folded for matching regardless of case ("Straße" and "STRASSE" alike)."""
    return text.casefold()


def claim_columns(claim: Claim) -> dict[str, Any]:
    """The claim's spec fields as flat columns (``outcome``, ``low``, ``high``, …,
    ``perpetrator_type``), in the order the claims table and exports use."""
    fig, victim, who = claim.figure, claim.victim, claim.claimant
    place, perp = claim.location, claim.perpetrator
    return {
        "outcome": str(claim.outcome), "low": fig.low, "high": fig.high,
        "qualifier": str(fig.qualifier), "figure_text": fig.text,
        "victim_text": victim.text, "victim_country": victim.country,
        "victim_type": str(victim.type),
        "claimant_text": who.text, "claimant_code": who.code,
        "claimant_type": str(who.type) if who.type else None,
        "status": str(claim.status), "unverified": claim.unverified, "scope": str(claim.scope),
        "location_text": place.text if place else None,
        "location_country": place.country if place else None,
        "location_name": place.name if place else None,
        "location_lat": place.lat if place else None,
        "location_lon": place.lon if place else None,
        "location_geonames_id": place.geonames_id if place else None,
        "as_of": claim.as_of, "period_start": claim.period_start,
        "perpetrator_text": perp.text if perp else None,
        "perpetrator_code": perp.code if perp else None,
        "perpetrator_type": str(perp.type) if perp and perp.type else None,
    }


def claim_row(claim: Claim, article: Article, ordinal: int, version: str) -> dict[str, Any]:
    """The ``claims`` row for the ``ordinal``-th claim of ``article``."""
    columns = claim_columns(claim)
    evidence = claim.mentions[0].sentence if claim.mentions else ""
    return {
        "id": claim_id(article.id, ordinal), "article_id": article.id, "ordinal": ordinal,
        **columns,
        "claim_date": claim.as_of or article.date,
        "evidence": evidence,
        "claimant_folded": fold(columns["claimant_text"] or ""),
        "cluster_key": cluster_key(columns["outcome"], columns["claimant_code"],
                                   columns["claimant_type"], columns["victim_country"],
                                   columns["victim_type"], columns["low"], columns["high"],
                                   columns["qualifier"]),
        "cluster_id": None,
        "extractor_version": version,
    }


def search_row(row: dict[str, Any]) -> dict[str, Any]:
    """The ``claim_search`` row of a ``claims`` row: the words --search looks in."""
    parts = (row["evidence"], row["claimant_text"], row["victim_text"], row["location_text"])
    return {"claim_id": row["id"], "search_text": fold(" | ".join(p for p in parts if p))}


def mention_rows(claim: Claim, cid: str) -> list[dict[str, Any]]:
    """The ``mentions`` rows of one claim."""
    return [{"claim_id": cid, "sentence": m.sentence, "char_start": m.start, "char_end": m.end}
            for m in claim.mentions]


def _actor(text: str | None, code: str | None, kind: str | None) -> Actor:
    return Actor(text or "", code, ClaimantType(kind) if kind else None)


def claim_of(row: Mapping[str, Any], mentions: list[Mapping[str, Any]]) -> Claim:
    """The Claim a ``claims`` row and its ``mentions`` rows describe."""
    place = None
    if row["location_text"] is not None:
        place = Place(row["location_text"], row["location_country"], row["location_name"],
                      row["location_lat"], row["location_lon"], row["location_geonames_id"])
    perpetrator = None
    if row["perpetrator_text"] is not None or row["perpetrator_code"] is not None:
        perpetrator = _actor(row["perpetrator_text"], row["perpetrator_code"],
                             row["perpetrator_type"])
    return Claim(
        outcome=Outcome(row["outcome"]),
        figure=Figure(row["low"], row["high"], Qualifier(row["qualifier"]), row["figure_text"]),
        victim=Victim(row["victim_text"], row["victim_country"], VictimType(row["victim_type"])),
        claimant=_actor(row["claimant_text"], row["claimant_code"], row["claimant_type"]),
        status=Status(row["status"]), unverified=bool(row["unverified"]),
        scope=Scope(row["scope"]), location=place, as_of=row["as_of"],
        period_start=row["period_start"], perpetrator=perpetrator,
        mentions=tuple(Mention(m["sentence"], m["char_start"], m["char_end"]) for m in mentions),
        article_id=row["article_id"],
    )


# What reconciling reads of each claim: its fields, and its article's outlet and
# wire-copy mark (select them from claims joined with articles).
POINT_COLUMNS = (
    claims.c.id, claims.c.article_id, claims.c.outcome, claims.c.low, claims.c.high,
    claims.c.qualifier, claims.c.figure_text, claims.c.claimant_text, claims.c.claimant_code,
    claims.c.claimant_type, claims.c.victim_country, claims.c.victim_type, claims.c.status,
    claims.c.scope, claims.c.claim_date, claims.c.unverified, claims.c.cluster_id,
    claims.c.cluster_key, articles.c.outlet, articles.c.copy_of,
)


def not_rejected() -> ColumnElement[bool]:
    """The condition that keeps claims a reviewer rejected out of a query."""
    return or_(claims.c.review.is_(None), claims.c.review != "rejected")


def points_query() -> Select:
    """SELECT of POINT_COLUMNS over claims joined with their articles, leaving
    out rejected claims: they are in no cluster, series or conflict."""
    return (select(*POINT_COLUMNS).join(articles, articles.c.id == claims.c.article_id)
            .where(not_rejected()))


def point_of(row: Mapping[str, Any]) -> Point:
    """The reconcile Point of a claims row joined with its article's ``outlet``
    and ``copy_of``."""
    return Point(
        id=row["id"], article_id=row["article_id"], outcome=row["outcome"], low=row["low"],
        high=row["high"], qualifier=row["qualifier"], figure_text=row["figure_text"],
        claimant_text=row["claimant_text"], claimant_code=row["claimant_code"],
        claimant_type=row["claimant_type"], victim_country=row["victim_country"],
        victim_type=row["victim_type"], status=row["status"], scope=row["scope"],
        date=row["claim_date"], unverified=bool(row["unverified"]), outlet=row["outlet"],
        source=row["copy_of"] or row["article_id"], cluster_id=row["cluster_id"])

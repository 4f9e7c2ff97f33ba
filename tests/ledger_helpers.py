"""Articles and claims for ledger tests, built from the example wire report's words,
and a small ledger filled with them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tolltrack.ingest import Reject, content_hash
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

ROOT = Path(__file__).resolve().parents[1]
STORY = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
SENTENCE = ("Ukraine's defence ministry said more than 1,200 enemy soldiers had been killed "
            "since 1 March.")


def article(text: str = STORY, *, ident: str | None = None, outlet: str = "Wire Agency",
            date: dt.date | None = dt.date(2024, 3, 14), **more: Any) -> Article:
    """An Article with this text; its id is the text's hash unless given."""
    return Article(id=ident or content_hash(text), text=text, title=more.pop("title", None),
                   date=date, outlet=outlet, url=more.pop("url", None), language="en",
                   source=more.pop("source", "test.jsonl"), date_source="record", **more)


def claim(*, outcome: Outcome = Outcome.KILLED, low: int | None = 1200,
          high: int | None = None, qualifier: Qualifier = Qualifier.AT_LEAST,
          figure_text: str = "more than 1,200", claimant: Actor | None = None,
          country: str | None = "RUS", victim_type: VictimType = VictimType.MILITARY,
          scope: Scope = Scope.CUMULATIVE, status: Status = Status.CLAIMED,
          as_of: dt.date | None = None, place: Place | None = None,
          sentence: str = SENTENCE, start: int = 0) -> Claim:
    """A claim of the defence ministry's running total, with one mention."""
    return Claim(
        outcome=outcome, figure=Figure(low, high, qualifier, figure_text),
        victim=Victim("enemy soldiers", country, victim_type),
        claimant=claimant or Actor("Ukraine's defence ministry", "UKR", ClaimantType.MILITARY),
        status=status, unverified=True, scope=scope, location=place, as_of=as_of,
        period_start=dt.date(2024, 3, 1),
        perpetrator=Actor("Russian forces", "RUS", ClaimantType.MILITARY),
        mentions=(Mention(sentence, start, start + len(sentence)),))


KHARKIV = Place("Kharkiv", "UKR", "Kharkiv", 49.98081, 36.25272, 706483)


NATO = Actor("a Nato source", "NATO", ClaimantType.INTERNATIONAL)
GOVERNOR = Actor("Regional governor Andriy Kovalenko", "UKR", ClaimantType.OFFICIAL)


def fill(ledger: Any) -> None:
    """Store three articles over a week in ``ledger``: a defence ministry's running
    total on two days, a NATO range that contradicts it, and a governor's count
    of civilians killed and injured in Kharkiv (the injured count denied), plus
    one reject."""
    from tolltrack.store.writer import Stored, Writer

    first = article("Monday's report. " * 40, outlet="BBC", date=dt.date(2024, 3, 11))
    second = article("Wednesday's report. " * 40, outlet="CNN", date=dt.date(2024, 3, 13))
    third = article("Friday's report. " * 40, outlet="Kyiv Independent",
                    date=dt.date(2024, 3, 15))
    writer = Writer(ledger)
    run = writer.begin_run("ingest", [], "model", "v1")
    writer.store(run, [
        Stored(first, (claim(), claim(claimant=NATO, low=600, high=800,
                                      qualifier=Qualifier.RANGE, figure_text="600 to 800",
                                      status=Status.ESTIMATED))),
        Stored(second, (claim(low=1350, figure_text="more than 1,350"),)),
        Stored(third, (
            claim(outcome=Outcome.KILLED, low=3, high=3, qualifier=Qualifier.EXACT,
                  figure_text="three", claimant=GOVERNOR, country="UKR",
                  victim_type=VictimType.CIVILIAN, scope=Scope.INCIDENT, place=KHARKIV,
                  as_of=dt.date(2024, 3, 12),
                  sentence="Regional governor Andriy Kovalenko said three people died in "
                           "shelling of Kharkiv on Tuesday."),
            claim(outcome=Outcome.INJURED, low=12, high=12, qualifier=Qualifier.EXACT,
                  figure_text="12", claimant=GOVERNOR, country="UKR",
                  victim_type=VictimType.CIVILIAN, scope=Scope.INCIDENT, place=KHARKIV,
                  as_of=dt.date(2024, 3, 12), status=Status.DENIED))),
    ], [Reject("crawl/x.html", "no_text", "no story found")], 0, "v1")
    writer.finish_run(run, "finished")


def assert_clusters_consistent(ledger: Any) -> None:
    """The stored clusters, and every claim's cluster_id, are exactly what
    clustering all stored claims from scratch gives."""
    import json

    from sqlalchemy import select

    from tolltrack.reconcile import clusters
    from tolltrack.store import ClaimFilter, find_points
    from tolltrack.store.schema import clusters as table

    points = find_points(ledger, ClaimFilter())
    expected = {c.id: c for c in clusters(points)}
    with ledger.engine.connect() as conn:
        stored = {r["id"]: r for r in conn.execute(select(table)).mappings()}
    assert set(stored) == set(expected)
    for cid, c in expected.items():
        row = stored[cid]
        assert (row["cluster_key"], row["first_date"], row["last_date"],
                row["first_article_id"], row["article_count"], row["source_count"],
                json.loads(row["outlets"])) == (c.key, c.first_date, c.last_date,
                                                c.first_article_id, c.article_count,
                                                c.source_count, list(c.outlets))
    member_of = {m: c.id for c in expected.values() for m in c.members}
    assert {p.id: p.cluster_id for p in points} == member_of


def reset(url: str) -> None:
    """Make the ledger at ``url`` empty again: delete a SQLite file, or drop
    every table of a PostgreSQL database."""
    from sqlalchemy import create_engine, text

    from tolltrack.store.connection import ledger_url

    target = ledger_url(url)
    if target.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target.database}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()

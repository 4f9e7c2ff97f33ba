"""The single writer: batches, round trips, rejects, wire copies and clusters, on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_helpers import KHARKIV, STORY, article, assert_clusters_consistent, claim, reset
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tolltrack.ingest import Reject
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
from tolltrack.store import ClaimFilter, Ledger, find_claims, open_ledger
from tolltrack.store.schema import articles, claims, clusters, mentions, rejects
from tolltrack.store.writer import Stored, Writer

V = "test-1"


@pytest.fixture
def ledger(ledger_url: str) -> Ledger:
    opened = open_ledger(ledger_url, create=True)
    yield opened
    opened.close()


def store(ledger: Ledger, *items: Stored, rejected: tuple[Reject, ...] = ()) -> Writer:
    writer = Writer(ledger)
    run = writer.begin_run("ingest", ["test.jsonl"], "model", V)
    writer.store(run, items, rejected, 0, V)
    writer.finish_run(run, "finished")
    return writer


def count(ledger: Ledger, table: object) -> int:
    with ledger.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_claims_come_back_as_they_were_stored(ledger: Ledger) -> None:
    art = article()
    stated = [claim(place=KHARKIV, as_of=dt.date(2024, 3, 13)),
              claim(outcome=Outcome.INJURED, low=87, high=87, qualifier=Qualifier.EXACT,
                    figure_text="87", claimant=Actor("The UN mission", "UN",
                                                     ClaimantType.INTERNATIONAL),
                    country="UKR", victim_type=VictimType.CIVILIAN, scope=Scope.INCIDENT)]
    store(ledger, Stored(art, tuple(stated)))
    found = list(find_claims(ledger, ClaimFilter()))
    assert [sc.id for sc in found] == [f"{art.id}-1", f"{art.id}-2"]
    assert [sc.claim for sc in found] == [replace(c, article_id=art.id) for c in stated]
    assert found[0].outlet == "Wire Agency"
    assert found[0].to_dict()["cluster_id"] == found[0].id


def test_mention_offsets_point_into_the_stored_text(ledger: Ledger) -> None:
    sentence = "Regional governor Andriy Kovalenko said three people died"
    start = STORY.index(sentence)
    store(ledger, Stored(article(), (claim(sentence=sentence, start=start),)))
    (sc,) = find_claims(ledger, ClaimFilter())
    with ledger.engine.connect() as conn:
        text = conn.execute(select(articles.c.text)).scalar_one()
    m = sc.claim.mentions[0]
    assert text[m.start:m.end] == sentence


def test_a_batch_is_stored_whole_or_not_at_all(ledger: Ledger) -> None:
    first = article()
    store(ledger, Stored(first, (claim(),)))
    clash = article("Another story about other things entirely, told at length.",
                    ident=first.id)
    writer = Writer(ledger)
    run = writer.begin_run("ingest", [], "model", V)
    with pytest.raises(IntegrityError):
        writer.store(run, [Stored(article(STORY + "\n\nUpdated."), (claim(),)),
                           Stored(clash, (claim(),))], [Reject("x", "empty", "empty")], 0, V)
    assert (count(ledger, articles), count(ledger, claims), count(ledger, rejects)) == (1, 1, 0)


def test_a_reject_met_again_is_stored_once(ledger: Ledger) -> None:
    bad = Reject("crawl/a.jsonl", "empty", "line 3: no text", line=3)
    whole = Reject("crawl/b.bin", "binary", "binary file")
    store(ledger, rejected=(bad, whole))
    store(ledger, rejected=(bad, whole))
    assert count(ledger, rejects) == 2


def test_reprints_are_marked_as_copies_of_the_first(ledger: Ledger) -> None:
    original = article(outlet="Wire Agency")
    paragraphs = STORY.split("\n\n")
    reprint = article("\n\n".join(["Shelling kills three in Kharkiv", *paragraphs[1:]]),
                      outlet="Daily Courier", date=dt.date(2024, 3, 15))
    trimmed = article("\n\n".join(paragraphs[: len(paragraphs) * 2 // 3]),
                      outlet="Evening Post", date=dt.date(2024, 3, 15))
    unrelated = article(" ".join(["The council met on Tuesday to discuss the budget for "
                                  f"road repairs in district {n}." for n in range(30)]),
                        outlet="Evening Post")
    store(ledger, Stored(original, (claim(),)))
    store(ledger, Stored(reprint, (claim(),)), Stored(trimmed, (claim(),)),
          Stored(unrelated, ()))
    with ledger.engine.connect() as conn:
        marks = dict(conn.execute(select(articles.c.id, articles.c.copy_of)).all())
    assert marks == {original.id: None, reprint.id: original.id, trimmed.id: original.id,
                     unrelated.id: None}
    with ledger.engine.connect() as conn:
        (row,) = conn.execute(select(clusters)).mappings().all()
    assert (row["article_count"], row["source_count"], row["outlet_count"]) == (3, 1, 3)
    assert row["id"] == f"{original.id}-1"


def test_the_same_claim_from_two_outlets_is_one_cluster(ledger: Ledger) -> None:
    a = article("Report one. " * 40, outlet="BBC")
    b = article("A different write-up. " * 40, outlet="CNN", date=dt.date(2024, 3, 16))
    c = article("A later story. " * 40, outlet="CNN", date=dt.date(2024, 3, 20))
    store(ledger, Stored(a, (claim(),)), Stored(b, (claim(),)), Stored(c, (claim(),)))
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(clusters).order_by(clusters.c.first_date)).mappings().all()
        ids = dict(conn.execute(select(claims.c.id, claims.c.cluster_id)).all())
    assert [(r["first_date"], r["article_count"], r["source_count"]) for r in rows] == [
        (dt.date(2024, 3, 14), 2, 2), (dt.date(2024, 3, 20), 1, 1)]
    assert ids == {f"{a.id}-1": f"{a.id}-1", f"{b.id}-1": f"{a.id}-1",
                   f"{c.id}-1": f"{c.id}-1"}


def test_replacing_claims_reclusters_old_and_new_keys(ledger: Ledger) -> None:
    a = article("Report one. " * 40, outlet="BBC")
    b = article("A different write-up. " * 40, outlet="CNN")
    writer = store(ledger, Stored(a, (claim(),)), Stored(b, (claim(),)))
    run = writer.begin_run("reextract", [], "model", "test-2")
    writer.replace_claims(run, [Stored(a, (claim(low=1300, figure_text="more than 1,300"),))],
                          [], "test-2")
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(clusters.c.id, clusters.c.low, clusters.c.article_count)
                            .order_by(clusters.c.low)).all()
        versions = dict(conn.execute(select(articles.c.id, articles.c.extractor_version)).all())
    assert rows == [(f"{b.id}-1", 1200, 1), (f"{a.id}-1", 1300, 1)]
    assert versions == {a.id: "test-2", b.id: V}
    assert count(ledger, mentions) == 2


names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
codes = st.none() | st.sampled_from(["UKR", "RUS", "NATO", "UN"])
dates = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
figures = st.builds(Figure, st.none() | st.integers(0, 10**12), st.none() | st.integers(0, 10**12),
                    st.sampled_from(Qualifier), names)
places = st.none() | st.builds(Place, names, codes, st.none() | names,
                               st.none() | st.floats(-90, 90), st.none() | st.floats(-180, 180),
                               st.none() | st.integers(1, 10**7))
actors = st.builds(Actor, names, codes, st.none() | st.sampled_from(ClaimantType))
claims_st = st.builds(
    Claim, outcome=st.sampled_from(Outcome), figure=figures,
    victim=st.builds(Victim, names, codes, st.sampled_from(VictimType)), claimant=actors,
    status=st.sampled_from(Status), unverified=st.booleans(), scope=st.sampled_from(Scope),
    location=places, as_of=dates, period_start=dates, perpetrator=st.none() | actors,
    mentions=st.lists(st.builds(Mention, names, st.integers(0, 10**6), st.integers(0, 10**6)),
                      min_size=1, max_size=3).map(tuple))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(claims_st, max_size=4), st.text(min_size=1, max_size=200))
def test_any_claim_survives_the_round_trip(ledger: Ledger, stated: list[Claim], text: str
                                           ) -> None:
    art = Article(id=f"a{abs(hash((text, len(stated))))}", text=text + str(len(stated)),
                  date=dt.date(2024, 1, 1))
    with ledger.engine.connect() as conn:
        if conn.execute(select(articles.c.id).where(articles.c.id == art.id)).first():
            return
    if Writer(ledger).known([art]) != [None]:
        return
    store(ledger, Stored(art, tuple(stated)))
    found = [sc.claim for sc in find_claims(ledger, ClaimFilter(article_id=art.id))]
    expected = [Claim.from_dict(nul_free(replace(
        c, article_id=art.id, mentions=tuple(sorted(c.mentions, key=lambda m: m.start))
    ).to_dict())) for c in stated]
    key = lambda c: (c.as_of or dt.date.max, str(c))  # noqa: E731
    assert sorted(found, key=key) == sorted(expected, key=key)


def nul_free(value: object) -> object:
    """What the ledger stores for a value: NUL characters become U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {k: nul_free(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nul_free(v) for v in value]
    return value


def test_a_nul_character_is_stored_as_a_replacement_of_the_same_length(ledger: Ledger
                                                                       ) -> None:
    text = "Officials said\x00 three people were killed. " * 5
    start = text.index("three")
    art = article(text)
    store(ledger, Stored(art, (claim(sentence=text[start:start + 20], start=start),)))
    with ledger.engine.connect() as conn:
        stored = conn.execute(select(articles.c.text)).scalar_one()
    assert stored == text.replace("\x00", "\ufffd")
    (sc,) = find_claims(ledger, ClaimFilter())
    m = sc.claim.mentions[0]
    assert stored[m.start:m.end] == m.sentence


def test_reextracted_claims_that_change_order_and_key_recluster_cleanly(ledger: Ledger
                                                                         ) -> None:
    a = article("Report one. " * 40, outlet="BBC")
    b = article("A different write-up. " * 40, outlet="CNN")
    first = claim()
    second = claim(low=1300, figure_text="more than 1,300")
    writer = store(ledger, Stored(a, (first, second)), Stored(b, (first,)))
    run = writer.begin_run("reextract", [], "model", "v2")
    # The article's claims swap places: each id now names the other claim.
    writer.replace_claims(run, [Stored(a, (second, first))], [], "v2")
    assert_clusters_consistent(ledger)
    writer.replace_claims(run, [Stored(a, (claim(low=900, as_of=None),))], [], "v2")
    assert_clusters_consistent(ledger)
    with ledger.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(clusters)).scalar_one() == 2


day = st.integers(0, 20).map(lambda n: dt.date(2024, 3, 1) + dt.timedelta(days=n))
batch_claims = st.lists(st.tuples(st.sampled_from([100, 200]), st.none() | day), min_size=0,
                        max_size=3)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(batch_claims, min_size=1, max_size=8),
       st.lists(st.tuples(st.integers(0, 7), batch_claims), max_size=4))
def test_clusters_always_equal_clustering_from_scratch(
        ledger_url: str, batches: list, replacements: list) -> None:
    """However batches arrive (any dates, out of order, undated) and whatever
    re-extraction changes, the stored clusters are those of all claims at once."""
    reset(ledger_url)
    opened = open_ledger(ledger_url, create=True)
    writer = Writer(opened)
    run = writer.begin_run("ingest", [], "model", V)
    stored = []
    for n, spec in enumerate(batches):
        art = article(f"Article number {n}. " * 30, ident=f"art{n}", outlet=f"Outlet {n % 3}")
        stated = tuple(claim(low=low, figure_text=str(low), as_of=when) for low, when in spec)
        writer.store(run, [Stored(art, stated)], [], 0, V)
        stored.append(art)
        assert_clusters_consistent(opened)
    for index, spec in replacements:
        art = stored[index % len(stored)]
        stated = tuple(claim(low=low, figure_text=str(low), as_of=when) for low, when in spec)
        writer.replace_claims(run, [Stored(art, stated)], [], "v2")
        assert_clusters_consistent(opened)
    opened.close()

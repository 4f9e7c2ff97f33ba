"""Claims and articles survive a trip through plain dicts and JSON."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

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

texts = st.text(max_size=40)
codes = st.none() | st.sampled_from(["UKR", "RUS", "NATO", "UN", "WESTERN"])
dates = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
counts = st.none() | st.integers(min_value=0, max_value=10**9)

claims = st.builds(
    Claim,
    outcome=st.sampled_from(Outcome),
    figure=st.builds(Figure, counts, counts, st.sampled_from(Qualifier), texts),
    victim=st.builds(Victim, texts, codes, st.sampled_from(VictimType)),
    claimant=st.builds(Actor, texts, codes, st.none() | st.sampled_from(ClaimantType)),
    status=st.sampled_from(Status),
    unverified=st.booleans(),
    scope=st.sampled_from(Scope),
    location=st.none() | st.builds(Place, texts, codes, st.none() | texts,
                                   st.none() | st.floats(-90, 90), st.none() | st.floats(-180, 180),
                                   st.none() | st.integers(1, 10**8)),
    as_of=dates,
    period_start=dates,
    perpetrator=st.none() | st.builds(Actor, texts, codes, st.none()),
    mentions=st.lists(st.builds(Mention, texts, st.integers(0, 10**6), st.integers(0, 10**6)),
                      max_size=3).map(tuple),
    article_id=st.none() | texts,
)


@given(claims)
def test_claim_round_trips_through_json(claim: Claim) -> None:
    assert Claim.from_dict(json.loads(json.dumps(claim.to_dict()))) == claim


@given(st.builds(Article, texts, texts, st.none() | texts, dates, st.none() | texts,
                 st.none() | texts, st.none() | texts, st.none() | texts))
def test_article_round_trips_through_json(article: Article) -> None:
    assert Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article


def test_claim_dict_has_the_spec_fields() -> None:
    claim = Claim(Outcome.KILLED, Figure(20000, None, Qualifier.AT_LEAST, "more than 20,000"),
                  Victim("troops", "RUS", VictimType.MILITARY))
    assert set(claim.to_dict()) == {
        "article_id", "outcome", "figure", "victim", "claimant", "status", "unverified",
        "scope", "location", "as_of", "period_start", "perpetrator", "mentions"}
    assert claim.to_dict()["claimant"] == {"text": "", "code": None, "type": "outlet"}

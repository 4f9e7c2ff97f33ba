"""The whole cascade on short wire-style reports: claimants, hedges, scope, dates, merging."""

from __future__ import annotations

import datetime as dt

import pytest

from tolltrack.extract import extract, extract_many
from tolltrack.model import Article, Claim, ClaimantType, Outcome, Qualifier, Scope, Status

REPORT = """Ministry says 1,200 enemy soldiers killed since March

KYIV, 14 March - The defence ministry said on Tuesday that more than 1,200 enemy soldiers \
had been killed since 1 March. The figure could not be independently verified.

The UN human rights office said at least 41 civilians were killed and 87 injured in \
Kharkiv in the past week.

Western officials put the number of enemy troops killed at between 3,000 and 5,000.

The regional governor said three people died and 12 were wounded in shelling on Tuesday.

Photo: Smoke rises over the city after an attack that killed 9 people. (AP Photo/Staff)
Read more: Five killed in overnight strike on Odesa
"""


@pytest.fixture(scope="module")
def claims() -> list[Claim]:
    return extract(Article(id="report", text=REPORT, date=dt.date(2024, 3, 14)))


def _by_figure(claims: list[Claim], low: int, outcome: Outcome,
               qualifier: Qualifier | None = None) -> Claim:
    found = [c for c in claims if c.figure.low == low and c.outcome is outcome
             and qualifier in (None, c.figure.qualifier)]
    assert len(found) == 1, [(c.outcome, c.figure.low) for c in claims]
    return found[0]


def test_ministry_claim_with_scope_period_and_hedge(claims: list[Claim]) -> None:
    c = _by_figure(claims, 1200, Outcome.KILLED, Qualifier.AT_LEAST)
    assert c.claimant.type is ClaimantType.MILITARY
    assert c.status is Status.CLAIMED
    assert c.scope is Scope.CUMULATIVE
    assert c.period_start == dt.date(2024, 3, 1)
    assert c.unverified  # the next sentence says it could not be verified
    # The headline states a rounder figure ("1,200", not "more than 1,200"): a claim
    # of its own, attributed to the ministry its own verb names.
    headline = _by_figure(claims, 1200, Outcome.KILLED, Qualifier.EXACT)
    assert headline.claimant.text == "Ministry"
    assert headline.mentions[0].start == 0


def test_un_figures_with_place(claims: list[Claim]) -> None:
    killed = _by_figure(claims, 41, Outcome.KILLED)
    injured = _by_figure(claims, 87, Outcome.INJURED)
    for c in (killed, injured):
        assert c.claimant.code == "UN"
        assert c.claimant.type is ClaimantType.INTERNATIONAL
        assert c.location is not None and c.location.country == "UKR"
    assert killed.victim.type.value == "civilian"
    assert injured.victim.type.value == "civilian"  # "87 injured" carries "civilians"


def test_range_estimate_by_western_officials(claims: list[Claim]) -> None:
    c = _by_figure(claims, 3000, Outcome.KILLED)
    assert (c.figure.low, c.figure.high, c.figure.qualifier) == (3000, 5000, Qualifier.RANGE)
    assert c.claimant.code == "WESTERN"
    assert c.status is Status.ESTIMATED


def test_local_official_takes_the_country_of_the_place(claims: list[Claim]) -> None:
    died = _by_figure(claims, 3, Outcome.KILLED)
    wounded = _by_figure(claims, 12, Outcome.INJURED)
    assert died.claimant.type is ClaimantType.OFFICIAL
    assert died.claimant.code == "UKR"
    assert died.as_of == dt.date(2024, 3, 12)  # the Tuesday before 14 March 2024
    assert wounded.scope is Scope.INCIDENT


def test_furniture_gives_no_claims(claims: list[Claim]) -> None:
    assert not [c for c in claims if c.figure.low in (9, 5)]


def test_mentions_point_into_the_text(claims: list[Claim]) -> None:
    for c in claims:
        for m in c.mentions:
            assert REPORT[m.start:m.end] == m.sentence


def test_quote_over_several_sentences_belongs_to_its_speaker() -> None:
    text = ('The health ministry said in a statement: "Our teams have recovered the bodies '
            'of 27 people. Another 40 are still missing under the rubble.')
    claims = extract(Article(id="q", text=text))
    missing = [c for c in claims if c.outcome is Outcome.MISSING]
    assert missing and missing[0].claimant.text.endswith("health ministry")
    assert missing[0].claimant.type is ClaimantType.GOVERNMENT


def test_accusation_names_claimant_and_perpetrator() -> None:
    text = "Ukraine accused Russian troops of killing hundreds of civilians in the town of Bucha."
    [claim] = extract(Article(id="a", text=text))
    assert claim.claimant.code == "UKR"
    assert claim.perpetrator is not None and claim.perpetrator.code == "RUS"
    assert claim.figure.qualifier is Qualifier.VAGUE
    assert (claim.figure.low, claim.figure.high) == (200, 999)
    assert claim.location is not None and claim.location.name == "Bucha"


def test_empty_and_claimless_articles() -> None:
    assert extract(Article(id="e", text="")) == []
    assert extract(Article(id="n", text="The talks resumed in Geneva on Monday.")) == []
    assert extract_many([Article(id="e", text="   "), Article(id="x", text="Nothing here.")]) \
        == [[], []]


def test_a_question_claims_nothing() -> None:
    text = "Is the Kremlin counting on 20 million losses? Officials said 12 soldiers died."
    claims = extract(Article(id="q", text=text))
    assert [(c.figure.low, c.outcome) for c in claims] == [(12, Outcome.KILLED)]


def test_dates_at_the_edge_of_the_calendar_do_not_stop_extraction() -> None:
    text = "Ten people were killed on Monday and last month 40 others were wounded."
    claims = extract(Article(id="d", text=text, date=dt.date(1, 1, 1)))
    assert {c.figure.low for c in claims} == {10, 40}


def test_capitals_are_parsed_in_sentence_case_but_reported_as_written() -> None:
    text = "THREE SOLDIERS WERE KILLED IN THE ATTACK, THE ARMY SAID."
    [claim] = extract(Article(id="c", text=text))
    assert claim.figure.text == "THREE"
    assert claim.victim.text == "SOLDIERS"
    assert claim.claimant.text == "THE ARMY"


def test_a_failing_article_is_reported_and_the_batch_goes_on(monkeypatch) -> None:
    from tolltrack.extract import pipeline

    real = pipeline._claims

    def fragile(item, parsed, options):  # type: ignore[no-untyped-def]
        if item.article.id == "bad":
            raise RuntimeError("boom")
        return real(item, parsed, options)

    monkeypatch.setattr(pipeline, "_claims", fragile)
    failures: list[str] = []
    results = extract_many(
        [Article(id="bad", text="Five people were killed."),
         Article(id="good", text="Six people were killed.")],
        on_error=lambda article, exc: failures.append(f"{article.id}: {exc}"))
    assert failures == ["bad: boom"]
    assert results[0] == [] and [c.figure.low for c in results[1]] == [6]
    with pytest.raises(RuntimeError):
        extract_many([Article(id="bad", text="Five people were killed.")])


def test_the_screen_keeps_only_story_sentences_with_a_figure_near_an_outcome() -> None:
    from tolltrack.extract.pipeline import candidates
    from tolltrack.options import Options

    kept = [s.text for s in candidates(Article(id="r", text=REPORT), Options())]
    assert any(s.startswith("The regional governor said three people died") for s in kept)
    assert not any("Read more" in s or "AP Photo" in s for s in kept)
    assert not any(s.startswith("KYIV") for s in kept)

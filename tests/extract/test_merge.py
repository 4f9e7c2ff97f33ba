"""Mentions of one claim in one article fold into one claim; different claims stay apart."""

from __future__ import annotations

from tolltrack.extract.merge import merge_claims
from tolltrack.model import (
    OUTLET,
    Actor,
    Claim,
    ClaimantType,
    Figure,
    Mention,
    Outcome,
    Qualifier,
    Victim,
    VictimType,
)

UN = Actor("the UN", "UN", ClaimantType.INTERNATIONAL)


def claim(low: int, at: int, victim: str = "civilians", kind: VictimType = VictimType.CIVILIAN,
          outcome: Outcome = Outcome.KILLED, who: Actor = UN,
          qualifier: Qualifier = Qualifier.EXACT) -> Claim:
    return Claim(outcome, Figure(low, low, qualifier, str(low)), Victim(victim, "UKR", kind),
                 who, mentions=(Mention(f"s{at}", at, at + 10),))


def test_same_claim_twice_becomes_one_with_both_mentions() -> None:
    merged = merge_claims([claim(41, 0), claim(41, 100)])
    assert len(merged) == 1
    assert [m.start for m in merged[0].mentions] == [0, 100]


def test_different_claimants_qualifiers_victims_and_outcomes_stay_apart() -> None:
    assert len(merge_claims([claim(41, 0), claim(41, 100, who=OUTLET)])) == 2
    assert len(merge_claims([claim(41, 0), claim(41, 100, qualifier=Qualifier.AT_LEAST)])) == 2
    assert len(merge_claims([claim(2, 0, "women"), claim(2, 100, "soldiers",
                                                         VictimType.MILITARY)])) == 2
    assert len(merge_claims([claim(2, 0, "a man and his wife"), claim(2, 100, "civilians")])) == 2
    assert len(merge_claims([claim(7, 0), claim(7, 100, outcome=Outcome.INJURED)])) == 2


def test_bodies_and_killed_of_one_figure_merge() -> None:
    merged = merge_claims([claim(1500, 0, "troops", VictimType.MILITARY),
                           claim(1500, 90, "soldiers", VictimType.MILITARY, Outcome.BODIES)])
    assert len(merged) == 1 and merged[0].outcome is Outcome.BODIES

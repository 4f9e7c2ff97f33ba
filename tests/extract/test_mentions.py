"""Figures tied to outcomes and victims in parsed sentences, and numbers that count no one."""

from __future__ import annotations

import pytest

from tolltrack.extract.mentions import mentions_in
from tolltrack.extract.parse import parser
from tolltrack.extract.words import words
from tolltrack.model import Outcome, VictimType
from tolltrack.options import DEFAULT_MODEL


def _mentions(sentence: str) -> list[tuple[Outcome, int | None, int | None, VictimType]]:
    doc = next(parser(DEFAULT_MODEL).pipe([sentence]))
    return [(m.outcome, m.figure.low, m.figure.high, m.victim_type)
            for m in mentions_in(doc, words()) if not m.hypothetical]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("At least 19 people were killed on Monday when two missiles hit a shopping centre.",
     [(Outcome.KILLED, 19, None, VictimType.UNKNOWN)]),
    ("Eight people have been killed and four have been wounded in shelling of the town.",
     [(Outcome.KILLED, 8, 8, VictimType.UNKNOWN), (Outcome.INJURED, 4, 4, VictimType.UNKNOWN)]),
    ("Air strikes killed at least 21 civilians in the north of the country, a monitor said.",
     [(Outcome.KILLED, 21, None, VictimType.CIVILIAN)]),
    ("There are more than 1,500 corpses of enemy soldiers in the city morgue.",
     [(Outcome.BODIES, 1500, None, VictimType.MILITARY)]),
    ("The agency said 3.7 million refugees had registered for protection.",
     [(Outcome.DISPLACED, 3700000, 3700000, VictimType.CIVILIAN)]),
    ("Officials put the number of soldiers killed at between 7,000 and 15,000.",
     [(Outcome.KILLED, 7000, 15000, VictimType.MILITARY)]),
    ("The death toll from the blast rose to 34 on Tuesday.",
     [(Outcome.KILLED, 34, 34, VictimType.UNKNOWN)]),
    ("Rescue workers recovered three bodies from the rubble of the school.",
     [(Outcome.BODIES, 3, 3, VictimType.UNKNOWN)]),
    ("The rebels abducted at least 415 people in the province.",
     [(Outcome.CAPTURED, 415, None, VictimType.UNKNOWN)]),
    ("Hundreds of civilians fled the fighting overnight.",
     [(Outcome.DISPLACED, 200, 999, VictimType.CIVILIAN)]),
    ("A man was shot in the leg outside a bar on Main Street.",
     [(Outcome.INJURED, 1, 1, VictimType.UNKNOWN)]),
    ("A teenager was shot dead near the park late on Friday.",
     [(Outcome.KILLED, 1, 1, VictimType.CIVILIAN)]),
    ("Three children were among the wounded, the governor said.",
     [(Outcome.INJURED, 3, 3, VictimType.CIVILIAN)]),
    ("53 prisoners of war were killed in an explosion at the barracks.",
     [(Outcome.KILLED, 53, 53, VictimType.MILITARY)]),
    ("The minister said about 20 people that he called terrorists were killed.",
     [(Outcome.KILLED, 20, 20, VictimType.MILITARY)]),
    ("More than a quarter of a million people have been killed since the war began.",
     [(Outcome.KILLED, 250000, None, VictimType.UNKNOWN)]),
])
def test_figures_tied_to_outcomes(sentence: str, expected: list[tuple]) -> None:
    assert _mentions(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The army lost 12 tanks and 30 armoured vehicles in the battle.",
    "The commander of the 37th brigade was replaced in 2014.",
    "Delegates voted 93 to 24 to suspend the country from the council.",
    "Andrew Hill, 35, a father of four from Plymouth, was captured in the south.",
    "The fighting could kill thousands if the ceasefire collapses.",
    "No one was injured in the fire, which destroyed 40 homes.",
    "The war has cost $5 billion so far.",
    "The senator died on 23 April at 88.",
    "The army would have to kidnap or murder the 60,000 members of the union.",
])
def test_numbers_that_count_no_one(sentence: str) -> None:
    assert _mentions(sentence) == []

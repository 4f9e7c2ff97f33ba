"""Dates resolved against the article date, scope and hedges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.extract.circumstances import dates_of, hedged, scope_of, verification_hedge
from tolltrack.extract.words import words
from tolltrack.model import Figure, Qualifier, Scope

BASE = dt.date(2022, 4, 14)  # a Thursday


@pytest.mark.parametrize(("sentence", "as_of", "start"), [
    ("killed on Monday", dt.date(2022, 4, 11), None),
    ("killed on Thursday", BASE, None),
    ("killed yesterday", dt.date(2022, 4, 13), None),
    ("a source said last month", dt.date(2022, 3, 1), None),
    ("since 24 February", None, dt.date(2022, 2, 24)),
    ("since February 24 the army has lost", None, dt.date(2022, 2, 24)),
    ("on 3 March", dt.date(2022, 3, 3), None),
    ("on April 12, 2022", dt.date(2022, 4, 12), None),
    ("on 20 December", dt.date(2021, 12, 20), None),  # no year: the last one before
    ("no date here", None, None),
])
def test_dates(sentence: str, as_of: dt.date | None, start: dt.date | None) -> None:
    assert dates_of(sentence, BASE) == (as_of, start)


def test_dates_without_a_base_stay_unknown() -> None:
    assert dates_of("killed on Monday", None) == (None, None)


@pytest.mark.parametrize(("sentence", "low", "scope"), [
    ("20,000 troops have been killed since the invasion began", 20000, Scope.CUMULATIVE),
    ("Eight people died in the shelling on Monday", 8, Scope.INCIDENT),
    ("37,000 dead soldiers", 37000, Scope.CUMULATIVE),
    ("four were wounded", 4, Scope.INCIDENT),
])
def test_scope(sentence: str, low: int, scope: Scope) -> None:
    assert scope_of(sentence, Figure(low, low, Qualifier.EXACT, str(low)), words()) is scope


def test_hedges() -> None:
    w = words()
    assert hedged("Seven people were reportedly killed", w)
    assert hedged("Two British nationals have been reported killed", w)
    assert not hedged("Seven people were killed, the governor said", w)
    assert verification_hedge("The figure could not be independently verified.", w) == 17
    assert verification_hedge("The governor said seven died.", w) is None


@given(st.dates(), st.sampled_from(["on Monday", "yesterday", "last month", "last year",
                                    "this week", "since 24 February", "on 29 February",
                                    "on December 31", "last week"]))
def test_resolved_dates_never_fall_after_the_article(base: dt.date, words_: str) -> None:
    as_of, start = dates_of(f"Ten people were killed {words_}.", base)
    for day in (as_of, start):
        assert day is None or day <= base

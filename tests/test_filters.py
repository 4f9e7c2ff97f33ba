"""Filter words as typed on the command line or in a query string."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.filters import FilterError, claim_filter, parse_when

TODAY = dt.date(2024, 3, 31)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-14", dt.date(2024, 3, 14)),
    ("2024-3-4", dt.date(2024, 3, 4)),
    ("2024-03", dt.date(2024, 3, 1)),
    ("2022", dt.date(2022, 1, 1)),
    ("today", TODAY),
    (" Yesterday ", dt.date(2024, 3, 30)),
    ("3 days ago", dt.date(2024, 3, 28)),
    ("1 day ago", dt.date(2024, 3, 30)),
    ("2 weeks ago", dt.date(2024, 3, 17)),
    ("1 month ago", dt.date(2024, 2, 28)),
    ("2 years ago", dt.date(2022, 3, 28)),
    ("", None),
    (None, None),
])
def test_dates(text: str | None, expected: dt.date | None) -> None:
    assert parse_when("since", text, TODAY) == expected


@pytest.mark.parametrize("text", ["yesterdayish", "2024-13-01", "2024-02-30", "last week",
                                  "14/03/2024", "-3 days ago", "soon", "99999999 days ago",
                                  "3000 years ago", "99999999999999999999 weeks ago"])
def test_bad_dates_name_the_filter_and_the_forms(text: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_when("since", text, TODAY)
    assert caught.value.name == "since"
    assert caught.value.value == text
    assert "YYYY-MM-DD" in caught.value.accepted and "days" in caught.value.accepted


def test_lists_are_comma_separated_and_case_free() -> None:
    f = claim_filter(outcome="Killed, injured", victim_type="MILITARY", status="claimed",
                     victim_country="Russia,ukr,Russians", claimant="NATO,defence ministry",
                     search="  Bucha ", today=TODAY)
    assert f.outcomes == ("killed", "injured")
    assert f.victim_types == ("military",)
    assert f.victim_countries == ("RUS", "UKR", "RUS")
    assert f.claimants == ("NATO", "defence ministry")
    assert f.search == "Bucha"


@pytest.mark.parametrize(("given", "name"), [
    ({"outcome": "kiled"}, "outcome"),
    ({"victim_type": "soldiers"}, "victim_type"),
    ({"status": "rumoured"}, "status"),
    ({"victim_country": "Atlantis"}, "victim_country"),
    ({"until": "someday"}, "until"),
    ({"since": "2024-03-20", "until": "2024-03-01"}, "until"),
])
def test_bad_values_name_their_filter(given: dict[str, str], name: str) -> None:
    with pytest.raises(FilterError) as caught:
        claim_filter(today=TODAY, **given)
    assert caught.value.name == name


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_an_iso_date_reads_back_as_itself(day: dt.date) -> None:
    assert parse_when("since", day.isoformat(), TODAY) == day


@given(st.integers(0, 10**12), st.sampled_from(["day", "days", "week", "weeks", "month",
                                               "years"]))
def test_any_count_back_is_a_date_or_a_filter_error(n: int, unit: str) -> None:
    try:
        day = parse_when("until", f"{n} {unit} ago", TODAY)
    except FilterError as exc:
        assert exc.name == "until"
        return
    assert day is not None and day <= TODAY
    if unit.startswith(("day", "week")):
        assert day == TODAY - dt.timedelta(days=n * (7 if unit.startswith("week") else 1))

"""Numbers, figure phrases and figure spans: the forms of spec/claims.md and their rejects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.model import Figure, Qualifier
from tolltrack.numbers import FigureSpan, find_figures, parse_figure, parse_number

Q = Qualifier

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_thousand(n: int) -> str:
    """1..999 in British words: "one hundred and five", "twenty-three"."""
    hundreds, rest = divmod(n, 100)
    words = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        if hundreds:
            words.append("and")
        tens, ones = divmod(rest, 10)
        if rest < 20:
            words.append(_ONES[rest])
        else:
            words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    return " ".join(words)


def to_words(n: int) -> str:
    """0..999,999,999 in words: "two million three hundred thousand and one"."""
    if n == 0:
        return "zero"
    words = []
    for scale, name in ((1_000_000, "million"), (1_000, "thousand")):
        count, n = divmod(n, scale)
        if count:
            words.append(f"{_below_thousand(count)} {name}")
    if n:
        if words and n < 100:
            words.append("and")
        words.append(_below_thousand(n))
    return " ".join(words)


@pytest.mark.parametrize(("n", "words"), [
    (105, "one hundred and five"),
    (23, "twenty-three"),
    (2_300_001, "two million three hundred thousand and one"),
    (1_000_100, "one million one hundred"),
])
def test_to_words_helper(n: int, words: str) -> None:
    assert to_words(n) == words


@pytest.mark.parametrize(("text", "expected"), [
    ("1,500", 1500), ("1 500", 1500), ("1\u00a0500", 1500), ("20000", 20000), ("0", 0),
    ("1,000,000", 1_000_000), ("1.5 million", 1_500_000), ("1.5million", 1_500_000),
    ("20 thousand", 20_000), ("3m", 3_000_000), ("5k", 5000), ("5K", 5000),
    ("2.5bn", 2_500_000_000), ("1.2mn", 1_200_000), ("3M", 3_000_000),
    ("twenty-three", 23), ("twenty three", 23), ("one hundred and five", 105),
    ("one hundred five", 105), ("a hundred", 100), ("a thousand", 1000),
    ("a million", 1_000_000), ("fifteen hundred", 1500), ("two dozen", 24), ("a dozen", 12),
    ("half a million", 500_000), ("one hundred and five million", 105_000_000),
    ("two million three hundred thousand and one", 2_300_001), ("three billion", 3 * 10**9),
    ("Three", 3), ("SEVEN", 7), ("ONE HUNDRED AND FIVE", 105), ("  ten ", 10), ("zero", 0),
])
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", [
    "", "ten people", "often", "tens", "1.5", "2.25 thousand and", "hundreds", "a", "and",
    "one and two", "5km", "37th", "first", "1,50", "1e5", "twenty-tree",
    # More than the world's people: a count of something else.
    "999,999,999,999,999 billion", "twenty billion", "11,000,000,000", "3 trillion",
])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "low", "high", "qualifier"), [
    ("1,500", 1500, 1500, Q.EXACT),
    ("more than 20,000", 20000, None, Q.AT_LEAST),
    ("MORE THAN 20,000", 20000, None, Q.AT_LEAST),
    ("over 300", 300, None, Q.AT_LEAST),
    ("at least 19", 19, None, Q.AT_LEAST),
    ("upwards of 40", 40, None, Q.AT_LEAST),
    ("in excess of 4,000", 4000, None, Q.AT_LEAST),
    ("no fewer than 5", 5, None, Q.AT_LEAST),
    ("no less than 5", 5, None, Q.AT_LEAST),
    ("1,000+", 1000, None, Q.AT_LEAST),
    ("300-plus", 300, None, Q.AT_LEAST),
    ("20 or more", 20, None, Q.AT_LEAST),
    ("more than a dozen", 12, None, Q.AT_LEAST),
    ("up to 29", 29, 29, Q.AT_MOST),
    ("as many as 29", 29, 29, Q.AT_MOST),
    ("fewer than 7", 7, 7, Q.AT_MOST),
    ("no more than 6", 6, 6, Q.AT_MOST),
    ("40 or fewer", 40, 40, Q.AT_MOST),
    ("about 20", 20, 20, Q.APPROX),
    ("nearly 2.5bn", 2_500_000_000, 2_500_000_000, Q.APPROX),
    ("almost 1,000", 1000, 1000, Q.APPROX),
    ("some 300", 300, 300, Q.APPROX),
    ("roughly 50", 50, 50, Q.APPROX),
    ("around 60", 60, 60, Q.APPROX),
    ("approximately 8", 8, 8, Q.APPROX),
    ("an estimated 11", 11, 11, Q.APPROX),
    ("close to 10", 10, 10, Q.APPROX),
    ("~9", 9, 9, Q.APPROX),
    ("3,000 or so", 3000, 3000, Q.APPROX),
    ("thirty-odd", 30, 30, Q.APPROX),
    ("ABOUT TWENTY", 20, 20, Q.APPROX),
    ("between 7,000 and 15,000", 7000, 15000, Q.RANGE),
    ("7,000-15,000", 7000, 15000, Q.RANGE),
    ("7,000 to 15,000", 7000, 15000, Q.RANGE),
    ("7,000\u201315,000", 7000, 15000, Q.RANGE),  # en dash
    ("7,000 \u2014 15,000", 7000, 15000, Q.RANGE),  # em dash
    ("98-117 thousand", 98000, 117000, Q.RANGE),
    ("5 to 10 million", 5_000_000, 10_000_000, Q.RANGE),
    ("1.5-2 million", 1_500_000, 2_000_000, Q.RANGE),
    ("900 to 1.2 million", 900, 1_200_000, Q.RANGE),
    ("between one hundred and two hundred", 100, 200, Q.RANGE),
    ("two or three", 2, 3, Q.RANGE),
    ("BETWEEN SEVEN AND FIFTEEN", 7, 15, Q.RANGE),
    ("a couple", 2, 2, Q.VAGUE),
    ("a few", 3, 9, Q.VAGUE),
    ("several", 3, 9, Q.VAGUE),
    ("a dozen", 12, 12, Q.VAGUE),
    ("dozens", 24, 99, Q.VAGUE),
    ("scores", 24, 99, Q.VAGUE),
    ("hundreds", 200, 999, Q.VAGUE),
    ("HUNDREDS", 200, 999, Q.VAGUE),
    ("thousands", 2000, 9999, Q.VAGUE),
    ("tens of thousands", 20000, 99999, Q.VAGUE),
    ("hundreds of thousands", 200000, 999999, Q.VAGUE),
    ("millions", 2_000_000, None, Q.VAGUE),
    ("many", None, None, Q.VAGUE),
    ("numerous", None, None, Q.VAGUE),
    ("a number of", None, None, Q.VAGUE),
    ("countless", None, None, Q.VAGUE),
    ("significant", None, None, Q.VAGUE),
    ("several hundred", 300, 999, Q.VAGUE),
    ("a few thousand", 3000, 9999, Q.VAGUE),
    ("many thousands", 2000, 9999, Q.VAGUE),
    ("another five", 5, 5, Q.EXACT),
    ("a further nine", 9, 9, Q.EXACT),
    ("two more", 2, 2, Q.EXACT),
])
def test_parse_figure(text: str, low: int | None, high: int | None, qualifier: Qualifier) -> None:
    assert parse_figure(text) == Figure(low, high, qualifier, text)


@pytest.mark.parametrize("text", ["", "soldiers", "7 and 15", "20 killed", "more than"])
def test_parse_figure_needs_exactly_one_figure(text: str) -> None:
    assert parse_figure(text) is None


def test_parse_figure_strips_the_text() -> None:
    assert parse_figure("  about 20 ") == Figure(20, 20, Q.APPROX, "about 20")


def _found(sentence: str) -> list[tuple[str, str | None]]:
    return [(s.figure.text, s.reject) for s in find_figures(sentence)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Ukraine has claimed more than 20,000 Russian troops were killed.",
     [("more than 20,000", None)]),
    ("At least 19 people died and between 7,000 and 15,000 were displaced.",
     [("At least 19", None), ("between 7,000 and 15,000", None)]),
    ("Another five were wounded, a further nine died and two more are missing.",
     [("Another five", None), ("a further nine", None), ("two more", None)]),
    ("Hundreds of civilians and tens of thousands of troops.",
     [("Hundreds", None), ("tens of thousands", None)]),
    ("Scores of people were killed; he scores a goal.", [("Scores", None)]),
    ("Scores were killed.", [("Scores", None)]),
    ("No one died. Someone often said anyone could. No-one else.", []),
    ("One of the soldiers died.", [("One", None)]),
    ("as many as possible; how many died?", []),
    ("Many died and numerous were hurt; a number of bodies.",
     [("Many", None), ("numerous", None), ("a number of", None)]),
    ("Heavy Russian losses, significant casualties, mass killings; heavy rain, a mass of people.",
     [("Heavy", None), ("significant", None), ("mass", None)]),
    ("The toll rose from 20 to 30.", [("20", None), ("30", None)]),
    ("The 3-1 win.", [("3", None), ("1", None)]),
    ("THE BOMB KILLED 20 PEOPLE AND WOUNDED THIRTY-ONE.", [("20", None), ("THIRTY-ONE", None)]),
    ("20 MAY HAVE DIED", [("20", None)]),
    ("Killed: 1,500", [("1,500", None)]),
    ("It was 2022-02-24 when 12 died.", [("12", None)]),
    ("1,2 or 12,3456", [("1", None), ("12", None)]),
])
def test_find_figures(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "figure_text", "reject"), [
    ("It happened in 2014.", "2014", "year"),
    ("On April 12, 2022, officials spoke.", "2022", "year"),
    ("In the 1990s.", "1990s", "year"),
    ("between 2014 and 2022", "between 2014 and 2022", "year"),
    ("the 1941-45 war", "1941-45", "year"),
    ("since 24 February", "24", "date"),
    ("On April 12, 2022, officials spoke.", "12", "date"),
    ("Feb. 24", "24", "date"),
    ("on the 24th of February", "24th", "date"),
    ("the twenty-fourth of February", "twenty-fourth", "date"),
    ("ON 20 MAY THREE DIED", "20", "date"),
    ("May 9 parade", "9", "date"),
    ("on 24/02/2022", "24", "date"),
    ("a 61-year-old man", "61", "age"),
    ("a 24-year-old", "24", "age"),
    ("a three-year-old girl", "three", "age"),
    ("aged 61", "61", "age"),
    ("at the age of 61", "61", "age"),
    ("men aged between 18 and 60", "between 18 and 60", "age"),
    ("in their 60s", "60s", "age"),
    ("the 37th brigade", "37th", "ordinal"),
    ("the 61th", "61th", "ordinal"),
    ("the first attack", "first", "ordinal"),
    ("the twenty-first day", "twenty-first", "ordinal"),
    ("$20 million in aid", "20 million", "money"),
    ("£3m", "3m", "money"),
    ("millions of dollars", "millions", "money"),
    ("5bn roubles", "5bn", "money"),
    ("500 hryvnia", "500", "money"),
    ("15% of the budget", "15", "percent"),
    ("30 per cent", "30", "percent"),
    ("25 percent", "25", "percent"),
    ("200 kilometers away", "200", "unit"),
    ("200km away", "200km", "unit"),
    ("for 12 hours", "12", "unit"),
    ("a 12-hour siege", "12", "unit"),
    ("in three days", "three", "unit"),
    ("two more days", "two more", "unit"),
    ("over 24 hours", "over 24", "unit"),
    ("hundreds of years of history", "hundreds", "unit"),
    ("a couple of days", "a couple", "unit"),
    ("155mm shells", "155mm", "unit"),
    ("three times as many", "three", "unit"),
    ("at 8 p.m.", "8", "time"),
    ("at 8pm", "8pm", "time"),
    ("at 10:30", "10", "time"),
    ("at 0800 GMT", "0800", "time"),
    ("The Senate voted 93 to 24.", "93 to 24", "vote"),
    ("by a vote of 93-24", "93-24", "vote"),
    ("two-thirds of the dead", "two", "fraction"),
    ("Su-25 jets", "25", "designation"),
])
def test_rejects(sentence: str, figure_text: str, reject: str) -> None:
    assert (figure_text, reject) in _found(sentence)


@pytest.mark.parametrize(("sentence", "figure_text"), [
    ("more than 2000 people", "more than 2000"),  # a qualified number is no year
    ("1,900 soldiers", "1,900"),  # a comma is no year
    ("In March, 12 people were killed", "12"),
    ("twelve killed", "twelve"),
    ("12 tanks were destroyed", "12"),  # equipment is for the caller to judge
])
def test_counts_are_not_rejected(sentence: str, figure_text: str) -> None:
    assert (figure_text, None) in _found(sentence)


def test_span_offsets_cover_qualifiers() -> None:
    sentence = "Officials said at least 19 people and between 7,000 and 15,000 troops died."
    first, second = sentence.index("at least"), sentence.index("between")
    assert find_figures(sentence) == [
        FigureSpan(first, first + 11, Figure(19, None, Q.AT_LEAST, "at least 19")),
        FigureSpan(second, second + 24, Figure(7000, 15000, Q.RANGE, "between 7,000 and 15,000")),
    ]


def test_find_figures_values() -> None:
    (span,) = find_figures("Russia lost 98-117 thousand soldiers.")
    assert span.figure == Figure(98000, 117000, Q.RANGE, "98-117 thousand")
    (span,) = find_figures("some 1.5 million refugees")
    assert span.figure == Figure(1_500_000, 1_500_000, Q.APPROX, "some 1.5 million")


@given(st.integers(0, 10**9))
def test_digits_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.integers(0, 999_999_999))
def test_words_round_trip(n: int) -> None:
    words = to_words(n)
    assert parse_number(words) == n
    assert parse_number(words.upper()) == n


@given(st.integers(0, 10**9))
def test_found_in_a_sentence(n: int) -> None:
    spans = find_figures(f"Officials said {n:,} people were killed.")
    assert [(s.figure.low, s.figure.qualifier, s.reject) for s in spans] == [(n, Q.EXACT, None)]


@given(st.text())
def test_find_figures_never_raises(text: str) -> None:
    previous_end = 0
    for span in find_figures(text):
        assert previous_end <= span.start < span.end <= len(text)
        assert text[span.start:span.end] == span.figure.text
        previous_end = span.end


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-+~$%:/aAbdefhiklmnorstuvwy")),
               max_size=60))
def test_find_figures_on_number_like_text(text: str) -> None:
    for span in find_figures(text):
        assert text[span.start:span.end] == span.figure.text
        figure = span.figure
        if figure.low is not None and figure.high is not None:
            assert figure.low <= figure.high or span.reject in ("vote", "year")

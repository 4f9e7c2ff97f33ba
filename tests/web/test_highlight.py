"""Cutting an article's text into highlight runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tolltrack.web.highlight import runs

TEXT = "Four civilians were killed and nine injured, the mayor said."


def test_overlapping_mentions_share_a_run() -> None:
    got = runs(TEXT, [(0, 26, 0), (15, 43, 1)])
    assert [(r.text, r.claims) for r in got] == [
        ("Four civilians ", (0,)), ("were killed", (0, 1)), (" and nine injured", (1,)),
        (", the mayor said.", ())]


@given(st.text(max_size=80), st.lists(st.tuples(st.integers(-5, 90), st.integers(-5, 90),
                                                st.integers(0, 4)), max_size=8))
def test_runs_join_up_to_the_text_and_cover_exactly_the_spans(
        text: str, spans: list[tuple[int, int, int]]) -> None:
    got = runs(text, spans)
    assert "".join(r.text for r in got) == text
    assert all(r.text for r in got)
    for r in got:
        for i in range(r.start, r.end):
            covering = {c for s, e, c in spans if max(0, s) <= i < min(len(text), e)}
            assert set(r.claims) == covering

"""Near-copy detection on the example wire report and edited reprints of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.nearcopy import BANDS, as_shingles, bands, containment, is_copy, shingles

ROOT = Path(__file__).resolve().parents[1]
STORY = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
OTHER = (ROOT / "README.md").read_text(encoding="utf-8")[:4000]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def test_a_reprint_with_a_new_headline_and_a_local_line_is_a_copy() -> None:
    parts = paragraphs(STORY)
    reprint = "\n\n".join(["KYIV BUREAU REPORT", *parts[1:],
                           "Our correspondent in Kharkiv contributed to this report."])
    a, b = shingles(STORY), shingles(reprint)
    assert is_copy(a, b)
    assert set(bands(a)) & set(bands(b))


def test_a_reprint_cut_to_its_first_half_is_still_a_copy() -> None:
    parts = paragraphs(STORY)
    short = "\n\n".join(parts[: len(parts) // 2])
    assert is_copy(shingles(STORY), shingles(short))


def test_case_spacing_and_punctuation_do_not_matter() -> None:
    mangled = STORY.upper().replace(",", " ").replace("\n", "  ")
    assert np.array_equal(shingles(mangled), shingles(STORY))


def test_different_stories_are_not_copies() -> None:
    a, b = shingles(STORY), shingles(OTHER)
    assert containment(a, b) < 0.1
    assert not is_copy(a, b)


def test_a_short_text_is_never_called_a_copy() -> None:
    line = paragraphs(STORY)[0][:120]
    assert not is_copy(shingles(line), shingles(STORY))
    assert bands(shingles(line)) == []


def test_band_hashes_are_stable_and_fit_a_signed_bigint() -> None:
    first = bands(shingles(STORY))
    assert first == bands(shingles(STORY))
    assert len(first) == BANDS
    assert all(0 <= h < 2**63 for h in first)


@given(st.sets(st.integers(0, 2**32 - 1)), st.sets(st.integers(0, 2**32 - 1)))
def test_containment_is_the_share_of_the_smaller_set_found_in_the_other(
        a: set[int], b: set[int]) -> None:
    share = containment(as_shingles(a), as_shingles(b))
    expected = len(a & b) / min(len(a), len(b)) if a and b else 0.0
    assert share == expected
    assert share == containment(as_shingles(b), as_shingles(a))


@given(st.sets(st.integers(0, 2**32 - 1), min_size=25, max_size=200), st.data())
def test_sets_that_share_most_shingles_mostly_share_a_band(a: set[int], data: st.DataObject
                                                           ) -> None:
    # Changing one shingle in many leaves most bands as they were.
    drop = data.draw(st.sampled_from(sorted(a)))
    # A new shingle, so that the set keeps its size (a smaller one may fall
    # below the length worth comparing).
    added = data.draw(st.integers(0, 2**32 - 1).filter(lambda v: v not in a))
    b = (a - {drop}) | {added}
    same = set(bands(as_shingles(a))) & set(bands(as_shingles(b)))
    assert len(bands(as_shingles(a))) == BANDS
    assert len(same) >= BANDS // 3

"""Sentence offsets, datelines, and page furniture set aside."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tolltrack.extract.sentences import in_capitals, split_sentences
from tolltrack.furniture import furniture_lines

PAGE = """Three killed as shelling hits market in Kherson

KHERSON, 3 May (Reuters) - Three people were killed on Tuesday, Gov. Prokudin said. \
Dr. Ivanova treated 12 of the wounded at 8 p.m. in the U.S.-funded clinic.
  • Oops!
    Something went wrong.
    Please try again later.
Read more: Ten killed in strike on Odesa port
Residents queue for water in Kherson, Ukraine, Tuesday, May 2, 2023. (AP Photo/Staff)
Residents queue for water in Kherson, Ukraine, Tuesday, May 2, 2023. (AP Photo/Staff)
"""


def test_sentences_keep_offsets_and_respect_abbreviations() -> None:
    sentences = split_sentences(PAGE)
    for s in sentences:
        assert PAGE[s.start:s.end] == s.text
    story = [s.text for s in sentences if not s.furniture]
    assert story == [
        "Three killed as shelling hits market in Kherson",
        "KHERSON, 3 May (Reuters) -",
        "Three people were killed on Tuesday, Gov. Prokudin said.",
        "Dr. Ivanova treated 12 of the wounded at 8 p.m. in the U.S.-funded clinic.",
    ]


def test_furniture_lines_are_widgets_teasers_and_captions() -> None:
    spans = furniture_lines(PAGE)
    lines = [PAGE[s:e].strip() for s, e in spans]
    assert "• Oops!" in lines and "Please try again later." in lines
    assert any(line.startswith("Read more:") for line in lines)
    assert sum(line.startswith("Residents queue") for line in lines) == 2
    assert not any(line.startswith("Three people") for line in lines)


def test_a_long_story_on_one_line_is_not_a_caption() -> None:
    story = "Rockets hit the town and killed 30 people, officials said. " * 20 + "(AFP)"
    assert furniture_lines(story) == []


def test_capitals() -> None:
    assert in_capitals("SEVEN ARE STILL MISSING, THE UNION SAID.")
    assert not in_capitals("Seven are still missing, the UN said.")


@given(st.text(max_size=300))
def test_any_text_splits_into_true_offsets(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text


LEAD = ("The regional governor said 12 people were killed when a missile struck a "
        "shopping centre in Kremenchuk on Monday afternoon.")
CAPTION = "Firefighters work at the site of the shopping centre hit by a missile"


def _furniture_text(text: str) -> list[str]:
    return [text[start:end] for start, end in furniture_lines(text)]


def test_a_lead_printed_twice_keeps_its_first_printing() -> None:
    # Pages echo their lead as a teaser: the second printing is furniture, the
    # first is the story.
    text = f"{LEAD}\n\nRescuers searched the rubble overnight.\n\n{LEAD}\n"
    assert _furniture_text(text) == [LEAD]
    assert furniture_lines(text)[0][0] == text.rindex(LEAD)


def test_a_caption_printed_twice_goes_both_times() -> None:
    text = f"{CAPTION}\n{LEAD}\n\n{CAPTION}\n"
    assert _furniture_text(text) == [CAPTION, CAPTION]

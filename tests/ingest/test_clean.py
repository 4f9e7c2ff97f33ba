"""Scraped text made clean: furniture lines dropped and kept aside, the page date inferred."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.clean import Cleaned, clean_text, full_dates
from tolltrack.model import Article
from tolltrack.options import ReadOptions

TODAY = dt.date(2024, 1, 1)

LEAD = ("Russian shelling killed five people and wounded 14 in the centre of Kharkiv on "
        "Monday, regional officials said.")
SECOND = ("The strike on April 10, 2022 killed 12 people at the same market, the prosecutor "
          "told reporters on 1 May 2021.")
THIRD = "Rescue teams were still clearing rubble from the market late into the evening."
CAPTION = ("Firefighters work at the scene of the strike in Kharkiv, Ukraine, Monday, "
           "March 6, 2023. (AP Photo/Andrii Marienko)")
SHORT_CAPTION = "Firefighters work at the scene of the strike in Kharkiv. (AP)"

# One scraped page: story lines around every kind of furniture a scraper brings along.
PAGE = "\n".join([
    LEAD,
    "",
    "• Oops!",
    "Something went wrong.",
    "Please try again later.",
    "",
    SECOND,
    "",
    "Read more: Missile strike on Kharkiv apartment block kills nine",
    CAPTION,
    SHORT_CAPTION,
    "Watch: Rescuers search the rubble of the market",
    "",
    THIRD,
    "",
])


def cleaned(text: str, today: dt.date = TODAY) -> Cleaned:
    return clean_text(text, today=today)


def read_text(path: Path, text: str, options: ReadOptions | None = None) -> Article:
    path.write_text(text, encoding="utf-8")
    [article] = list(read_sources([str(path)], options))
    assert isinstance(article, Article), article
    return article


# --------------------------------------------------------------------------- clean_text


def test_the_story_lines_are_kept_in_order() -> None:
    assert cleaned(PAGE).text == f"{LEAD}\n\n{SECOND}\n\n{THIRD}\n"


@pytest.mark.parametrize("line", [
    "• Oops!",
    "Something went wrong.",
    "Please try again later.",
    "Read more: Missile strike on Kharkiv apartment block kills nine",
    "Watch: Rescuers search the rubble of the market",
    CAPTION,
    SHORT_CAPTION,
])
def test_each_furniture_line_is_dropped_and_kept_aside(line: str) -> None:
    result = cleaned(PAGE)
    assert line not in result.text
    assert line in result.furniture


def test_nothing_read_is_lost() -> None:
    result = cleaned(PAGE)
    lines = {line.strip() for line in PAGE.splitlines() if line.strip()}
    kept = {line.strip() for line in result.text.splitlines() if line.strip()}
    assert kept | set(result.furniture) == lines
    assert not kept & set(result.furniture)


@pytest.mark.parametrize("line", [
    "Oops",
    "Please try again.",
    "Listen: The war in Ukraine, day 400",
    "Related: Drone attack sets Odesa grain terminal on fire",
    "See also: How the war unfolded",
    "Photo: Ivan Petrenko/Northern Ledger",
    "Image | Reuters",
    "Credit: Getty Images",
    "A woman walks past a destroyed school in Irpin. (Photo by Sergei Supinsky/AFP)",
    "Rescuers at work in Dnipro. (Reuters)",
    "TOPSHOT - Smoke rises over the city after the strike",
    "We use cookies to improve your experience. Accept our cookie policy to continue.",
    "Copyright 2023 Northern Ledger. All rights reserved.",
    "© 2023 Northern Ledger",
    "Share",
    "Comments 12",
    "Advertisement",
    "Sign up for our morning newsletter",
])
def test_more_furniture_kinds(line: str) -> None:
    result = cleaned(f"{LEAD}\n{line}\n{THIRD}\n")
    assert result.text == f"{LEAD}\n\n{THIRD}\n"
    assert result.furniture == (line,)


def test_a_caption_repeated_verbatim_is_dropped_both_times() -> None:
    caption = "Rescuers carry a wounded woman out of the damaged building in central Kharkiv"
    result = cleaned(f"{caption}\n{LEAD}\n{caption}\n{THIRD}\n")
    assert result.text == f"{LEAD}\n\n{THIRD}\n"
    assert result.furniture == (caption, caption)


@pytest.mark.parametrize("line", [
    # a long story paragraph that happens to end with a credit in parentheses
    "Ukraine's defence ministry said on Tuesday that Russian forces had lost more than "
    "1,000 soldiers in the previous 24 hours of fighting around Bakhmut, a figure that "
    "could not be independently verified, while Moscow gave no figures of its own and "
    "western officials said the real toll was probably lower than either side claimed, "
    "adding that both armies had every reason to exaggerate the losses of the other in "
    "public statements made for audiences at home and abroad, as they have done since the "
    "first weeks of the invasion that began in February 2022, when both sides published "
    "daily tallies that independent analysts found impossible to verify. (Reuters)",
    # story words that merely look like furniture words
    "Watchdogs said the photos showed at least 30 bodies.",
    "Police said the cookies found at the scene had been accepted as evidence.",
])
def test_story_lines_that_look_like_furniture_are_kept(line: str) -> None:
    result = cleaned(f"{LEAD}\n{line}\n")
    assert result.text == f"{LEAD}\n{line}\n"
    assert result.furniture == ()


@pytest.mark.parametrize("line", [
    "More than 40 people were killed, the ministry said.",
    "More bodies were found in the rubble on Tuesday, raising the toll to 23.",
    "Related attacks killed three people in Kherson, officials said.",
])
def test_a_story_line_opening_with_a_teaser_word_is_kept(line: str) -> None:
    result = cleaned(f"{LEAD}\n{line}\n")
    assert result.text == f"{LEAD}\n{line}\n"
    assert result.furniture == ()


@pytest.mark.parametrize("line", [
    "Oops! Something went wrong.",
    "Oops! Something went wrong. Please try again later.",
])
def test_the_error_widget_on_one_line_is_dropped(line: str) -> None:
    result = cleaned(f"{LEAD}\n{line}\n{THIRD}\n")
    assert result.furniture == (line,)


@pytest.mark.parametrize("text", ["", "\n\n", "Oops!\nSomething went wrong.\n"])
def test_no_story_left_is_an_empty_text(text: str) -> None:
    assert cleaned(text).text == ""


def test_blank_line_runs_are_squeezed() -> None:
    assert cleaned(f"\n\n{LEAD}\n\n\n \n\n{THIRD}\n\n\n").text == f"{LEAD}\n\n{THIRD}\n"


# --------------------------------------------------------------------------- dates


def test_the_date_is_the_latest_full_date_in_a_caption() -> None:
    assert cleaned(PAGE).date == dt.date(2023, 3, 6)


@pytest.mark.parametrize(("dateline", "date"), [
    ("Published: March 3, 2023 10:14 GMT", dt.date(2023, 3, 3)),
    ("Updated 4 March 2023", dt.date(2023, 3, 4)),
    ("Monday, March 6, 2023", dt.date(2023, 3, 6)),
    ("7 Mar 2023 09:12", dt.date(2023, 3, 7)),
    ("Mar. 8, 2023 at 4:05 p.m.", dt.date(2023, 3, 8)),
    ("Posted on 2023-03-09", dt.date(2023, 3, 9)),
])
def test_a_dateline_dates_the_page_and_is_dropped(dateline: str, date: dt.date) -> None:
    result = cleaned(f"{dateline}\n{LEAD}\n{THIRD}\n")
    assert result.date == date
    assert result.furniture == (dateline,)
    assert result.text == f"{LEAD}\n{THIRD}\n"


def test_dates_in_story_sentences_are_not_used() -> None:
    result = cleaned(f"{LEAD}\n{SECOND}\n{THIRD}\n")
    assert result.date is None
    assert SECOND in result.text


def test_a_date_after_today_is_not_used() -> None:
    future = "Rescuers search the rubble, Wednesday, July 4, 2035. (AP Photo/Ivan Petrenko)"
    assert cleaned(f"{LEAD}\n{future}\n", today=TODAY).date is None
    assert cleaned(f"{LEAD}\n{future}\n{CAPTION}\n", today=TODAY).date == dt.date(2023, 3, 6)
    assert cleaned(f"{LEAD}\n{future}\n", today=dt.date(2035, 7, 4)).date == dt.date(2035, 7, 4)


def test_a_date_without_a_year_is_not_used() -> None:
    caption = "Rescuers search the rubble on Monday, March 6. (AP Photo/Andrii Marienko)"
    result = cleaned(f"{LEAD}\n{caption}\n")
    assert result.furniture == (caption,)
    assert result.date is None


@pytest.mark.parametrize(("text", "dates"), [
    ("April 12, 2022", [dt.date(2022, 4, 12)]),
    ("Tuesday, April 12 2022", [dt.date(2022, 4, 12)]),
    ("12 April 2022", [dt.date(2022, 4, 12)]),
    ("the 3rd of May, 2021", [dt.date(2021, 5, 3)]),
    ("Sept. 9, 2020 and 2022-04-13", [dt.date(2020, 9, 9), dt.date(2022, 4, 13)]),
    ("Feb 30, 2020", []),  # impossible dates are left out
    ("April 12", []),  # no year: not a full date
    ("12/04/2022", []),
    ("in 2022", []),
])
def test_full_dates(text: str, dates: list[dt.date]) -> None:
    assert full_dates(text) == dates


# --------------------------------------------------------------------------- read_sources


def test_scraped_text_is_cleaned_and_dated_from_its_captions(tmp_path: Path) -> None:
    article = read_text(tmp_path / "page.txt", PAGE)
    assert article.text == f"{LEAD}\n\n{SECOND}\n\n{THIRD}\n"
    assert "Watch: Rescuers search the rubble of the market" in article.furniture
    assert len(article.furniture) == 7
    assert (article.date, article.date_source) == (dt.date(2023, 3, 6), "text")


def test_a_given_date_wins_over_the_inferred_date(tmp_path: Path) -> None:
    article = read_text(tmp_path / "page.txt", PAGE, ReadOptions(date=dt.date(2023, 3, 7)))
    assert (article.date, article.date_source) == (dt.date(2023, 3, 7), "given")
    assert CAPTION in article.furniture  # still dropped


def test_no_caption_date_and_none_given_is_undated(tmp_path: Path) -> None:
    article = read_text(tmp_path / "story.txt", f"{LEAD}\n{SECOND}\n")
    assert (article.date, article.date_source) == (None, None)


def test_clean_false_keeps_the_text_as_it_is(tmp_path: Path) -> None:
    article = read_text(tmp_path / "page.txt", PAGE, ReadOptions(clean=False))
    assert article.text == PAGE
    assert article.furniture == ()
    assert (article.date, article.date_source) == (None, None)


def test_text_that_is_all_furniture_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "widget.txt"
    path.write_text("• Oops!\nSomething went wrong.\nPlease try again later.\n",
                    encoding="utf-8")
    [reject] = list(read_sources([str(path)]))
    assert isinstance(reject, Reject)
    assert (reject.reason, reject.fatal) == ("empty", False)


@pytest.mark.parametrize(("name", "content", "cleaned_by_default"), [
    ("page.txt", PAGE, True),
    ("dump.jsonl", json.dumps({"id": "r1", "text": PAGE}) + "\n", False),
    ("dump.csv", "id,text\nr1,\"" + PAGE.replace('"', '""') + "\"\n", False),
])
def test_which_sources_are_cleaned_by_default(tmp_path: Path, name: str, content: str,
                                              cleaned_by_default: bool) -> None:
    article = read_text(tmp_path / name, content)
    assert (article.text == f"{LEAD}\n\n{SECOND}\n\n{THIRD}\n") is cleaned_by_default
    assert (article.text.strip() == PAGE.strip()) is not cleaned_by_default
    assert bool(article.furniture) is cleaned_by_default


# --------------------------------------------------------------------------- the seed article


@pytest.fixture(scope="module")
def seed(gold_dir: Path) -> dict[str, Any]:
    path = gold_dir / "seed.jsonl"
    if not path.is_file():
        pytest.skip(f"no seed article at {path}")
    with path.open(encoding="utf-8") as lines:
        record: dict[str, Any] = json.loads(lines.readline())
    return record


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


_CREDIT = re.compile(r"\((?:[^()]*\b(?:AP|Getty|AFP|Photo)\b[^()]*)\)\s*$")

# The five kinds of furniture the seed article was scraped with, each told by its form.
SEED_FURNITURE = {
    "error widget": lambda line, lines: line.lstrip("• ") in {
        "Oops!", "Something went wrong.", "Please try again later."},
    "read more": lambda line, lines: line.startswith("Read more:"),
    "watch": lambda line, lines: line.startswith("Watch:"),
    "photo credit": lambda line, lines: bool(_CREDIT.search(line)),
    "repeated caption": lambda line, lines: sum(
        other[:60] == line[:60] for other in lines) > 1 or sum(
        other.endswith(line[-60:]) for other in lines) > 1,
}


@pytest.mark.parametrize("kind", list(SEED_FURNITURE))
def test_the_seed_article_loses_each_kind_of_furniture(seed: dict[str, Any], kind: str) -> None:
    result = clean_text(seed["text"])
    lines = _lines(seed["text"])
    found = [line for line in lines if SEED_FURNITURE[kind](line, lines)]
    assert found, f"the seed article has no {kind} lines"
    kept = set(_lines(result.text))
    for line in found:
        assert line in result.furniture
        assert line not in kept


def test_the_seed_article_keeps_its_story(seed: dict[str, Any]) -> None:
    result = clean_text(seed["text"])
    lines = _lines(seed["text"])
    story = [line for line in lines
             if not any(rule(line, lines) for rule in SEED_FURNITURE.values())]
    assert _lines(result.text) == story
    assert len(story) >= 20
    for claim in seed["claims"]:
        assert claim["evidence"] in result.text


def test_the_seed_article_is_dated_from_its_latest_caption(seed: dict[str, Any],
                                                           tmp_path: Path) -> None:
    assert clean_text(seed["text"]).date == dt.date(2022, 4, 13)
    article = read_text(tmp_path / "seed.txt", seed["text"])
    assert (article.date, article.date_source) == (dt.date(2022, 4, 13), "text")
    assert article.text == clean_text(seed["text"]).text
    given = read_text(tmp_path / "seed-given.txt", seed["text"],
                      ReadOptions(date=dt.date.fromisoformat(seed["date"])))
    assert (given.date, given.date_source) == (dt.date(2022, 4, 14), "given")


# --------------------------------------------------------------------------- story or furniture

# Story sentences that carry casualty figures and open like a dateline, a teaser or a
# credit: the cleaner and the extractor must both keep them.
STORY_LINES = [
    "Updated figures released on March 3, 2024 show 300 people were killed.",
    "Published figures show 1,200 killed as of May 1, 2024.",
    "The strike, captured in a photo by a local resident, killed 12 people.",
    "The poll was conducted according to Reuters/Ipsos reports.",
    "Related: 52 people have now died, the ministry said.",
    "More: 30 more bodies were recovered from the rubble.",
    "Source: the UN says 10,000 civilians have been killed.",
]
# Furniture with the same openings: still dropped.
FURNITURE_LINES = [
    "Published: 14 March 2024 10:32 GMT",
    "Last updated: Tuesday, April 12, 2022 at 10:32 am",
    "Related: Kharkiv strike kills five",
    "Rescuers at the scene. (AP Photo/Felipe Dana)",
    "John Smith/Getty Images",
]


@pytest.mark.parametrize("line", STORY_LINES)
def test_a_story_line_that_looks_like_furniture_is_kept(line: str) -> None:
    result = cleaned(f"{LEAD}\n{line}\n{THIRD}\n", today=dt.date(2025, 1, 1))
    assert result.text == f"{LEAD}\n{line}\n{THIRD}\n"
    assert result.furniture == ()
    assert result.date is None  # a date in a story sentence never dates the page


@pytest.mark.parametrize("line", STORY_LINES)
def test_the_extractor_does_not_set_a_story_line_aside(line: str) -> None:
    from tolltrack.extract.sentences import split_sentences
    from tolltrack.furniture import furniture_lines

    text = f"{LEAD}\n{line}\n{THIRD}\n"
    assert furniture_lines(text) == []
    sentences = [s for s in split_sentences(text) if s.paragraph == 1]
    assert sentences
    assert " ".join(s.text for s in sentences) == line
    assert not any(s.furniture for s in sentences)


@pytest.mark.parametrize(("line", "date"), [
    ("Published: 14 March 2024 10:32 GMT", dt.date(2024, 3, 14)),
    ("Last updated: Tuesday, April 12, 2022 at 10:32 am", dt.date(2022, 4, 12)),
    ("Related: Kharkiv strike kills five", None),
    ("Rescuers at the scene. (AP Photo/Felipe Dana)", None),
    ("John Smith/Getty Images", None),
])
def test_furniture_with_the_same_openings_is_still_dropped(line: str,
                                                           date: dt.date | None) -> None:
    result = cleaned(f"{LEAD}\n{line}\n{THIRD}\n", today=dt.date(2025, 1, 1))
    assert result.text == f"{LEAD}\n\n{THIRD}\n"
    assert result.furniture == (line,)
    assert result.date == date


@pytest.mark.parametrize("line", FURNITURE_LINES[2:])
def test_the_extractor_sets_teasers_and_credits_aside(line: str) -> None:
    from tolltrack.extract.sentences import split_sentences
    from tolltrack.furniture import furniture_lines

    text = f"{LEAD}\n{line}\n{THIRD}\n"
    start = len(LEAD) + 1
    assert furniture_lines(text) == [(start, start + len(line))]
    marked = [s.furniture for s in split_sentences(text) if s.paragraph == 1]
    assert marked and all(marked)


@pytest.mark.parametrize("teaser", [
    "Most read: Kharkiv strike, July 4, 2024",
    "Read more: Kharkiv strike kills five (July 4, 2024)",
    "Related: Odesa port hit again, 2024-07-04",
    "Watch: Rescue in Dnipro, 4 July 2024",
])
def test_a_date_in_a_teaser_does_not_date_the_page(teaser: str) -> None:
    result = cleaned(f"{teaser}\n{LEAD}\n{THIRD}\n", today=dt.date(2025, 1, 1))
    assert result.furniture == (teaser,)
    assert result.date is None


def test_a_caption_dates_the_page_when_a_teaser_names_a_later_date() -> None:
    result = cleaned(f"{LEAD}\n{CAPTION}\nMost read: Kharkiv strike, July 4, 2024\n{THIRD}\n",
                     today=dt.date(2025, 1, 1))
    assert result.date == dt.date(2023, 3, 6)


def test_story_lines_that_look_like_furniture_survive_a_read(tmp_path: Path) -> None:
    page = "\n".join([LEAD, *STORY_LINES, *FURNITURE_LINES, THIRD]) + "\n"
    article = read_text(tmp_path / "page.txt", page)
    assert article.text == "\n".join([LEAD, *STORY_LINES]) + f"\n\n{THIRD}\n"
    assert article.furniture == tuple(FURNITURE_LINES)
    assert (article.date, article.date_source) == (dt.date(2024, 3, 14), "text")

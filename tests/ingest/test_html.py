"""Saved web pages: the story text only, with the page's own title, outlet, date and URL."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.html import declared_charset, fragment_text, html_fields, looks_like_html
from tolltrack.model import Article
from tolltrack.options import ReadOptions

DATA = Path(__file__).resolve().parents[1] / "data"
PAGES = DATA / "pages"
KHARKIV = PAGES / "kharkiv_strike.html"
SUMY = DATA / "sumy_market.html"

# Every piece of page furniture in kharkiv_strike.html, none of which is story.
FURNITURE = [
    "We use cookies",  # cookie banner
    "Accept all cookies",
    "Business",  # navigation menu
    "Opinion",
    "Related stories",  # related links
    "Drone attack sets Odesa grain terminal on fire",
    "Shelling cuts power",
    "Heartbreaking news",  # comments
    "When will the world",
    "Comments (2)",
    "Photo: Ivan Petrenko",  # photo credit
    "Northern Ledger Pictures",
    "All rights reserved",  # footer
    "Privacy policy",
]
STORY = [
    "A Russian missile struck a nine-storey apartment block in the centre of Kharkiv before "
    "dawn on Friday, killing nine people and wounding at least 23, the regional governor said.",
    "Emergency crews pulled two children alive from the rubble",
    "The city's mayor said the strike was the deadliest attack on Kharkiv in more than a month",
    "Hospitals in the city said 11 of the wounded were in a serious condition.",
]


def read_one(path: Path, options: ReadOptions | None = None) -> Article:
    items = list(read_sources([str(path)], options))
    assert len(items) == 1, items
    article = items[0]
    assert isinstance(article, Article), article
    return article


@pytest.fixture(scope="module")
def kharkiv() -> Article:
    return read_one(KHARKIV)


# --------------------------------------------------------------------------- full pages


@pytest.mark.parametrize("line", STORY)
def test_the_story_paragraphs_are_kept(kharkiv: Article, line: str) -> None:
    assert line in kharkiv.text


@pytest.mark.parametrize("furniture", FURNITURE)
def test_page_furniture_is_not_story_text(kharkiv: Article, furniture: str) -> None:
    assert furniture not in kharkiv.text


def test_the_page_metadata_comes_with_the_article(kharkiv: Article) -> None:
    assert kharkiv.title == "Missile strike on Kharkiv apartment block kills nine"
    assert kharkiv.outlet == "Northern Ledger"  # og:site_name, not the <title> suffix
    assert (kharkiv.date, kharkiv.date_source) == (dt.date(2023, 10, 6), "page")
    assert kharkiv.url == "https://news.example.org/world/2023/10/06/kharkiv-strike"
    assert kharkiv.language == "en"
    assert kharkiv.source == str(KHARKIV)


def test_the_page_date_wins_over_the_given_date() -> None:
    article = read_one(KHARKIV, ReadOptions(date=dt.date(2024, 1, 1)))
    assert (article.date, article.date_source) == (dt.date(2023, 10, 6), "page")


@pytest.mark.parametrize("dated", [
    '<meta name="date" content="2024-05-02">',
    '<meta property="article:published_time" content="2024-05-02T08:30:00Z">',
])
def test_a_date_meta_tag_dates_the_page(tmp_path: Path, dated: str) -> None:
    page = tmp_path / "dated.html"
    page.write_text(SUMY.read_text(encoding="utf-8").replace("<head>", "<head>" + dated),
                    encoding="utf-8")
    article = read_one(page, ReadOptions(date=dt.date(2024, 3, 14)))
    assert (article.date, article.date_source) == (dt.date(2024, 5, 2), "page")


def test_a_page_with_no_date_takes_the_given_date() -> None:
    article = read_one(SUMY, ReadOptions(date=dt.date(2024, 3, 14)))
    assert (article.date, article.date_source) == (dt.date(2024, 3, 14), "given")
    assert "at least 14 civilians were killed" in " ".join(article.text.split())
    assert "All rights reserved" not in article.text
    assert "Home" not in article.text


def test_a_page_with_no_date_and_none_given_is_undated() -> None:
    article = read_one(SUMY)
    assert (article.date, article.date_source) == (None, None)


def test_a_copyright_year_is_not_taken_for_the_page_date() -> None:
    # sumy_market.html says "Copyright 2024" in its footer and has no date metadata.
    article = read_one(SUMY)
    assert article.date is None


@pytest.mark.parametrize("name", ["kharkiv.htm", "kharkiv.txt", "kharkiv"])
def test_an_html_page_is_read_as_html_whatever_its_name(tmp_path: Path, name: str) -> None:
    copy = tmp_path / name
    shutil.copy(KHARKIV, copy)
    article = read_one(copy)
    assert article.title == "Missile strike on Kharkiv apartment block kills nine"
    assert "We use cookies" not in article.text


def test_a_page_with_no_story_text_is_rejected(tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text("<html><head><title>Nothing here</title></head><body></body></html>",
                    encoding="utf-8")
    [reject] = list(read_sources([str(page)]))
    assert isinstance(reject, Reject)
    assert (reject.reason, reject.fatal) == ("no_text", False)
    assert "HTML" in reject.message


def test_a_page_in_its_declared_legacy_charset(tmp_path: Path) -> None:
    html = KHARKIV.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta charset="windows-1251">').replace(
        "the regional governor said.", "the regional governor said. «Жахливо», he added.")
    page = tmp_path / "cp1251.html"
    page.write_bytes(html.encode("cp1251"))
    article = read_one(page)
    assert "«Жахливо», he added." in article.text


# --------------------------------------------------------------------------- html_fields


def test_html_fields_returns_text_and_metadata() -> None:
    fields = html_fields(KHARKIV.read_text(encoding="utf-8"))
    assert fields is not None
    assert "nine" in fields.text
    assert (fields.title, fields.date, fields.outlet, fields.url) == (
        "Missile strike on Kharkiv apartment block kills nine", dt.date(2023, 10, 6),
        "Northern Ledger", "https://news.example.org/world/2023/10/06/kharkiv-strike")


def test_html_fields_falls_back_on_the_address_read_from() -> None:
    fields = html_fields(SUMY.read_text(encoding="utf-8"),
                         url="https://sumy.example.com/news/market")
    assert fields is not None
    assert fields.url == "https://sumy.example.com/news/market"
    assert fields.outlet == "sumy.example.com"  # no site name: the host


# A page whose story is drawn by script: a menu, an empty mount point and a footer.
SHELL = """<!DOCTYPE html><html><head><title>Live: war in Ukraine | Northern Ledger</title>
<meta property="og:site_name" content="Northern Ledger"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div id="app"></div><noscript>Please enable JavaScript to read this page.</noscript>
<footer><p>Copyright 2023 Northern Ledger. All rights reserved.</p></footer></body></html>
"""


def test_html_fields_is_none_for_a_page_without_story_text() -> None:
    assert html_fields(SHELL) is None


def test_a_script_drawn_page_is_rejected_not_read_as_its_menu(tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    page.write_text(SHELL, encoding="utf-8")
    [reject] = list(read_sources([str(page)]))
    assert isinstance(reject, Reject)
    assert reject.reason == "no_text"


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(("fragment", "text"), [
    ("", ""),
    ("  Ten people were killed.  ", "Ten people were killed."),
    ("<p>Ten people were <b>killed</b>.</p>", "Ten people were killed."),
    ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
    ("<ul><li>Kyiv</li><li>Lviv</li></ul>", "Kyiv\n\nLviv"),
    ("<p>Before</p><script>track('x');</script><style>p {}</style><p>After</p>",
     "Before\n\nAfter"),
    ("<p>A &amp; B &lt; C</p>", "A & B < C"),
    ("<!-- teaser --><p>Kept</p>", "Kept"),
    ("<p>Unclosed <i>tag", "Unclosed tag"),
])
def test_fragment_text(fragment: str, text: str) -> None:
    assert fragment_text(fragment) == text


def test_fragment_text_joins_a_wrapped_paragraph_into_one_line() -> None:
    # Feed and page markup is wrapped at any width; in HTML a newline inside a
    # paragraph is a space. Kept as a newline, it cuts the sentence in two for the
    # sentence splitter, which never lets a sentence cross a line break.
    assert fragment_text("<p>Nine people were killed\n    in Kharkiv, officials said.</p>") == (
        "Nine people were killed in Kharkiv, officials said.")


def test_fragment_text_unescapes_entities_without_tags() -> None:
    assert fragment_text("Five killed &amp; ten hurt") == "Five killed & ten hurt"


@pytest.mark.parametrize(("head", "charset"), [
    (b'<html><head><meta charset="windows-1251">', "windows-1251"),
    (b"<meta charset=UTF-8>", "utf-8"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "iso-8859-1"),
    (b"<html><head><title>No charset</title>", None),
])
def test_declared_charset(head: bytes, charset: str | None) -> None:
    assert declared_charset(head) == charset


@pytest.mark.parametrize(("text", "expected"), [
    ("<!DOCTYPE html><html>", True),
    ("  \n<html lang='en'>", True),
    ("<p>Ten people were killed.</p>", True),
    ("Ten people were killed.", False),
    ('{"text": "<p>x</p>"}', False),
])
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected

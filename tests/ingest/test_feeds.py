"""RSS 2.0 and Atom feeds: one article per entry, from its content or summary.

Feeds read over HTTP, and ``follow_links``, are tested with the local server in
test_fetch.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pytest

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.feeds import BadFeed, Entry, feed_entries
from tolltrack.model import Article
from tolltrack.options import ReadOptions

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
RSS = PAGES / "wire_rss.xml"
ATOM = PAGES / "wire_atom.xml"


def read(*paths: Path, options: ReadOptions | None = None) -> list[Article | Reject]:
    return list(read_sources([str(p) for p in paths], options))


def articles(items: list[Article | Reject]) -> list[Article]:
    assert all(isinstance(i, Article) for i in items), items
    return [i for i in items if isinstance(i, Article)]


def one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- RSS 2.0


def test_rss_gives_one_article_per_item() -> None:
    first, second = articles(read(RSS))
    assert first.title == "Missile strike on Kharkiv apartment block kills nine"
    assert first.url == "https://news.example.org/world/2023/10/06/kharkiv-strike"
    assert first.outlet == "Northern Ledger: World"  # the channel title
    assert (first.date, first.date_source) == (dt.date(2023, 10, 6), "feed")
    assert first.source == f"{RSS} entry 1"
    assert second.source == f"{RSS} entry 2"
    assert (second.date, second.date_source) == (dt.date(2023, 9, 25), "feed")
    assert first.language == "en"


def test_an_rss_description_in_html_becomes_plain_text() -> None:
    first, _ = articles(read(RSS))
    assert "<" not in first.text and "&lt;" not in first.text
    assert one_line(first.text) == (
        "A Russian missile struck a nine-storey apartment block in the centre of Kharkiv "
        "before dawn on Friday, killing nine people and wounding at least 23, the regional "
        "governor said. Hospitals said 11 of the wounded were in a serious condition.")
    paragraphs = first.text.strip().split("\n\n")
    assert len(paragraphs) == 2  # one per <p>


def test_full_content_wins_over_the_description_and_scripts_are_dropped() -> None:
    _, second = articles(read(RSS))
    assert "Short teaser" not in second.text
    assert "trackView" not in second.text
    assert one_line(second.text) == (
        "Russian drones struck the port of Odesa overnight, setting a grain terminal on fire "
        "and killing two dock workers, the regional administration said. Ukraine's air force "
        "said it had shot down 19 of the 24 drones.")


# --------------------------------------------------------------------------- Atom


def test_atom_gives_one_article_per_entry() -> None:
    first, second = articles(read(ATOM))
    assert [first.title, second.title] == ["Floods force 3,000 from their homes in Kherson region",
                                           "Two killed in shelling of Nikopol"]
    assert [first.url, second.url] == ["https://courier.example.net/2023/11/02/kherson-floods",
                                       "https://courier.example.net/2023/11/01/nikopol"]
    assert {first.outlet, second.outlet} == {"Coastal Courier"}
    # published is the entry date; updated stands in where there is no published date
    assert [first.date, second.date] == [dt.date(2023, 11, 2), dt.date(2023, 11, 1)]
    assert {first.date_source, second.date_source} == {"feed"}


def test_atom_content_and_summary_become_plain_text() -> None:
    first, second = articles(read(ATOM))
    assert one_line(first.text) == (
        "About 3,000 people were evacuated from villages along the Dnipro river after heavy "
        "rain, regional officials said. No deaths have been reported.")
    assert one_line(second.text) == (
        "Two men were killed when artillery shells hit a street in Nikopol on Wednesday "
        "evening, the governor said.")


def test_the_feed_date_wins_over_the_given_date() -> None:
    first, _ = articles(read(ATOM, options=ReadOptions(date=dt.date(2020, 1, 1))))
    assert (first.date, first.date_source) == (dt.date(2023, 11, 2), "feed")


def test_an_undated_entry_takes_the_given_date(tmp_path: Path) -> None:
    feed = tmp_path / "undated.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Blast</title><link>https://wire.example.com/1</link>"
        "<description>Four people were killed in a blast at a market, police said."
        "</description></item></channel></rss>", encoding="utf-8")
    [article] = articles(read(feed, options=ReadOptions(date=dt.date(2024, 2, 2))))
    assert (article.date, article.date_source) == (dt.date(2024, 2, 2), "given")


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("name", ["wire.dat", "wire", "wire.html", "wire.txt"])
def test_a_feed_is_known_by_its_content_not_its_name(tmp_path: Path, name: str) -> None:
    copy = tmp_path / name
    shutil.copy(RSS, copy)
    items = articles(read(copy))
    assert [a.source for a in items] == [f"{copy} entry 1", f"{copy} entry 2"]
    assert items[0].date_source == "feed"


def test_a_feed_without_an_xml_declaration(tmp_path: Path) -> None:
    feed = tmp_path / "bare.rss"
    feed.write_text(
        '<rss version="2.0"><channel><title>Wire</title><item><title>Blast</title>'
        "<description>Four people were killed in a blast at a market.</description>"
        "</item></channel></rss>", encoding="utf-8")
    [article] = articles(read(feed))
    assert article.title == "Blast"


# --------------------------------------------------------------------------- bad feeds


@pytest.mark.parametrize("feed", [
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet wire</title>'
    "</channel></rss>",
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Quiet courier</title><id>urn:x</id><updated>2023-11-02T18:00:00Z</updated></feed>",
])
def test_a_feed_with_no_entries_is_rejected(tmp_path: Path, feed: str) -> None:
    path = tmp_path / "quiet.xml"
    path.write_text(feed, encoding="utf-8")
    [reject] = read(path)
    assert isinstance(reject, Reject)
    assert (reject.source, reject.reason, reject.fatal) == (str(path), "empty_feed", False)


def test_an_entry_with_no_content_or_summary_is_rejected_and_the_rest_go_on(
        tmp_path: Path) -> None:
    path = tmp_path / "gap.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Headline only</title><link>https://wire.example.com/1</link></item>"
        "<item><title>Blast</title><description>Four people were killed in a blast at a "
        "market, police said.</description></item></channel></rss>", encoding="utf-8")
    reject, article = read(path)
    assert isinstance(reject, Reject)
    assert (reject.source, reject.reason) == (f"{path} entry 1", "empty")
    assert isinstance(article, Article) and article.title == "Blast"


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><settings><server port="8080"/><owner>Desk</owner></settings>',
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
    "<loc>https://news.example.org/world/2023/10/06/kharkiv-strike</loc>"
    "<lastmod>2023-10-06</lastmod></url></urlset>",
])
def test_xml_that_is_not_a_feed_does_not_crash(tmp_path: Path, xml: str) -> None:
    path = tmp_path / "other.xml"
    path.write_text(xml, encoding="utf-8")
    [item] = read(path)  # one item, no exception
    assert item.source == str(path)
    if isinstance(item, Reject):
        assert item.fatal is False
    else:
        assert "<" not in item.text  # never markup read as story text
        assert item.date_source != "feed"


def test_an_xhtml_page_with_an_xml_declaration_is_a_page(tmp_path: Path) -> None:
    path = tmp_path / "page.xml"
    html = (PAGES / "kharkiv_strike.html").read_text(encoding="utf-8")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + html.split("\n", 1)[1],
                    encoding="utf-8")
    [article] = articles(read(path))
    assert (article.title, article.date_source) == (
        "Missile strike on Kharkiv apartment block kills nine", "page")


# --------------------------------------------------------------------------- feed_entries


def test_feed_entries_reads_bytes() -> None:
    entries = feed_entries(ATOM.read_bytes())
    assert [e.link for e in entries] == ["https://courier.example.net/2023/11/02/kherson-floods",
                                         "https://courier.example.net/2023/11/01/nikopol"]
    assert all(isinstance(e, Entry) for e in entries)


@pytest.mark.parametrize(("data", "code"), [
    (b"this is not a feed at all", "bad_feed"),
    (b'<?xml version="1.0"?><note><to>Desk</to></note>', "empty_feed"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
     "empty_feed"),
])
def test_feed_entries_raises_a_coded_bad_feed(data: bytes, code: str) -> None:
    with pytest.raises(BadFeed) as caught:
        feed_entries(data)
    assert caught.value.code == code


def test_feed_entries_reads_a_declared_legacy_encoding() -> None:
    data = ('<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel>'
            "<title>Стрічка новин</title><item><title>Обстріл</title>"
            "<description>Троє людей загинули внаслідок обстрілу.</description></item>"
            "</channel></rss>").encode("cp1251")
    [entry] = feed_entries(data)
    assert (entry.outlet, entry.title, entry.text) == (
        "Стрічка новин", "Обстріл", "Троє людей загинули внаслідок обстрілу.")


def test_an_escaped_summary_without_tags_is_unescaped() -> None:
    # The CDATA-wrapped HTML summary: "&amp;" here is HTML for "&".
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
            b"<title>Raid</title><description><![CDATA[Five killed &amp; ten hurt in a raid"
            b"]]></description></item></channel></rss>")
    [entry] = feed_entries(data)
    assert entry.text == "Five killed & ten hurt in a raid"


# --------------------------------------------------------------------------- odd dates


def atom(updated: str, tag: str = "updated") -> bytes:
    """An Atom feed of two entries; the first is stamped ``updated`` in element ``tag``."""
    return (f'''<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title><id>urn:courier</id>
<updated>2024-03-12T10:00:00Z</updated>
<entry><title>Strike on Kherson</title><id>urn:1</id>
<link href="https://courier.example.net/1"/><{tag}>{updated}</{tag}>
<content type="html">&lt;p&gt;Officials said ten people were killed in Kherson.&lt;/p&gt;</content>
</entry>
<entry><title>Shelling in Nikopol</title><id>urn:2</id>
<link href="https://courier.example.net/2"/><updated>2024-03-12T10:00:00Z</updated>
<content type="html">&lt;p&gt;Two men were killed in Nikopol, the governor said.&lt;/p&gt;</content>
</entry></feed>''').encode()


ODD_STAMPS = [
    "0000-01-01T00:00:00Z",  # year 0
    "9999-12-31T23:00:00-05:00",  # year 10000 in UTC
    "9999-12-31T23:59:59-00:01",
]


@pytest.mark.parametrize("stamp", ODD_STAMPS)
@pytest.mark.parametrize("tag", ["updated", "published"])
def test_an_entry_dated_outside_the_calendar_is_undated(stamp: str, tag: str) -> None:
    first, second = feed_entries(atom(stamp, tag))
    assert (first.title, first.date) == ("Strike on Kherson", None)
    assert (second.title, second.date) == ("Shelling in Nikopol", dt.date(2024, 3, 12))


@pytest.mark.parametrize("stamp", ODD_STAMPS)
def test_a_feed_with_an_entry_dated_outside_the_calendar_is_read(tmp_path: Path,
                                                                 stamp: str) -> None:
    path = tmp_path / "courier.xml"
    path.write_bytes(atom(stamp))
    first, second = articles(read(path, options=ReadOptions(date=dt.date(2024, 1, 1))))
    assert first.text == "Officials said ten people were killed in Kherson.\n"
    assert (first.date, first.date_source) == (dt.date(2024, 1, 1), "given")
    assert (second.date, second.date_source) == (dt.date(2024, 3, 12), "feed")


def test_an_entry_on_the_last_day_of_the_calendar_keeps_its_date() -> None:
    first, _ = feed_entries(atom("9999-12-31T23:00:00+05:00"))
    assert first.date == dt.date(9999, 12, 31)


def rss(pub_date: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<item><title>Blast</title><link>https://wire.example.com/1</link>"
            f"<pubDate>{pub_date}</pubDate><description>Four people were killed in a blast "
            "at a market, police said.</description></item></channel></rss>").encode()


@pytest.mark.parametrize("pub_date", ["Fri, 31 Dec 9999 23:00:00 -0500",
                                      "Sat, 01 Jan 0000 00:00:00 GMT", "yesterday"])
def test_an_rss_item_with_an_unreadable_pub_date_is_undated(pub_date: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        [entry] = feed_entries(rss(pub_date))
    assert (entry.title, entry.date) == ("Blast", None)

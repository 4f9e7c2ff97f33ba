"""Reading URLs: a real HTTP server on 127.0.0.1 serves pages, errors, feeds and slow replies."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import only, only_reject

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.fetch import USER_AGENT, FetchError, fetch, new_client
from tolltrack.model import Article
from tolltrack.options import ReadOptions

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
STORY = (PAGES / "kharkiv_strike.html").read_bytes()
OTHER_STORY = (PAGES / "odesa_port.html").read_bytes()
# A page without a canonical link: its URL can only be the address it was read from.
PLAIN_STORY = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Shelling kills three in Kherson</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Shelling kills three in Kherson</h1>
<p>Three people were killed and five wounded when Russian artillery shelled a residential
district of Kherson on Sunday afternoon, the regional governor said.</p>
<p>The shells hit a bus stop and two private houses near the river, officials said, and
rescue teams worked into the evening to clear the debris.</p>
<p>Kherson has been shelled almost daily since Ukrainian forces retook the city.</p>
</article><footer>Copyright 2023 Example Daily. All rights reserved.</footer></body></html>
"""
# A page with neither a title nor a date: a feed entry linking to it supplies both.
UNTITLED_STORY = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body><article>
<p>Three people were killed and five wounded when Russian artillery shelled a residential
district of Kherson on Sunday afternoon, the regional governor said.</p>
<p>The shells hit a bus stop and two private houses near the river, officials said, and
rescue teams worked into the evening to clear the debris.</p>
</article></body></html>
"""
# A page whose first tag is a script, served as text/html.
SCRIPTED_STORY = (b"<script>window.dataLayer = window.dataLayer || [];</script>\n"
                  + PLAIN_STORY.split(b"\n", 1)[1])
SLOW_SECONDS = 5.0
TRICKLE_BYTES = 8  # sent every TRICKLE_PAUSE seconds
TRICKLE_PAUSE = 0.2


@dataclass
class Site:
    """The running test server: its base URL and what it saw."""

    base: str
    user_agents: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path


def _feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local Wire</title><link>{base}/</link>
<item><title>Missile strike on Kharkiv apartment block kills nine</title>
<link>{base}/story.html</link><pubDate>Fri, 06 Oct 2023 09:15:00 GMT</pubDate>
<description>Teaser: a missile hit an apartment block in Kharkiv.</description></item>
<item><title>Drone attack sets Odesa grain terminal on fire</title>
<link>{base}/odesa.html</link><pubDate>Mon, 25 Sep 2023 06:40:00 GMT</pubDate>
<description>Teaser: drones hit the port of Odesa.</description></item>
<item><title>Gone</title><link>{base}/missing</link>
<description>Teaser: this page was taken down.</description></item>
</channel></rss>
""".encode()


def _self_feed(base: str) -> bytes:
    """A feed whose one entry links back to the feed itself."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Loop Wire</title><link>{base}/</link>
<item><title>Shelling kills three in Kherson</title><link>{base}/self-feed.xml</link>
<pubDate>Sun, 05 Nov 2023 14:00:00 GMT</pubDate>
<description>Teaser: shelling in Kherson.</description></item>
</channel></rss>
""".encode()


# A feed at /news/feed.xml whose entry links are relative to it.
RELATIVE_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Relative Wire</title><link>/news/</link>
<item><title>Shelling kills three in Kherson</title><link>untitled.html</link>
<pubDate>Sun, 05 Nov 2023 14:00:00 GMT</pubDate>
<description>Teaser: shelling in Kherson.</description></item>
<item><title>Missile strike on Kharkiv apartment block kills nine</title><link>/story.html</link>
<pubDate>Fri, 06 Oct 2023 09:15:00 GMT</pubDate>
<description>Teaser: a missile hit an apartment block in Kharkiv.</description></item>
</channel></rss>
"""


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output quiet

        def _send(self, status: int, ctype: str, body: bytes, length: bool = True) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may have given up (size cap, timeout): nothing to do then.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def _trickle(self, ctype: str, body: bytes) -> None:
            """Send ``body`` a few bytes at a time, each soon enough to keep a read
            timeout from firing, until the client gives up or the test ends."""
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for at in range(0, len(body), TRICKLE_BYTES):
                    self.wfile.write(body[at:at + TRICKLE_BYTES])
                    self.wfile.flush()
                    if site.release.wait(TRICKLE_PAUSE):
                        return

        def do_GET(self) -> None:
            site.user_agents.append(self.headers.get("User-Agent", ""))
            site.paths.append(self.path)
            html = "text/html; charset=utf-8"
            if self.path == "/story.html":
                self._send(200, html, STORY)
            elif self.path == "/odesa.html":
                self._send(200, html, OTHER_STORY)
            elif self.path == "/plain.html":
                self._send(200, html, PLAIN_STORY)
            elif self.path == "/old-address":
                self.send_response(301)
                self.send_header("Location", "/plain.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/report.pdf":
                self._send(200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
            elif self.path == "/big.html":
                self._send(200, html, STORY * 4)
            elif self.path == "/big-unsized.html":
                self._send(200, html, STORY * 4, length=False)
            elif self.path == "/slow.html":
                site.release.wait(SLOW_SECONDS)
                self._send(200, html, STORY)
            elif self.path == "/feed.xml":
                self._send(200, "application/rss+xml; charset=utf-8", _feed(site.base))
            elif self.path == "/self-feed.xml":
                self._send(200, "application/rss+xml; charset=utf-8", _self_feed(site.base))
            elif self.path == "/news/feed.xml":
                self._send(200, "application/rss+xml; charset=utf-8", RELATIVE_FEED)
            elif self.path == "/news/untitled.html":
                self._send(200, html, UNTITLED_STORY)
            elif self.path == "/scripted.html":
                self._send(200, html, SCRIPTED_STORY)
            elif self.path == "/trickle.html":
                self._trickle(html, STORY)
            else:
                self._send(404, "text/plain", b"not found")

    return Handler


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A threaded HTTP server on a free port of 127.0.0.1, shut down after the test."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # requests must go straight to 127.0.0.1
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    host, port = server.server_address[:2]
    state = Site(base=f"http://{host!s}:{port}")
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()  # let a slow handler finish at once
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def read(*sources: str, **options: Any) -> list[Article | Reject]:
    return list(read_sources(list(sources), ReadOptions(**options)))


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- fetch()


def test_fetch_returns_the_body_type_and_charset(site: Site) -> None:
    client = new_client(5.0)
    try:
        page = fetch(client, site.url("/story.html"), 1_000_000)
    finally:
        client.close()
    assert page.body == STORY
    assert (page.url, page.content_type, page.charset) == (
        site.url("/story.html"), "text/html", "utf-8")


def test_fetch_reports_the_final_url_after_a_redirect(site: Site) -> None:
    client = new_client(5.0)
    try:
        page = fetch(client, site.url("/old-address"), 1_000_000)
    finally:
        client.close()
    assert page.url == site.url("/plain.html")
    assert page.body == PLAIN_STORY
    assert site.paths == ["/old-address", "/plain.html"]


@pytest.mark.parametrize(("path", "max_bytes", "code", "words"), [
    ("/missing", 1_000_000, "http_error", "HTTP 404"),
    ("/report.pdf", 1_000_000, "not_html", "application/pdf"),
    ("/big.html", 1000, "too_large", "1,000-byte limit"),
    ("/big-unsized.html", 1000, "too_large", "1,000-byte limit"),
])
def test_fetch_errors_are_coded(site: Site, path: str, max_bytes: int, code: str,
                                words: str) -> None:
    client = new_client(5.0)
    try:
        with pytest.raises(FetchError) as caught:
            fetch(client, site.url(path), max_bytes)
    finally:
        client.close()
    assert caught.value.code == code
    assert words in str(caught.value)


def test_a_closed_port_is_a_network_error() -> None:
    client = new_client(2.0)
    try:
        with pytest.raises(FetchError) as caught:
            fetch(client, f"http://127.0.0.1:{closed_port()}/story.html", 1000)
    finally:
        client.close()
    assert caught.value.code == "network"


# --------------------------------------------------------------------------- read_sources on URLs


def test_an_html_url_becomes_one_article(site: Site) -> None:
    article = only(read(site.url("/story.html")))
    assert isinstance(article, Article)
    assert article.source == site.url("/story.html")
    assert article.title == "Missile strike on Kharkiv apartment block kills nine"
    assert article.outlet == "Northern Ledger"
    assert article.url == "https://news.example.org/world/2023/10/06/kharkiv-strike"
    assert (article.date, article.date_source) == (dt.date(2023, 10, 6), "page")
    assert "killing nine people and wounding at least 23" in article.text
    assert "cookie" not in article.text.lower()


def test_the_user_agent_names_tolltrack(site: Site) -> None:
    read(site.url("/story.html"))
    assert site.user_agents == [USER_AGENT]
    assert site.user_agents[0].startswith("tolltrack/")


def test_a_redirected_url_reports_the_final_address(site: Site) -> None:
    article = only(read(site.url("/old-address")))
    assert isinstance(article, Article)
    assert article.url == site.url("/plain.html")
    assert "Three people were killed and five wounded" in article.text
    assert "Home" not in article.text


@pytest.mark.parametrize(("path", "options", "reason"), [
    ("/missing", {}, "http_error"),
    ("/report.pdf", {}, "not_html"),
    ("/big.html", {"max_bytes": 2000}, "too_large"),
    ("/big-unsized.html", {"max_bytes": 2000}, "too_large"),
    ("/slow.html", {"timeout": 0.5}, "timeout"),
])
def test_a_url_that_gives_no_page_is_a_fatal_reject(site: Site, path: str,
                                                    options: dict[str, Any],
                                                    reason: str) -> None:
    reject = only_reject(read(site.url(path), **options))
    assert (reject.source, reject.reason, reject.fatal) == (site.url(path), reason, True)
    assert site.paths == [path]


def test_a_timeout_does_not_wait_for_the_slow_server(site: Site) -> None:
    started = time.monotonic()
    reject = only_reject(read(site.url("/slow.html"), timeout=0.5))
    assert reject.reason == "timeout"
    assert time.monotonic() - started < SLOW_SECONDS - 1


def test_a_closed_port_is_a_network_reject() -> None:
    url = f"http://127.0.0.1:{closed_port()}/story.html"
    reject = only_reject(read(url, timeout=2.0))
    assert (reject.source, reject.reason, reject.fatal) == (url, "network", True)


def test_offline_refuses_every_url_without_a_request(site: Site) -> None:
    items = read(site.url("/story.html"), site.url("/feed.xml"), offline=True)
    assert [(r.reason, r.fatal) for r in items if isinstance(r, Reject)] == [
        ("offline", True), ("offline", True)]
    assert len(items) == 2
    assert site.paths == []


def test_an_rss_url_gives_one_article_per_entry(site: Site) -> None:
    items = read(site.url("/feed.xml"))
    articles = [a for a in items if isinstance(a, Article)]
    assert [a.title for a in articles] == [
        "Missile strike on Kharkiv apartment block kills nine",
        "Drone attack sets Odesa grain terminal on fire", "Gone"]
    assert articles[0].text == "Teaser: a missile hit an apartment block in Kharkiv.\n"
    assert articles[0].url == site.url("/story.html")
    assert (articles[0].date, articles[0].date_source) == (dt.date(2023, 10, 6), "feed")
    assert {a.outlet for a in articles} == {"Local Wire"}
    assert site.paths == ["/feed.xml"]  # the linked pages are not fetched


def test_follow_links_reads_each_linked_page_instead_of_the_summary(site: Site) -> None:
    items = read(site.url("/feed.xml"), follow_links=True)
    first, second, gone = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert "Teaser" not in first.text
    assert "killing nine people and wounding at least 23" in first.text
    assert (first.outlet, first.date, first.date_source) == (
        "Northern Ledger", dt.date(2023, 10, 6), "page")
    assert "killing two dock workers" in second.text
    assert isinstance(gone, Reject)
    assert (gone.source, gone.reason, gone.fatal) == (
        f"{site.url('/feed.xml')} entry 3", "http_error", False)
    assert gone.message.startswith(site.url("/missing"))
    assert site.paths == ["/feed.xml", "/story.html", "/odesa.html", "/missing"]
    assert all(agent.startswith("tolltrack/") for agent in site.user_agents)


def test_follow_links_from_a_feed_file_uses_the_server(site: Site, tmp_path: Path) -> None:
    feed = tmp_path / "saved-feed.xml"
    feed.write_bytes(_feed(site.base))
    items = read(str(feed), follow_links=True)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Reject"]
    assert site.paths == ["/story.html", "/odesa.html", "/missing"]


def test_follow_links_offline_fetches_nothing(site: Site, tmp_path: Path) -> None:
    feed = tmp_path / "saved-feed.xml"
    feed.write_bytes(_feed(site.base))
    items = read(str(feed), follow_links=True, offline=True)
    assert [(i.reason, i.fatal) for i in items if isinstance(i, Reject)] == [
        ("offline", False)] * 3
    assert len(items) == 3
    assert site.paths == []



# --------------------------------------------------------------------------- bad URLs


@pytest.mark.parametrize("url", ["http://host:abc/x", "http://[::1", "https://[::1/story",
                                 "http://127.0.0.1:8o8o/story.html"])
def test_a_malformed_url_is_a_network_reject_without_a_traceback(url: str) -> None:
    reject = only_reject(read(url, timeout=2.0))
    assert (reject.source, reject.reason, reject.fatal) == (url, "network", True)
    assert reject.message.startswith("bad URL (")
    assert "Traceback" not in reject.message


def test_a_malformed_url_does_not_stop_the_next_source(site: Site) -> None:
    bad, article = read("http://host:abc/x", site.url("/plain.html"))
    assert isinstance(bad, Reject) and bad.reason == "network"
    assert isinstance(article, Article)
    assert article.title == "Shelling kills three in Kherson"
    assert site.paths == ["/plain.html"]


def test_fetch_raises_a_coded_error_for_a_malformed_url() -> None:
    client = new_client(2.0)
    try:
        with pytest.raises(FetchError) as caught:
            fetch(client, "http://host:abc/x", 1000)
    finally:
        client.close()
    assert caught.value.code == "network"
    assert "bad URL" in str(caught.value)


# --------------------------------------------------------------------------- following links


def test_a_feed_entry_linking_back_to_its_feed_is_not_followed_as_a_feed(site: Site) -> None:
    url = site.url("/self-feed.xml")
    reject = only_reject(read(url, follow_links=True))
    assert (reject.source, reject.reason, reject.fatal) == (f"{url} entry 1", "not_html", False)
    assert reject.message.startswith(f"{url}: content type application/rss+xml")
    assert site.paths == ["/self-feed.xml", "/self-feed.xml"]  # the feed, then its link once


def test_relative_entry_links_are_resolved_against_the_feed_url(site: Site) -> None:
    untitled, story = read(site.url("/news/feed.xml"), follow_links=True)
    assert site.paths == ["/news/feed.xml", "/news/untitled.html", "/story.html"]
    assert isinstance(untitled, Article) and isinstance(story, Article)
    assert untitled.url == site.url("/news/untitled.html")
    assert "killed and five wounded" in untitled.text and "Teaser" not in untitled.text
    assert "killing nine people and wounding at least 23" in story.text


def test_relative_entry_links_without_following(site: Site) -> None:
    untitled, story = read(site.url("/news/feed.xml"))
    assert isinstance(untitled, Article) and isinstance(story, Article)
    assert (untitled.url, story.url) == (site.url("/news/untitled.html"),
                                         site.url("/story.html"))
    assert site.paths == ["/news/feed.xml"]


def test_the_entry_title_and_date_fill_what_the_linked_page_lacks(site: Site) -> None:
    untitled, story = read(site.url("/news/feed.xml"), follow_links=True)
    assert isinstance(untitled, Article) and isinstance(story, Article)
    assert untitled.title == "Shelling kills three in Kherson"
    assert (untitled.date, untitled.date_source) == (dt.date(2023, 11, 5), "feed")
    assert untitled.source == f"{site.url('/news/feed.xml')} entry 1"
    # A page with its own title and date keeps them.
    assert story.title == "Missile strike on Kharkiv apartment block kills nine"
    assert (story.date, story.date_source) == (dt.date(2023, 10, 6), "page")


@pytest.mark.parametrize("feed", ["self", "relative"])
def test_follow_links_offline_sends_no_request(site: Site, tmp_path: Path, feed: str) -> None:
    path = tmp_path / "saved.xml"
    path.write_bytes(_self_feed(site.base) if feed == "self" else RELATIVE_FEED)
    items = read(str(path), site.url("/news/feed.xml"), follow_links=True, offline=True)
    assert items
    assert all(isinstance(i, Reject) and i.reason == "offline" for i in items), items
    assert [i.fatal for i in items if isinstance(i, Reject)][-1] is True  # the feed URL
    assert site.paths == []


# --------------------------------------------------------------------------- pages by content type


def test_a_text_html_url_that_opens_with_a_script_is_read_as_a_page(site: Site) -> None:
    article = only(read(site.url("/scripted.html")))
    assert isinstance(article, Article)
    assert article.title == "Shelling kills three in Kherson"
    assert "Three people were killed and five wounded" in article.text
    assert "<" not in article.text and "dataLayer" not in article.text


# --------------------------------------------------------------------------- slow bodies


def test_a_body_that_trickles_in_times_out(site: Site) -> None:
    started = time.monotonic()
    reject = only_reject(read(site.url("/trickle.html"), timeout=0.5))
    elapsed = time.monotonic() - started
    assert (reject.reason, reject.fatal) == ("timeout", True)
    assert "too slowly" in reject.message
    assert elapsed < 5.0
    assert elapsed >= 1.0  # the body kept arriving: no single read timed out

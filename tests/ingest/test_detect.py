"""Tests for tolltrack.ingest.detect: what a document is, from its first bytes and its name."""

from __future__ import annotations

import bz2
import gzip
import lzma
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.ingest.detect import Kind, binary_kind, compression_of, kind_of, plain_name

RSS = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
ATOM = b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>'
RDF = b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
XHTML = (b'<?xml version="1.0" encoding="utf-8"?>\n'
         b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Raid</title>')
PAGE = b'<!DOCTYPE html>\n<html lang="en"><head><title>Raid</title></head>'
STORY = b"Officials said 10 soldiers were killed in the raid on Tuesday.\n"


@pytest.mark.parametrize(("head", "name", "kind"), [
    # Archives: the version line decides, whatever the name says.
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "crawl.warc", Kind.WARC),
    (b"WARC/1.1\r\nWARC-Type: response\r\n", "crawl.warc.gz", Kind.WARC),
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "notes.txt", Kind.WARC),
    # Feeds: an XML declaration or a feed root.
    (RSS, "world.xml", Kind.FEED),
    (RSS, "", Kind.FEED),
    (ATOM, "feed", Kind.FEED),
    (RDF, "index.rdf", Kind.FEED),
    (b'<rss version="2.0"><channel><title>Wire</title>', "", Kind.FEED),
    (b'<feed xmlns="http://www.w3.org/2005/Atom">', "atom.txt", Kind.FEED),
    (b"\xef\xbb\xbf" + RSS, "bom.rss", Kind.FEED),
    # XHTML starts with an XML declaration too, but has no feed root.
    (XHTML, "page.xhtml", Kind.HTML),
    # Pages: a tag at the start, after a BOM, blank space or comments.
    (PAGE, "page.html", Kind.HTML),
    (PAGE, "page.txt", Kind.HTML),
    (b"\xef\xbb\xbf" + PAGE, "bom.html", Kind.HTML),
    (b"\n\n   <html><body><p>" + STORY, "", Kind.HTML),
    (b"<!-- saved from url=(0042)https://example.org/ -->\n<html>", "saved", Kind.HTML),
    (b'<div class="story"><p>' + STORY, "fragment", Kind.HTML),
    (b"<P>" + STORY, "", Kind.HTML),
    ('<!DOCTYPE html>\n<html lang="de">'.encode("utf-16"), "utf16.html", Kind.HTML),
    (b"\xfe\xff" + "<html><body>".encode("utf-16-be"), "be.html", Kind.HTML),
    # A tag further in decides only for a file named as a page.
    (b"<b>Breaking:</b> " + STORY, "page.htm", Kind.HTML),
    (b"<b>Breaking:</b> " + STORY, "page.txt", Kind.TEXT),
    (b"10 < 12 soldiers, officials said", "count.html", Kind.HTML),
    (b"Ten soldiers, officials said", "count.html", Kind.TEXT),
    # Records: a JSON object first, or a record file's name.
    (b'{"id": "a1", "text": "Ten killed."}\n', "", Kind.JSONL),
    (b'  \n{"id": "a1"}\n', "dump", Kind.JSONL),
    (b"\n", "batch.jsonl", Kind.JSONL),
    (b"[1, 2]", "batch.json", Kind.JSONL),
    (b'{"a": 1}', "batch.ndjson.gz", Kind.JSONL),
    (b"id,text\n1,Ten killed.\n", "batch.csv", Kind.CSV),
    (b"id\ttext\n1\tTen killed.\n", "BATCH.TSV", Kind.CSV),
    (b"id,text\n1,Ten killed.\n", "batch.csv.gz", Kind.CSV),
    (b"id,text\n1,Ten killed.\n", "batch.csv.xz", Kind.CSV),
    # Everything else is plain text.
    (STORY, "raid.txt", Kind.TEXT),
    (STORY, "", Kind.TEXT),
    (b"id,text\n1,Ten killed.\n", "batch.txt", Kind.TEXT),
    (b"Archive note: WARC/1.0 files", "notes.txt", Kind.TEXT),
    (b"", "", Kind.TEXT),
    (b"", "empty.txt", Kind.TEXT),
    (b"   \n\t", "blank.md", Kind.TEXT),
])
def test_kind_of(head: bytes, name: str, kind: Kind) -> None:
    assert kind_of(head, name) is kind


def test_a_feed_that_starts_with_a_comment_is_a_feed() -> None:
    head = b'<!-- generated 2024-03-14 -->\n<rss version="2.0"><channel><title>Wire</title>'
    assert kind_of(head, "world.rss") is Kind.FEED


# --------------------------------------------------------------------------- compression


@pytest.mark.parametrize(("head", "compression"), [
    (gzip.compress(STORY, mtime=0), "gzip"),
    (b"\x1f\x8b", "gzip"),
    (bz2.compress(STORY), "bz2"),
    (lzma.compress(STORY), "xz"),
    (b"\x28\xb5\x2f\xfd\x00\x58", "zstd"),
    (STORY, None),
    (b"", None),
    (b"\x1f", None),  # half a magic number
    (b"BZ", None),
    (b"\xfd7zXZ", None),  # xz's magic is six bytes long
    (lzma.compress(STORY, format=lzma.FORMAT_ALONE), None),  # legacy .lzma is not read
    (b"PK\x03\x04", None),  # a ZIP archive is not a stream tolltrack opens
])
def test_compression_of(head: bytes, compression: str | None) -> None:
    assert compression_of(head) == compression


def test_compression_of_zstandard_frames() -> None:
    import zstandard

    frame = zstandard.ZstdCompressor().compress(STORY)
    assert compression_of(frame) == "zstd"


# --------------------------------------------------------------------------- binary formats


@pytest.mark.parametrize(("head", "description"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (or an Office document)"),
    (b"\x7fELF\x02\x01\x01", "an executable"),
    (b"RIFF\x24\x08\x00\x00WAVEfmt ", "a RIFF media file"),
    (b"OggS\x00\x02", "an Ogg media file"),
    (b"SQLite format 3\x00\x10\x00", "an SQLite database"),
    (random.Random(7).randbytes(4096), "binary data"),
    (b"Officials said\x00 10 were\x00 killed", "binary data"),  # NULs throughout
    (bytes(range(1, 9)) * 4 + STORY, "binary data"),  # control characters
])
def test_binary_kind_names_the_format(head: bytes, description: str) -> None:
    assert binary_kind(head) == description


@pytest.mark.parametrize("head", [
    b"",
    STORY,
    PAGE,
    "Kyiv \u2013 3 killed in Zürich".encode(),
    "Police in Zürich said two people died.".encode("latin-1"),
    "Three killed".encode("utf-16"),  # NUL bytes, but a byte-order mark says it is text
    b"\xfe\xff" + "Three killed".encode("utf-16-be"),
    b"Line one\r\n\tLine two\x0b\x0c\n",  # tabs, form feeds and line ends are text
    b"See the attached %PDF-1.7 report. " + STORY,  # a magic number counts only first
    STORY + b"\x89PNG\r\n\x1a\n",
])
def test_binary_kind_passes_text(head: bytes) -> None:
    assert binary_kind(head) is None


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("name", "plain"), [
    ("crawl.warc.gz", "crawl.warc"),
    ("batch.jsonl.bz2", "batch.jsonl"),
    ("batch.csv.xz", "batch.csv"),
    ("story.txt.zst", "story.txt"),
    ("STORY.TXT.GZ", "STORY.TXT"),
    ("story.txt", "story.txt"),
    ("archive.tar.gz", "archive.tar"),
    ("gz", "gz"),
    (".gz", ""),
    ("", ""),
    ("folder.gz/story.txt", "folder.gz/story.txt"),
    ("story.gzip", "story.gzip"),
])
def test_plain_name(name: str, plain: str) -> None:
    assert plain_name(name) == plain


# --------------------------------------------------------------------------- properties


@given(st.binary(max_size=4096), st.text(max_size=40))
def test_kind_of_never_raises(head: bytes, name: str) -> None:
    assert kind_of(head, name) in set(Kind)


@given(st.binary(max_size=4096))
def test_binary_kind_and_compression_never_raise(head: bytes) -> None:
    description = binary_kind(head)
    assert description is None or description.startswith(("a ", "an ", "binary data"))
    assert compression_of(head) in {None, "gzip", "bz2", "xz", "zstd"}


@given(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b""]),
       st.binary(max_size=512), st.text(max_size=20))
def test_kind_of_never_raises_after_a_byte_order_mark(bom: bytes, rest: bytes,
                                                     name: str) -> None:
    assert kind_of(bom + rest, name) in set(Kind)


# --------------------------------------------------------------------------- first tags

ARTICLE = b"<article><h1>Raid</h1><p>" + STORY + b"</p></article>"


@pytest.mark.parametrize("start", [
    b"<script>window.dataLayer = window.dataLayer || [];</script>",
    b'<script type="text/javascript" src="/ads.js"></script>',
    b'<link rel="stylesheet" href="/site.css">',
    b'<LINK REL="canonical" HREF="https://example.org/raid">',
    b'<nav class="menu"><a href="/">Home</a></nav>',
    b"<style>body { margin: 0 }</style>",
    b"<header>Example Daily</header>",
    b"<noscript>Turn on JavaScript</noscript>",
    b'<base href="https://example.org/">',
    b'<iframe src="/ad"></iframe>',
    b"<span>Breaking</span>",
    b'<form action="/search"></form>',
    b'<figure><img src="/raid.jpg"></figure>',
    b'<img src="/raid.jpg">',
    b'<a href="/">Home</a>',
    b"<ul><li>World</li></ul>",
    b"<br>",
    b"<h2>World</h2>",
    b"<!-- saved page -->\n<script>var x = 1;</script>",
])
@pytest.mark.parametrize("name", ["", "saved-page", "page.dat"])
def test_a_page_opening_with_any_page_tag_is_html(start: bytes, name: str) -> None:
    assert kind_of(start + ARTICLE, name) is Kind.HTML


@pytest.mark.parametrize("head", [
    b"<abbr>UN</abbr> officials said 10 were killed.",
    b"<b>Breaking:</b> " + STORY,
    b"<3 killed, officials said",
    b"<scripture> reading at the funeral of 3 victims",
    b"<linkedin> post by the governor: 4 killed",
])
def test_a_tag_name_that_only_starts_like_a_page_tag_is_text(head: bytes) -> None:
    assert kind_of(head, "note") is Kind.TEXT


# --------------------------------------------------------------------------- braces


@pytest.mark.parametrize(("head", "name", "kind"), [
    (b"{Editor's note: updated.} " + STORY + STORY, "note.txt", Kind.TEXT),
    (b"{Editor's note: updated.} " + STORY + STORY, "", Kind.TEXT),
    (b'{"id": "a1", "text": "Ten killed."}\n{"id": "a2"}\n', "", Kind.JSONL),
    (b'{"id": "a1", "text": "Ten killed."}', "", Kind.JSONL),  # one record, no newline
    (b'{"text": "' + b"killed " * 20_000, "", Kind.JSONL),  # a line longer than the head
    (b'[{"id": "a1", "text": "Ten killed."}]', "export.json", Kind.JSONL),
    (b'[{"id": "a1", "text": "Ten killed."}]', "export.txt", Kind.TEXT),
    (b"[1, 2]\n", "", Kind.TEXT),
    (b"{Updated} Officials said 10 soldiers were killed.", "note.txt", Kind.TEXT),
])
def test_prose_opening_with_a_brace_is_not_jsonl(head: bytes, name: str, kind: Kind) -> None:
    assert kind_of(head, name) is kind

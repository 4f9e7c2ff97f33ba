"""Tests for tolltrack.ingest.warc: hand-made archives; a broken record costs only itself."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.streams import Break, gzip_chunks, plain_chunks
from tolltrack.ingest.warc import WarcPage, WarcSkip, iter_warc
from tolltrack.model import Article

MB = 1024 * 1024
DATE = "2024-03-14T09:30:00Z"
Chunker = Callable[[BinaryIO], Iterator[bytes | Break]]

# --------------------------------------------------------------------------- building archives


def page(n: int, extra: str = "") -> bytes:
    """A small news page whose text differs with ``n``."""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Report {n}</title>"
            f"</head><body><article><h1>Report {n}</h1><p>Officials said {n + 2} people were "
            f"killed in district {n} on Tuesday.{extra}</p></article></body></html>").encode()


def http(body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8",
         **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}",
             *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items()),
             f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def record(block: bytes, kind: str = "response", uri: str | None = "https://example.org/1",
           length: int | None = None, ctype: str | None = None) -> bytes:
    """One WARC record; ``length`` overrides the true Content-Length."""
    if ctype is None:
        ctype = (f"application/http; msgtype={kind}" if kind in ("response", "request")
                 else "application/warc-fields")
    head = ["WARC/1.0", f"WARC-Type: {kind}",
            "WARC-Record-ID: <urn:uuid:12345678-1234-4234-8234-123456789abc>",
            f"WARC-Date: {DATE}"]
    if uri:
        head.append(f"WARC-Target-URI: {uri}")
    head += [f"Content-Type: {ctype}",
             f"Content-Length: {len(block) if length is None else length}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def response(n: int) -> bytes:
    return record(http(page(n)), uri=f"https://example.org/{n}")


def warcinfo() -> bytes:
    return record(b"software: example-crawler/1.0\r\n", kind="warcinfo", uri=None)


def request(n: int) -> bytes:
    return record(f"GET /{n} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode(),
                  kind="request", uri=f"https://example.org/{n}")


def read(data: bytes, chunks: Chunker = plain_chunks, max_bytes: int = 10 * MB
         ) -> list[WarcPage | WarcSkip]:
    return list(iter_warc(chunks(io.BytesIO(data)), max_bytes))


def uris(items: list[WarcPage | WarcSkip]) -> list[str | None]:
    return [item.uri for item in items if isinstance(item, WarcPage)]


def skips(items: list[WarcPage | WarcSkip]) -> list[str]:
    return [item.reason for item in items if isinstance(item, WarcSkip)]


def members(*records: bytes) -> bytes:
    """A record-per-member WARC.gz."""
    return b"".join(gzip.compress(r, mtime=0) for r in records)


def corrupt(member: bytes) -> bytes:
    """A gzip member whose deflate data is overwritten (an invalid block type)."""
    return member[:10] + b"\xff" * (len(member) - 18) + member[-8:]


# --------------------------------------------------------------------------- good archives


def test_pages_come_out_in_order_with_their_capture_date_and_charset() -> None:
    items = read(warcinfo() + request(1) + response(1) + request(2) + response(2))
    assert all(isinstance(i, WarcPage) for i in items)  # requests and warcinfo are silent
    first, second = items
    assert isinstance(first, WarcPage) and isinstance(second, WarcPage)
    assert (first.uri, second.uri) == ("https://example.org/1", "https://example.org/2")
    assert first.date == dt.date(2024, 3, 14)
    assert first.charset == "utf-8"
    assert first.body == page(1)
    assert first.offset == len(warcinfo() + request(1))


def test_records_of_a_record_per_member_gzip_archive() -> None:
    data = members(warcinfo(), response(1), response(2), response(3))
    assert uris(read(data, gzip_chunks)) == [f"https://example.org/{n}" for n in (1, 2, 3)]


def test_a_whole_file_compressed_as_one_gzip_member() -> None:
    data = gzip.compress(warcinfo() + response(1) + response(2) + response(3), mtime=0)
    items = read(data, gzip_chunks)
    assert uris(items) == [f"https://example.org/{n}" for n in (1, 2, 3)]
    assert skips(items) == []


def test_records_that_straddle_chunks() -> None:
    big = record(http(page(1, " Rescuers were still searching." * 40000)),
                 uri="https://example.org/big")
    assert len(big) > MB  # longer than one chunk
    items = read(response(0) + big + response(2))
    assert uris(items) == ["https://example.org/0", "https://example.org/big",
                           "https://example.org/2"]


def test_lf_only_trailers_are_accepted() -> None:
    one = response(1).removesuffix(b"\r\n\r\n") + b"\n\n"
    assert uris(read(one + response(2))) == ["https://example.org/1", "https://example.org/2"]


def test_a_last_record_missing_its_closing_blank_lines() -> None:
    last = response(2).removesuffix(b"\r\n\r\n")
    assert uris(read(response(1) + last)) == ["https://example.org/1", "https://example.org/2"]


def test_blank_lines_between_records_are_passed_over() -> None:
    items = read(b"\r\n\r\n" + response(1) + b"\n\r\n\n" + response(2) + b"\r\n")
    assert uris(items) == ["https://example.org/1", "https://example.org/2"]
    assert skips(items) == []


# --------------------------------------------------------------------------- responses skipped


@pytest.mark.parametrize(("block", "reason", "words"), [
    (http(b"\x89PNG\r\n\x1a\n\x00\x00", ctype="image/png"), "not_html", "image/png"),
    (http(b"%PDF-1.7", ctype="application/pdf"), "not_html", "application/pdf"),
    (http(b"", status="301 Moved Permanently", Location="https://example.org/new"),
     "http_status", "301"),
    (http(page(9), status="404 Not Found"), "http_status", "404"),
    (http(page(9), status="500 Internal Server Error"), "http_status", "500"),
])
def test_responses_that_give_no_page(block: bytes, reason: str, words: str) -> None:
    odd = record(block, uri="https://example.org/odd")
    items = read(response(1) + odd + response(2))
    assert uris(items) == ["https://example.org/1", "https://example.org/2"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert skip.reason == reason
    assert words in skip.message
    assert skip.offset == len(response(1))


def test_a_response_that_is_not_an_http_message() -> None:
    odd = record(page(7), uri="https://example.org/7", ctype="text/html")
    items = read(odd + response(1))
    assert uris(items) == ["https://example.org/1"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert skip.reason == "not_html"
    assert skip.message == "https://example.org/7: not an HTTP response"


def test_a_response_with_no_content_type_is_read_as_html() -> None:
    bare = record(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(page(5)) + page(5),
                  uri="https://example.org/5")
    [item] = read(bare)
    assert isinstance(item, WarcPage)
    assert item.body == page(5)


def test_metadata_and_resource_records_are_silent() -> None:
    meta = record(b"outlinks: https://example.org/2\r\n", kind="metadata")
    resource = record(b"plain bytes", kind="resource")
    items = read(meta + response(1) + resource + request(2))
    assert uris(items) == ["https://example.org/1"]
    assert skips(items) == []


# --------------------------------------------------------------------------- broken records


def test_content_length_too_long_costs_only_that_record() -> None:
    body = http(page(2))
    liar = record(body, uri="https://example.org/2", length=len(body) + 40)
    items = read(response(1) + liar + response(3))
    assert uris(items) == ["https://example.org/1", "https://example.org/3"]
    assert skips(items) == ["broken_record"]


def test_content_length_too_short_costs_only_that_record() -> None:
    body = http(page(2))
    liar = record(body, uri="https://example.org/2", length=len(body) - 40)
    items = read(response(1) + liar + response(3))
    assert uris(items) == ["https://example.org/1", "https://example.org/3"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert skip.reason == "broken_record"
    assert "Content-Length" in skip.message
    assert skip.offset == len(response(1))


def test_a_record_without_content_length() -> None:
    nolength = response(2).replace(b"Content-Length: ", b"X-Length: ", 1)
    items = read(response(1) + nolength + response(3))
    assert uris(items) == ["https://example.org/1", "https://example.org/3"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert "no Content-Length" in skip.message


def test_junk_between_records() -> None:
    junk = b"<<< the crawler wrote a log line here >>>\n" * 3
    items = read(response(1) + junk + response(2))
    assert uris(items) == ["https://example.org/1", "https://example.org/2"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert (skip.reason, skip.offset) == ("broken_record", len(response(1)))
    assert "junk" in skip.message


def test_junk_before_the_first_record_and_after_the_last() -> None:
    items = read(b"garbage\x00\x01" + response(1) + b"trailing junk")
    assert uris(items) == ["https://example.org/1"]
    assert skips(items) == ["broken_record", "broken_record"]


def test_a_truncated_last_record() -> None:
    cut = response(2)[: len(response(2)) - 100]
    items = read(response(1) + cut)
    assert uris(items) == ["https://example.org/1"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert skip.reason == "broken_record"
    assert "truncated" in skip.message


def test_a_header_with_no_end() -> None:
    cut = response(2)[:60]
    items = read(response(1) + cut)
    assert uris(items) == ["https://example.org/1"]
    assert skips(items) == ["broken_record"]


@pytest.mark.parametrize("where", [b"\r\nWARC-Type: resp", b"\r\nWARC-Target-URI: https://exa",
                                   b"\r\nContent-Length: "])
def test_a_record_cut_inside_its_header_costs_only_itself(where: bytes) -> None:
    two = response(2)
    cut = two[: two.index(where) + len(where)]
    items = read(response(1) + cut + response(3) + response(4))
    assert uris(items) == ["https://example.org/1", "https://example.org/3",
                           "https://example.org/4"]


def test_a_corrupt_gzip_member_costs_only_its_record() -> None:
    parts = [gzip.compress(r, mtime=0) for r in (warcinfo(), response(1), response(2),
                                                   response(3))]
    parts[2] = corrupt(parts[2])
    items = read(b"".join(parts), gzip_chunks)
    assert uris(items) == ["https://example.org/1", "https://example.org/3"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert skip.reason == "broken_record"
    assert "corrupt gzip member" in skip.message


def test_a_corrupt_first_member_and_a_truncated_last_one() -> None:
    parts = [gzip.compress(r, mtime=0) for r in (response(1), response(2), response(3))]
    parts[0] = corrupt(parts[0])
    parts[2] = parts[2][: len(parts[2]) // 2]
    items = read(b"".join(parts), gzip_chunks)
    assert uris(items) == ["https://example.org/2"]
    assert skips(items)[0] == "broken_record"
    assert all(reason == "broken_record" for reason in skips(items))


def test_garbage_between_gzip_members() -> None:
    data = (gzip.compress(response(1), mtime=0) + b"not gzip at all"
            + gzip.compress(response(2), mtime=0))
    items = read(data, gzip_chunks)
    assert uris(items) == ["https://example.org/1", "https://example.org/2"]
    assert skips(items) == ["broken_record"]


def test_gzip_chunks_marks_the_gap() -> None:
    data = (gzip.compress(b"first member\n", mtime=0) + corrupt(gzip.compress(b"x" * 500))
            + gzip.compress(b"third member\n", mtime=0))
    out = list(gzip_chunks(io.BytesIO(data)))
    assert out[0] == b"first member\n"
    assert isinstance(out[1], Break)
    assert "corrupt gzip member" in out[1].message
    assert out[2:] == [b"third member\n"]


def test_gzip_chunks_of_a_truncated_file() -> None:
    data = gzip.compress(b"Officials said 10 were killed.\n" * 200, mtime=0)
    out = list(gzip_chunks(io.BytesIO(data[: len(data) // 2])))
    assert isinstance(out[-1], Break)
    assert "truncated" in out[-1].message
    assert all(isinstance(chunk, bytes) for chunk in out[:-1])


# --------------------------------------------------------------------------- size cap


def test_a_record_over_max_bytes_is_skipped_and_the_next_one_read() -> None:
    big = record(http(page(2, " More rubble was cleared." * 400)), uri="https://example.org/2")
    items = read(response(1) + big + response(3), max_bytes=4000)
    assert uris(items) == ["https://example.org/1", "https://example.org/3"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert skip.reason == "too_large"
    assert skip.offset == len(response(1))


def test_a_record_over_max_bytes_larger_than_a_chunk() -> None:
    big = record(http(page(2, " More rubble was cleared." * 100000)),
                 uri="https://example.org/2")
    assert len(big) > 2 * MB
    items = read(response(1) + big + response(3), max_bytes=MB)
    assert uris(items) == ["https://example.org/1", "https://example.org/3"]
    assert skips(items) == ["too_large"]


def test_a_truncated_record_over_max_bytes_ends_the_archive_quietly() -> None:
    big = record(http(page(2)), uri="https://example.org/2", length=50 * MB)
    items = read(response(1) + big, max_bytes=MB)
    assert uris(items) == ["https://example.org/1"]
    assert skips(items) == ["too_large"]


# --------------------------------------------------------------------------- bodies


def test_a_gzip_content_encoded_body_is_decompressed() -> None:
    block = http(gzip.compress(page(4), mtime=0), Content_Encoding="gzip")
    [item] = read(record(block, uri="https://example.org/4"))
    assert isinstance(item, WarcPage)
    assert item.body == page(4)


def test_a_corrupt_gzip_content_encoded_body() -> None:
    block = http(corrupt(gzip.compress(page(4) * 3, mtime=0)), Content_Encoding="gzip")
    items = read(record(block, uri="https://example.org/4") + response(5))
    assert uris(items) == ["https://example.org/5"]
    [skip] = [i for i in items if isinstance(i, WarcSkip)]
    assert (skip.reason, skip.message) == (
        "broken_record", "https://example.org/4: gzip-encoded body is corrupt")


def test_the_http_charset_is_reported() -> None:
    body = "<html><body><p>Взрыв в Москве: погибли 5 человек.</p></body></html>".encode(
        "windows-1251")
    [item] = read(record(http(body, ctype="text/html; charset=windows-1251")))
    assert isinstance(item, WarcPage)
    assert item.charset == "windows-1251"
    assert item.body == body


def test_the_reader_decodes_a_page_with_its_http_charset(tmp_path: Path) -> None:
    text = ("Взрыв на рынке в Белгороде: погибли 5 человек, ещё 12 ранены, сообщил "
            "губернатор области. Спасатели продолжают разбирать завалы.")
    body = (f"<html><head><title>Взрыв в Белгороде</title></head><body><article><p>{text}"
            "</p></article></body></html>").encode("koi8-r")
    path = tmp_path / "ru.warc"
    path.write_bytes(warcinfo() + record(http(body, ctype="text/html; charset=koi8-r"),
                                         uri="https://example.ru/vzryv"))
    [article] = list(read_sources([str(path)]))
    assert isinstance(article, Article)
    assert text in article.text
    assert article.url == "https://example.ru/vzryv"
    assert article.date == dt.date(2024, 3, 14)
    assert article.date_source == "archive"


def test_the_reader_names_each_skipped_record(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc"
    path.write_bytes(response(1) + record(http(page(2)), length=12) + response(3)
                     + record(http(b"", status="404 Not Found"), uri="https://example.org/x"))
    items = list(read_sources([str(path)]))
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [i.url for i in items if isinstance(i, Article)] == [
        "https://example.org/1", "https://example.org/3"]
    assert [(r.source, r.reason) for r in rejects] == [
        (str(path), "broken_record"), (str(path), "http_status")]
    assert rejects[0].message.startswith(f"record at byte {len(response(1))}: ")
    assert not any(r.fatal for r in rejects)


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=1, max_value=6), at=st.integers(min_value=0, max_value=6),
       junk=st.binary(min_size=1, max_size=300).filter(lambda b: b"WARC/1." not in b),
       compressed=st.booleans())
def test_junk_at_any_record_boundary_costs_no_page(n: int, at: int, junk: bytes,
                                                   compressed: bool) -> None:
    records = [response(i) for i in range(n)]
    records.insert(min(at, n), junk)
    items = read(members(*records), gzip_chunks) if compressed else read(b"".join(records))
    assert uris(items) == [f"https://example.org/{i}" for i in range(n)]
    assert skips(items) in ([], ["broken_record"])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=2, max_value=6), data=st.data())
def test_a_corrupt_member_anywhere_costs_only_its_own_page(n: int, data: st.DataObject
                                                          ) -> None:
    bad = data.draw(st.integers(min_value=0, max_value=n - 1))
    parts = [gzip.compress(response(i), mtime=0) for i in range(n)]
    parts[bad] = corrupt(parts[bad])
    items = read(b"".join(parts), gzip_chunks)
    assert uris(items) == [f"https://example.org/{i}" for i in range(n) if i != bad]
    assert skips(items) == ["broken_record"]


def cut_block(cut: int) -> list[str | None]:
    """The pages of a four-record archive whose second record is cut at ``cut``."""
    records = [response(i) for i in range(4)]
    records[1] = records[1][:cut]
    return uris(read(b"".join(records)))


def misframing_cuts() -> set[int]:
    """Cuts of the second record's block that leave its declared end on a blank line
    (CR LF CR LF) of the next record: there its Content-Length looks right."""
    second, third = response(1), response(2)
    start = second.index(b"\r\n\r\n") + 4  # the block starts after the header
    total = len(second) - 4  # where the declared block ends, counted from its start
    return {total - at for at in range(len(third))
            if third.startswith(b"\r\n\r\n", at) and total - at >= start}


def test_a_block_cut_at_any_byte_costs_only_its_own_page() -> None:
    second = response(1)
    start = second.index(b"\r\n\r\n") + 4  # the block starts after the header
    for cut in range(start, len(second) - 4):
        kept = [u for u in cut_block(cut) if u != "https://example.org/1"]
        assert kept == ["https://example.org/0", "https://example.org/2",
                        "https://example.org/3"], cut


def test_a_block_cut_where_its_length_ends_on_a_blank_line() -> None:
    cuts = misframing_cuts()
    assert cuts
    for cut in cuts:
        assert cut_block(cut) == ["https://example.org/0", "https://example.org/2",
                                  "https://example.org/3"], cut


# --------------------------------------------------------------------------- transfer codings


def chunked(body: bytes, size: int, extension: str = "") -> bytes:
    """``body`` in HTTP/1.1 chunked transfer coding, ``size`` bytes per chunk."""
    out = b""
    for at in range(0, len(body), size):
        part = body[at:at + size]
        out += f"{len(part):x}{extension}\r\n".encode() + part + b"\r\n"
    return out + b"0\r\n\r\n"


def raw_http(body: bytes, *headers: str) -> bytes:
    """An HTTP response with exactly the headers given (no Content-Length added)."""
    return ("\r\n".join(["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8",
                         *headers]) + "\r\n\r\n").encode() + body


@pytest.mark.parametrize(("size", "extension"), [(50, ""), (7, ""), (4096, ""), (64, ";x=1")])
def test_a_chunked_body_is_decoded(size: int, extension: str) -> None:
    block = raw_http(chunked(page(5), size, extension), "Transfer-Encoding: chunked")
    [item] = read(record(block, uri="https://example.org/5"))
    assert isinstance(item, WarcPage)
    assert item.body == page(5)


@pytest.mark.parametrize("size", [16, 100, 100_000])
def test_a_chunked_gzip_body_is_decoded(size: int) -> None:
    block = raw_http(chunked(gzip.compress(page(6), mtime=0), size),
                     "Transfer-Encoding: chunked", "Content-Encoding: gzip")
    [item] = read(record(block, uri="https://example.org/6"))
    assert isinstance(item, WarcPage)
    assert item.body == page(6)


def test_chunked_pages_are_read_with_their_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "chunked.warc.gz"
    path.write_bytes(members(
        warcinfo(),
        record(raw_http(chunked(page(5), 40), "Transfer-Encoding: chunked"),
               uri="https://example.org/chunked"),
        record(raw_http(chunked(gzip.compress(page(6), mtime=0), 40),
                        "Transfer-Encoding: chunked", "Content-Encoding: gzip"),
               uri="https://example.org/chunked-gzip"),
        response(7)))
    items = list(read_sources([str(path)]))
    assert all(isinstance(i, Article) for i in items), items
    assert [(a.url, a.title, a.text) for a in items if isinstance(a, Article)] == [
        ("https://example.org/chunked", "Report 5",
         "Report 5\nOfficials said 7 people were killed in district 5 on Tuesday.\n"),
        ("https://example.org/chunked-gzip", "Report 6",
         "Report 6\nOfficials said 8 people were killed in district 6 on Tuesday.\n"),
        ("https://example.org/7", "Report 7",
         "Report 7\nOfficials said 9 people were killed in district 7 on Tuesday.\n")]


# --------------------------------------------------------------------------- article urls


def test_the_article_url_is_the_target_uri_not_the_canonical_link(tmp_path: Path) -> None:
    body = page(8).replace(b"<head>", b'<head><link rel="canonical" '
                                      b'href="https://mirror.example.net/elsewhere/8">')
    path = tmp_path / "canonical.warc"
    path.write_bytes(record(http(body), uri="https://example.org/world/8") + response(9))
    first, second = list(read_sources([str(path)]))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.url, first.title) == ("https://example.org/world/8", "Report 8")
    assert first.source == f"{path} https://example.org/world/8"
    assert second.url == "https://example.org/9"


# --------------------------------------------------------------------------- pages that crash


def test_a_page_that_trips_the_extractor_costs_only_its_record(tmp_path: Path) -> None:
    path = tmp_path / "crash.warc.gz"
    path.write_bytes(members(response(1), record(http(b"<math>]]><html>"),
                                                 uri="https://example.org/crash"),
                             response(2)))
    first, reject, second = list(read_sources([str(path)]))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.url, second.url) == ("https://example.org/1", "https://example.org/2")
    assert isinstance(reject, Reject)
    assert (reject.source, reject.reason, reject.fatal) == (
        f"{path} https://example.org/crash", "bad_html", False)
    assert "AssertionError" in reject.message

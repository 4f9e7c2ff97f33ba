"""Web archives (WARC, WARC.gz): the HTML pages of every HTTP 200 response record.

fastwarc parses each record; tolltrack frames the records itself so that one
broken record (a wrong Content-Length, a corrupt gzip member, junk between
records) costs only that record: the reader finds the next record and goes on.
Memory holds one record at a time, whatever the size of the archive.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from tolltrack.ingest.streams import CHUNK as _CHUNK
from tolltrack.ingest.streams import Break

_MAX_HEADER = 64 * 1024
# A version line followed by a header line: found even where a broken record
# ran on without a line break.
_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n[A-Za-z][A-Za-z-]*:")
# The start of a record (CRLF line ends, as the standard writes them): never
# inside a well-framed block, so finding one there means the length was wrong.
_NEXT_RECORD = re.compile(rb"WARC/1\.[01]\r\n[A-Za-z][A-Za-z-]*:")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcPage:
    """One HTML page from an archive: its target URI, capture date, body and charset."""

    uri: str | None
    date: dt.date | None
    body: bytes
    charset: str | None
    offset: int


@dataclass(frozen=True)
class WarcSkip:
    """A record that gave no page: where it began (byte offset in the uncompressed
    stream), a reason code and a message."""

    offset: int
    reason: str
    message: str


class _Framer:
    """Splits a byte stream into WARC records, resynchronising after broken ones."""

    def __init__(self, chunks: Iterator[bytes | Break], max_bytes: int) -> None:
        self.chunks = chunks
        self.max_bytes = max_bytes
        self.buf = bytearray()
        self.base = 0  # stream offset of buf[0]
        self.eof = False
        self.breaks: list[tuple[int, str]] = []  # (stream offset, what was lost there)

    def _fill(self, need: int) -> bool:
        """Read until ``need`` bytes are buffered; False at the end of the stream."""
        while len(self.buf) < need and not self.eof:
            chunk = next(self.chunks, None)
            if chunk is None:
                self.eof = True
            elif isinstance(chunk, Break):
                self.breaks.append((self.base + len(self.buf), chunk.message))
            else:
                self.buf += chunk
        return len(self.buf) >= need

    def _breaks_before(self, position: int) -> str:
        """The messages of gaps in the stream before ``position``, taken off the list."""
        lost = [message for at, message in self.breaks if at < position]
        self.breaks = [(at, message) for at, message in self.breaks if at >= position]
        return "; ".join(lost)

    def _drop(self, n: int) -> None:
        del self.buf[:n]
        self.base += n

    def _resync(self, start: int) -> bool:
        """Drop bytes until the next record start at or after ``start``."""
        while True:
            found = _RECORD_START.search(self.buf, start)
            if found:
                self._drop(found.start())
                return True
            keep = max(0, len(self.buf) - 16)
            self._drop(keep)
            start = 0
            if not self._fill(len(self.buf) + _CHUNK) and not _RECORD_START.search(self.buf):
                self._drop(len(self.buf))
                return False

    def records(self) -> Iterator[tuple[int, bytes] | WarcSkip]:
        """(offset, record bytes) for each well-framed record, WarcSkip for broken ones."""
        yield from self._records()
        lost = self._breaks_before(self.base + len(self.buf) + 1)
        if lost:  # the stream ended inside a broken member
            yield WarcSkip(self.base, "broken_record", lost)

    def _records(self) -> Iterator[tuple[int, bytes] | WarcSkip]:
        self._fill(_CHUNK)
        while True:
            while self.buf[:2] in (b"\r\n",) or self.buf[:1] == b"\n":
                self._drop(2 if self.buf[:2] == b"\r\n" else 1)
                self._fill(_CHUNK)
            if not self.buf and not self._fill(1):
                return
            passed = self._breaks_before(self.base + 1)
            if passed:
                yield WarcSkip(self.base, "broken_record", passed)
            if not self.buf.startswith(b"WARC/1."):
                offset = self.base
                if not self._resync(0):
                    yield WarcSkip(offset, "broken_record", "junk where a record should start")
                    return
                yield WarcSkip(offset, "broken_record", "junk where a record should start")
                continue
            record, consumed = self._one()
            yield record
            if not consumed and not self._resync(1):
                return

    def _one(self) -> tuple[tuple[int, bytes] | WarcSkip, bool]:
        """The record at the buffer's start, and whether its bytes were consumed
        (False for a broken record: the caller looks for the next one)."""
        offset = self.base
        self._fill(_MAX_HEADER)
        end = self.buf.find(b"\r\n\r\n", 0, _MAX_HEADER)
        if end < 0:
            return WarcSkip(offset, "broken_record", "record header has no end"), False
        if _RECORD_START.search(self.buf, 1, end):
            return WarcSkip(offset, "broken_record", "record header is cut short"), False
        head = bytes(self.buf[:end])
        length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        if not length:
            return WarcSkip(offset, "broken_record",
                            "record header has no Content-Length"), False
        size = int(length.group(1))
        total = end + 4 + size
        if size > self.max_bytes:
            return self._skip_large(offset, total, size), True
        self._fill(total + 4)
        lost = self._breaks_before(offset + total)
        if lost:
            return WarcSkip(offset, "broken_record", lost), False
        if len(self.buf) < total:
            return WarcSkip(offset, "broken_record",
                            "record is truncated (the stream ends inside it)"), False
        trailer = bytes(self.buf[total:total + 4])
        if not (trailer == b"\r\n\r\n" or trailer.startswith(b"\n\n")
                or (self.eof and b"\r\n\r\n".startswith(trailer))):
            return WarcSkip(offset, "broken_record",
                            "Content-Length does not match where the record ends"), False
        if _NEXT_RECORD.search(self.buf, end + 4, total):
            return WarcSkip(offset, "broken_record",
                            "Content-Length runs into the next record"), False
        data = bytes(self.buf[:total])
        self._drop(total + (4 if trailer == b"\r\n\r\n" else
                            2 if trailer.startswith(b"\n\n") else len(trailer)))
        return (offset, data), True

    def _skip_large(self, offset: int, total: int, size: int) -> WarcSkip:
        """Pass over a record too large to read, without holding it in memory."""
        remaining = total
        while len(self.buf) < remaining:
            remaining -= len(self.buf)
            self._drop(len(self.buf))
            if not self._fill(1):
                break
        else:
            self._drop(remaining)
        return WarcSkip(offset, "too_large",
                        f"record of {size / (1024 * 1024):.1f} MB is over the "
                        f"{self.max_bytes / (1024 * 1024):g} MB limit")


def iter_warc(chunks: Iterator[bytes | Break], max_bytes: int
              ) -> Iterator[WarcPage | WarcSkip]:
    """Every HTML page of HTTP 200 response records in a WARC, in order.

    ``chunks`` are the archive's decompressed bytes (from ``streams.plain_chunks``
    or, for WARC.gz, ``streams.gzip_chunks``, which survives corrupt members). Request,
    metadata and other non-response records are passed over silently; responses
    that are not 200 or not HTML, records over ``max_bytes`` and broken records
    give a WarcSkip with the reason.
    """
    from fastwarc.warc import WarcRecord, WarcRecordType

    for item in _Framer(chunks, max_bytes).records():
        if isinstance(item, WarcSkip):
            yield item
            continue
        offset, data = item
        try:
            record = WarcRecord.from_bytes(_declare_http(data))
        except OSError as exc:
            yield WarcSkip(offset, "broken_record", f"record cannot be parsed ({exc})")
            continue
        if record.record_type != WarcRecordType.response:
            continue
        yield _page(record, offset)


_CONTENT_TYPE = re.compile(rb"(?im)^content-type:[^\r\n]*\r?\n?")


def _declare_http(data: bytes) -> bytes:
    """The record with its block declared as HTTP when it holds an HTTP message but
    its header does not say so (some writers leave the Content-Type out), so that
    fastwarc parses the HTTP headers."""
    end = data.find(b"\r\n\r\n")
    if data[end + 4:end + 9] != b"HTTP/" or b"application/http" in data[:end].lower():
        return data
    head = _CONTENT_TYPE.sub(b"", data[:end + 2])
    return head + b"Content-Type: application/http; msgtype=response\r\n" + data[end + 2:]


def _page(record: object, offset: int) -> WarcPage | WarcSkip:
    uri = record.headers.get("WARC-Target-URI")  # type: ignore[attr-defined]
    where = uri or f"record at byte {offset}"
    try:
        if not record.is_http:  # type: ignore[attr-defined]
            return WarcSkip(offset, "not_html", f"{where}: not an HTTP response")
        record.parse_http()  # type: ignore[attr-defined]
    except OSError as exc:
        return WarcSkip(offset, "broken_record", f"{where}: HTTP headers broken ({exc})")
    status = record.http_headers.status_code  # type: ignore[attr-defined]
    if status != 200:
        return WarcSkip(offset, "http_status", f"{where}: HTTP status {status}")
    ctype = (record.http_content_type or "").lower()  # type: ignore[attr-defined]
    if ctype and ctype not in _HTML_TYPES:
        return WarcSkip(offset, "not_html", f"{where}: content type {ctype} is not HTML")
    body = record.reader.read()  # type: ignore[attr-defined]
    transfer = (record.http_headers.get("Transfer-Encoding") or "").lower()  # type: ignore[attr-defined]
    if "chunked" in transfer:
        body = _dechunk(body)
    encoding = (record.http_headers.get("Content-Encoding") or "").lower()  # type: ignore[attr-defined]
    if encoding == "gzip" or body.startswith(b"\x1f\x8b\x08"):
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            return WarcSkip(offset, "broken_record", f"{where}: gzip-encoded body is corrupt")
    date = record.record_date  # type: ignore[attr-defined]
    return WarcPage(uri=uri, date=date.date() if date else None, body=body,
                    charset=record.http_charset, offset=offset)  # type: ignore[attr-defined]


def _dechunk(body: bytes) -> bytes:
    """The payload of an HTTP body sent with chunked transfer coding, as some crawlers
    store it; a body that does not parse as chunks is returned as it is."""
    out = bytearray()
    at = 0
    while True:
        end = body.find(b"\r\n", at)
        if end < 0:
            return body
        try:
            size = int(body[at:end].split(b";")[0], 16)
        except ValueError:
            return body
        if size == 0:
            return bytes(out)
        out += body[end + 2:end + 2 + size]
        at = end + 2 + size + 2

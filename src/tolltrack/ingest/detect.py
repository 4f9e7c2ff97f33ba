"""What a document is, told from its first bytes (and its name only when bytes can't tell)."""

from __future__ import annotations

import json
import re
from enum import StrEnum

from tolltrack.ingest.decode import is_binary


class Kind(StrEnum):
    """The readers tolltrack has: one per kind of document."""

    TEXT = "text"
    HTML = "html"
    FEED = "feed"
    WARC = "warc"
    JSONL = "jsonl"
    CSV = "csv"


# Compressed containers, by magic number: tolltrack opens these and reads what is inside.
COMPRESSIONS: dict[bytes, str] = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}

# Binary formats a user is likely to hand over by mistake, named in the reject message.
_BINARY_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
    b"OggS": "an Ogg media file",
    b"SQLite format 3\x00": "an SQLite database",
}

HEAD = 64 * 1024  # how much of a document is looked at to tell its kind
_COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")
_HTML_START = re.compile(
    rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|main"
    rb"|section|h[1-6]|table|script|link|style|header|nav|span|form|noscript|base|iframe"
    rb"|figure|img|a|ul|br)\b", re.IGNORECASE | re.DOTALL)
# A feed's root element is its first element, after the XML declaration,
# comments, processing instructions and a doctype.
_FEED_ROOT = re.compile(rb"^\s*<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL | re.IGNORECASE)


def compression_of(head: bytes) -> str | None:
    """The compression format whose magic number ``head`` starts with, or None."""
    for magic, name in COMPRESSIONS.items():
        if head.startswith(magic):
            return name
    return None


def binary_kind(head: bytes) -> str | None:
    """A description of the binary format ``head`` starts with ("a PNG image"), or None."""
    for magic, name in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return name
    return "binary data" if is_binary(head[:8192]) else None


def plain_name(name: str) -> str:
    """The file name without a compression suffix: ``crawl.warc.gz`` gives ``crawl.warc``."""
    lower = name.lower()
    for suffix in _COMPRESSED_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def kind_of(head: bytes, name: str = "") -> Kind:
    """The kind of a (decompressed) text document from its first bytes and its name.

    Content decides where it can (a WARC header, an XML feed root, an HTML tag, a
    JSON object per line); the name's extension decides between CSV and plain
    text, which content alone cannot tell apart reliably.
    """
    text = _text_head(head)
    lower = plain_name(name).lower()
    if text.startswith(b"WARC/"):
        return Kind.WARC
    if text.startswith((b"<?xml", b"<!--", b"<rss", b"<feed", b"<rdf")) and \
            _FEED_ROOT.search(_PROLOGUE.sub(b"", text[:8192])[:512]):
        return Kind.FEED
    if text.startswith(b"<?xml"):
        return Kind.HTML  # XHTML, or XML that trafilatura may still read
    if _HTML_START.match(text):
        return Kind.HTML
    if lower.endswith((".jsonl", ".ndjson", ".json")) or _json_object_line(text):
        return Kind.JSONL
    if lower.endswith((".csv", ".tsv")):
        return Kind.CSV
    if lower.endswith((".html", ".htm", ".xhtml")) and b"<" in text[:4096]:
        return Kind.HTML
    return Kind.TEXT


def _json_object_line(text: bytes) -> bool:
    """True when the first line is a JSON object (or too long to hold whole in the head,
    and starts like one): prose that opens with a brace is not a JSONL dump."""
    if not text.startswith(b"{"):
        return False
    line, newline, _ = text.partition(b"\n")
    if not newline and len(text) >= HEAD:
        return True  # one line longer than the head: judge by its start
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _text_head(head: bytes) -> bytes:
    """The first bytes as ASCII-comparable text: BOMs and leading space dropped,
    UTF-16 narrowed so its tags can be matched."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:  # pragma: no cover - errors are ignored
            return b""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip()

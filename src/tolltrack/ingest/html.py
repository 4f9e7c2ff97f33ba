"""Saved web pages: the story text, title, site and date through trafilatura."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tolltrack.model import parse_date


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document or fragment."""
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p"))


def html_fields(html: str) -> dict[str, Any] | None:
    """Main text and metadata of an HTML page, or None when it holds no story text."""
    import trafilatura

    # No extensive date search: it falls back on any year in the page ("Copyright 2024"
    # becomes 2024-01-01), and a wrong article date shifts every relative date in the story.
    date_params = {"original_date": True, "extensive_search": False,
                   "max_date": dt.date.today().isoformat()}
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True,
                                      date_extraction_params=date_params)
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    if not text.strip():
        return None
    date = None
    if data.get("date"):
        try:
            date = parse_date(str(data["date"]))
        except ValueError:
            date = None
    return {"text": text, "title": data.get("title"), "date": date,
            "outlet": data.get("sitename") or data.get("hostname"), "url": data.get("url")}

"""Saved web pages: the story text, title, site and date through trafilatura."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tolltrack.model import parse_date


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document or fragment."""
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p"))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within ``head``, or None."""
    m = _META_CHARSET.search(head[:4096])
    return m.group(1).decode("ascii").lower() if m else None


@dataclass(frozen=True)
class Page:
    """What trafilatura finds in an HTML page: the story ``text``, ``title``,
    ``date`` (the publication date htmldate finds, or None), ``outlet`` (site
    name, else host) and ``url`` (the canonical link, else the address read from)."""

    text: str
    title: str | None
    date: dt.date | None
    outlet: str | None
    url: str | None


def html_fields(html: str, url: str | None = None) -> Page | None:
    """The story text and metadata of an HTML page read from ``url``, or None when
    the page holds no story text."""
    import trafilatura

    # No extensive date search: it falls back on any year in the page ("Copyright 2024"
    # becomes 2024-01-01), and a wrong article date shifts every relative date in the story.
    date_params = {"original_date": True, "extensive_search": False,
                   "max_date": dt.date.today().isoformat()}
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
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
    return Page(text=text, title=data.get("title"), date=date,
                outlet=data.get("sitename") or data.get("hostname"), url=data.get("url") or url)


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
           "section", "article", "figure", "figcaption", "ul", "ol", "table", "pre"}
_DROPPED = {"script", "style", "noscript", "iframe", "object", "template"}


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's summary or content): block
    elements become paragraphs, line breaks inside a paragraph become spaces,
    entities are resolved, scripts and styles are dropped."""
    import html

    import lxml.html
    from lxml import etree

    if "<" not in fragment:
        return _paragraphs([html.unescape(fragment)])
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # lxml asserts on "<html>"
        return ""
    for element in list(root.iter(*_DROPPED)):
        element.drop_tree()  # keeps the text that follows it
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                parts.append(_BREAK)
            parts.append(element.text or "")
        else:
            if tag in _BLOCKS:
                parts.append(_BREAK)
            if element is not root:
                parts.append(element.tail or "")
    return _paragraphs(parts)


_BREAK = "\x00"  # a paragraph boundary between text pieces


def _paragraphs(parts: list[str]) -> str:
    """Text pieces joined, whitespace runs squeezed to one space, each boundary a blank line."""
    paragraphs = (re.sub(r"\s+", " ", p).strip() for p in "".join(parts).split(_BREAK))
    return "\n\n".join(p for p in paragraphs if p)

"""Pages fetched over HTTP(S) with httpx: a timeout, a size cap, HTML and feeds only."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tolltrack import __version__

USER_AGENT = f"tolltrack/{__version__} (casualty-claims reader; reads one page per request)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPTED = (*HTML_TYPES, "application/rss+xml", "application/atom+xml", "application/xml",
             "text/xml")


class FetchError(ValueError):
    """A URL gave no page; ``code`` names why (http_error, timeout, network, not_html,
    too_large)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Fetched:
    """A fetched page: the final URL (after redirects), its body, content type and charset."""

    url: str
    body: bytes
    content_type: str
    charset: str | None


def new_client(timeout: float) -> Any:
    """An httpx client with tolltrack's user agent, timeout and redirect policy."""
    import httpx

    return httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                        headers={"User-Agent": USER_AGENT,
                                 "Accept": "text/html,application/xhtml+xml,"
                                           "application/rss+xml,application/atom+xml;q=0.9"})


def fetch(client: Any, url: str, max_bytes: int) -> Fetched:
    """GET ``url`` and return its body; stop reading past ``max_bytes``.

    Raise FetchError for HTTP errors, timeouts (the client's timeout bounds each
    read, and the whole body must arrive within four times it), network
    failures, bad URLs, content that is neither HTML nor a feed, and bodies over
    the cap.
    """
    import httpx

    deadline = time.monotonic() + 4 * client.timeout.read if client.timeout.read else None
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError("http_error", f"HTTP {response.status_code} "
                                 f"{response.reason_phrase}".strip())
            ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype not in _ACCEPTED:
                raise FetchError("not_html", f"content type {ctype or 'unknown'} is not HTML")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("too_large", f"{int(declared):,} bytes is over the "
                                 f"{max_bytes:,}-byte limit")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if deadline is not None and time.monotonic() > deadline:
                    raise FetchError("timeout", "timed out (the page arrives too slowly)")
                if len(body) > max_bytes:
                    raise FetchError("too_large", f"over the {max_bytes:,}-byte limit")
            return Fetched(str(response.url), bytes(body), ctype, response.charset_encoding)
    except httpx.TimeoutException:
        raise FetchError("timeout", "timed out") from None
    except httpx.TooManyRedirects:
        raise FetchError("http_error", "too many redirects") from None
    except httpx.InvalidURL as exc:
        raise FetchError("network", f"bad URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError("network", f"network error ({type(exc).__name__}: {exc})") from None
    except ValueError as exc:
        if isinstance(exc, FetchError):
            raise
        raise FetchError("network", f"bad URL ({exc})") from None

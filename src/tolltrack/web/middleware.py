"""ASGI middleware: request bodies over a size limit are refused with 413
before any route reads them; every response gets the security headers; read
answers of the API are served from the answer cache without entering the
app at all."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tolltrack.web.cache import AnswerCache
from tolltrack.web.errors import error_body

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyLimit:
    """ASGI middleware: a request whose body (declared or sent) exceeds
    ``limit`` bytes gets a 413 in the one error shape. Takes the app and the
    limit; bodies within it are read once and handed on unchanged."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        # Read the whole body first (it is small, by the limit) so that a body
        # without a length that grows too big is refused before a route starts.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": whole, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Any) -> None:
        mb = self.limit / (1024 * 1024)
        body = json.dumps(error_body(413, "too_large", f"the request body is over the "
                                     f"{mb:g} MB limit")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware: adds ``headers`` (name → value) to every response that
    does not set them itself."""

    def __init__(self, app: Any, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", ())}
                message = {**message, "headers": [*message.get("headers", ()),
                                                  *(h for h in self.headers
                                                    if h[0] not in present)]}
            await send(message)

        await self.app(scope, receive, with_headers)


class CachedAnswers:
    """ASGI middleware: a GET under ``/api/`` whose answer (a 200) is in the
    cache is sent from it as it was first sent, without routing, parameter
    checks or a thread; other requests go through, and a 200 answer of a GET
    under ``/api/`` is kept. The key is the path, the query string and the
    day (so "since=today" is read again tomorrow); the cache drops everything
    when the ledger changes."""

    def __init__(self, app: Any, cache: AnswerCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" \
                or not scope["path"].startswith("/api/") or not self.cache.size:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], dt.date.today())
        kept = self.cache.peek(key)
        if kept is None:
            answered = await self._through(scope, receive, send)
            if answered is not None:
                start, generation, body = answered
                self.cache.put(key, (start, body), generation, weight=len(body))
            return
        start, body = kept
        await send(start)
        await send({"type": "http.response.body", "body": body})

    async def _through(self, scope: Scope, receive: Any, send: Any
                       ) -> tuple[Message, int, bytes] | None:
        """Run the app, passing its messages on; returns the start message, the
        generation it answered at and the body when the answer is a whole 200."""
        generation = self.cache.generation()
        start: Message | None = None
        parts: list[bytes] = []
        whole = False

        async def keep(message: Message) -> None:
            nonlocal start, whole
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                whole = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, keep)
        if start is None or start["status"] != 200 or not whole:
            return None
        return start, generation, b"".join(parts)

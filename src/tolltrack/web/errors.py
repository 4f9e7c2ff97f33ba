"""The API's one error shape, and the handlers that give every error it.

Every API error is ``{"error": {"status": 404, "code": "not_found",
"message": "…"}}``, with ``param`` naming the query parameter or body field
at fault when there is one. Pages get the same message as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tolltrack.store.connection import LedgerError, database_reason

log = logging.getLogger("tolltrack.web")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
          422: "invalid", 500: "internal", 503: "unavailable"}


class ApiError(Exception):
    """An error the API answers with: HTTP status, a code, a one-line message,
    the parameter at fault (if any) and extra headers."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers or {}


def error_body(status: int, code: str, message: str, param: str | None = None
               ) -> dict[str, Any]:
    """The JSON body of every API error."""
    error: dict[str, Any] = {"status": status, "code": code, "message": message}
    if param is not None:
        error["param"] = param
    return {"error": error}


def _respond(request: Request, error: ApiError) -> Response:
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return JSONResponse(error_body(error.status, error.code, error.message, error.param),
                            status_code=error.status, headers=error.headers)
    from tolltrack.web.pages import error_page

    return error_page(request, error.status, error.message)


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    first = exc.errors()[0] if exc.errors() else {}
    # A position inside a malformed JSON body is not a parameter.
    where = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path")
             and not isinstance(p, int)]
    param = ".".join(where) or None
    message = str(first.get("msg", "invalid request"))
    return (f"{param}: {message}" if param else message), param


def install(app: FastAPI) -> None:
    """Make every error of ``app`` take the one shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _respond(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return _respond(request, ApiError(exc.status_code, code, message,
                                          headers=dict(exc.headers or {})))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        message, param = _validation_message(exc)
        return _respond(request, ApiError(422, "invalid", message, param))

    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, exc: LedgerError) -> Response:
        return _respond(request, ApiError(503, "unavailable", str(exc)))

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        return _respond(request, ApiError(503, "unavailable", f"the ledger cannot answer now: "
                                                              f"{database_reason(exc)}"))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        return _respond(request, ApiError(500, "internal", "internal error; the server log "
                                                           "has the details"))

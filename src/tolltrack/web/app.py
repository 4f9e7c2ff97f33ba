"""The web app: the REST API, the pages and their static files, over one
ledger. ``create_app`` builds it; ``tolltrack serve`` runs it on uvicorn."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from tolltrack import __version__
from tolltrack.options import Options, ReadOptions
from tolltrack.store.connection import Ledger
from tolltrack.web import errors
from tolltrack.web.cache import AnswerCache
from tolltrack.web.middleware import BodyLimit, CachedAnswers, SecurityHeaders

BODY_LIMIT = 2 * 1024 * 1024
HERE = Path(__file__).parent

# Scripts only from the app itself (no inline script can run, whatever a page
# shows); 'unsafe-eval' because Vega compiles its expressions with Function.
_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(ledger: Ledger, token: str | None = None, options: Options | None = None,
               body_limit: int = BODY_LIMIT, cache_size: int = 2048) -> FastAPI:
    """The ASGI app over ``ledger``. Takes the bearer token that write
    endpoints need (None: read-only), the extraction options, the largest
    request body in bytes and how many answers to keep (0: none); returns the
    FastAPI app."""
    from fastapi.staticfiles import StaticFiles

    from tolltrack.web.api import router as api_router
    from tolltrack.web.pages import router as page_router

    # /docs is a page of the app's own: Swagger UI would load its scripts from a CDN.
    app = FastAPI(title="tolltrack", version=__version__, docs_url=None, redoc_url=None,
                  description="Casualty claims from the news: who claims what figure, about "
                              "whom, since when, and where claimants contradict each other. "
                              "Errors have one shape: {\"error\": {\"status\", \"code\", "
                              "\"message\", \"param\"?}}.")
    app.state.ledger = ledger
    app.state.token = token or None
    app.state.options = options or Options()
    # A request never makes the server fetch anything: URLs are labels only.
    app.state.read_options = ReadOptions(offline=True, lexicon_dir=app.state.options.lexicon_dir)
    app.state.cache = AnswerCache(ledger, cache_size)
    errors.install(app)
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # Added last runs first: the body limit, then the cached answers, then the
    # headers on whatever the app itself sends.
    app.add_middleware(SecurityHeaders, headers={
        "Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer"})
    # One cache: the middleware keeps the API's answers, the pages their data.
    app.add_middleware(CachedAnswers, cache=app.state.cache)
    app.add_middleware(BodyLimit, limit=body_limit)
    return app

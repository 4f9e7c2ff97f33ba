"""The app each worker process of ``tolltrack serve --workers N`` builds.

uvicorn starts worker processes by importing an app factory, so the settings
travel in the environment: ``TOLLTRACK_SERVE`` holds them as JSON (set by the
``serve`` command), ``TOLLTRACK_TOKEN`` the write token.
"""

from __future__ import annotations

import json
import os

from fastapi import FastAPI

from tolltrack.options import Options
from tolltrack.store import open_ledger
from tolltrack.web.app import create_app

SETTINGS = "TOLLTRACK_SERVE"


def settings_env(db: str | None, cache: int, options: Options) -> str:
    """The JSON that ``app`` reads back: ledger, cache size, model and lexicon."""
    return json.dumps({"db": db, "cache": cache, "model": options.model,
                       "lexicon": options.lexicon_dir})


def app() -> FastAPI:
    """One worker's app, over its own connection to the ledger."""
    given = json.loads(os.environ[SETTINGS])
    ledger = open_ledger(given["db"])
    return create_app(ledger, os.environ.get("TOLLTRACK_TOKEN") or None,
                      Options(model=given["model"], lexicon_dir=given["lexicon"]),
                      cache_size=given["cache"])

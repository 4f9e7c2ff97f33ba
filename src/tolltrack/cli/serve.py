"""`tolltrack serve`: the web app and REST API over a ledger."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from tolltrack.cli.common import DbOpt, LexiconOpt, ModelOpt, app, err, fail, open_or_fail
from tolltrack.options import DEFAULT_MODEL

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _free(host: str, port: int) -> str | None:
    """None when ``host:port`` can be listened on, else why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"--host {host}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return f"{host}:{port}: {exc.strerror or 'cannot be listened on'}"
    return None


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on; loopback unless told otherwise.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1,
                                      max=65535)] = 8000,
    cache: Annotated[int, typer.Option(
        "--cache", help="How many answers to keep until the ledger changes (0: none).",
        min=0)] = 2048,
    workers: Annotated[int, typer.Option(
        "--workers", help="Server processes (each answers requests on its own core).",
        min=1, max=64)] = 1,
    model: ModelOpt = DEFAULT_MODEL,
    lexicon: LexiconOpt = None,
) -> None:
    """Serve the dashboard, the evidence pages, the review queue and the REST
    API (OpenAPI at /docs) over the ledger. Writes (POST /api/ingest and
    reviews) need the bearer token in TOLLTRACK_TOKEN; without it the server
    is read-only."""
    import uvicorn

    from tolltrack.options import Options
    from tolltrack.web import create_app

    reason = _free(host, port)
    if reason:
        raise fail(reason)
    ledger = open_or_fail(db)
    token = os.environ.get("TOLLTRACK_TOKEN") or None
    options = Options(model=model, lexicon_dir=str(lexicon) if lexicon else None)
    shown = f"[{host}]" if ":" in host else host
    mode = "writes need the token in TOLLTRACK_TOKEN" if token else \
        "read-only (set TOLLTRACK_TOKEN to allow writes)"
    err.print(f"tolltrack: serving {ledger.name} on http://{shown}:{port}/ ({mode})",
              markup=False, highlight=False, soft_wrap=True)
    if host not in LOOPBACK:
        err.print(f"tolltrack: listening on {host}: other machines can reach this server",
                  markup=False, highlight=False)
    try:
        if workers == 1:
            uvicorn.run(create_app(ledger, token, options, cache_size=cache), host=host,
                        port=port, log_level="warning", access_log=False)
            return
        from tolltrack.web.served import SETTINGS, settings_env

        # Each worker process builds its own app from these settings.
        os.environ[SETTINGS] = settings_env(db, cache, options)
        uvicorn.run("tolltrack.web.served:app", factory=True, workers=workers, host=host,
                    port=port, log_level="warning", access_log=False)
    finally:
        ledger.close()

"""Web fixtures: a ledger filled by a real ingest (the week's articles and a
hostile one), a real uvicorn server on a free loopback port, and Debian's
Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "tests" / "data" / "ledger" / "week.jsonl"
HOSTILE = ROOT / "tests" / "data" / "web" / "hostile.jsonl"
TOKEN = "test-token-7f3a"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying hosts this
# machine cannot reach.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def fill_ledger(url: str) -> None:
    """Ingest the week's articles and the hostile one into the ledger at ``url``."""
    from tolltrack.ledger import ingest
    from tolltrack.options import Options, ReadOptions
    from tolltrack.store import open_ledger

    ledger = open_ledger(url, create=True)
    try:
        ingest(ledger, [str(WEEK), str(HOSTILE)], ReadOptions(offline=True), Options())
    finally:
        ledger.close()


@pytest.fixture(scope="session")
def filled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite ledger holding the week and the hostile article, made once."""
    path = tmp_path_factory.mktemp("web") / "filled.db"
    fill_ledger(str(path))
    return path


@pytest.fixture
def ledger_file(filled_file: Path, tmp_path: Path) -> Path:
    """A copy of the filled ledger of this test's own, to write to."""
    copy = tmp_path / "ledger.db"
    shutil.copyfile(filled_file, copy)
    return copy


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: str, token: str | None = TOKEN, **options: Any) -> Iterator[str]:
    """A real uvicorn server over the ledger ``db`` in a thread; yields its base URL."""
    import uvicorn

    from tolltrack.store import open_ledger
    from tolltrack.web import create_app

    ledger = open_ledger(db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ledger, token, **options),
                                           host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        ledger.close()


@pytest.fixture
def server(ledger_file: Path) -> Iterator[str]:
    """The base URL of a server over this test's copy of the filled ledger, with
    the test token."""
    with serving(str(ledger_file)) as url:
        yield url


@pytest.fixture
def api(server: str) -> Iterator[Any]:
    """An httpx client on the test server."""
    import httpx

    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright. Skipped where it is not
    installed, unless TOLLTRACK_REQUIRE_BROWSER is set (as CI sets it)."""
    if not CHROMIUM.exists():
        message = f"no browser at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("TOLLTRACK_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page; the test fails if the page logs a script error or
    opens a dialog (an injected alert)."""
    context = browser.new_context()
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
           if msg.type == "error" and "401" not in msg.text else None)
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                     dialog.dismiss()))
    yield tab
    context.close()
    assert problems == []


Check = Callable[..., None]

"""Shared fixtures: the gold folder beside the checkout, the extractor's parser, and
empty ledgers on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold"


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    """The shared gold folder; tests that need it are skipped where it is absent."""
    if not GOLD.is_dir():
        pytest.skip(f"no gold folder at {GOLD}")
    return GOLD


# The PostgreSQL server the suite may use: `bash .ci/postgres` starts one and
# prints its URL. Without it the PostgreSQL half of the ledger tests is skipped,
# unless TOLLTRACK_REQUIRE_POSTGRES is set (as CI sets it), which makes it fail.
PG_ENV = "TOLLTRACK_TEST_POSTGRES"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; dropped at the end."""
    import os

    from sqlalchemy import create_engine, text

    from tolltrack.store.connection import ledger_url

    base = os.environ.get(PG_ENV)
    if not base:
        message = f"no PostgreSQL server: set {PG_ENV} (bash .ci/postgres starts one)"
        if os.environ.get("TOLLTRACK_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    admin = create_engine(ledger_url(base), isolation_level="AUTOCOMMIT")
    name = f"tolltrack_test_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = ledger_url(base).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty ledger location, once as a SQLite file and once on PostgreSQL:
    every test that takes it runs on both engines."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    from ledger_helpers import reset

    url = request.getfixturevalue("postgres_server")
    reset(url)
    return url

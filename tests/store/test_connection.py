"""Opening ledgers: URLs, migrations, and every way opening can fail, on both engines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from tolltrack.store import LedgerError, open_ledger
from tolltrack.store.connection import ledger_url
from tolltrack.store.schema import MIGRATIONS, SCHEMA_VERSION, schema_migrations

TABLES = {"schema_migrations", "runs", "articles", "article_bands", "claims", "claim_search",
          "mentions", "clusters", "rejects"}


@pytest.mark.parametrize(("given", "expected"), [
    (None, "sqlite:///tolltrack.db"),
    ("ledger.db", "sqlite:///ledger.db"),
    ("sqlite:///data/ledger.db", "sqlite:///data/ledger.db"),
    ("postgresql://me@db.example/claims", "postgresql+psycopg://me@db.example/claims"),
    ("postgres://me@db.example/claims", "postgresql+psycopg://me@db.example/claims"),
    ("postgresql+psycopg://me@h/c", "postgresql+psycopg://me@h/c"),
])
def test_ledger_urls(given: str | None, expected: str) -> None:
    assert ledger_url(given).render_as_string() == expected


@pytest.mark.parametrize("given", ["mysql://me@h/c", "oracle://x", "mongodb://h/db"])
def test_other_databases_are_refused_by_name(given: str) -> None:
    with pytest.raises(LedgerError, match=r"SQLite .* or PostgreSQL"):
        ledger_url(given)


def test_a_new_ledger_has_every_table_and_its_migrations_recorded(ledger_url: str) -> None:
    ledger = open_ledger(ledger_url, create=True)
    try:
        with ledger.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= TABLES
            versions = conn.execute(select(schema_migrations.c.version)).scalars().all()
        assert versions == [m.version for m in MIGRATIONS]
    finally:
        ledger.close()
    # Opening again applies nothing twice.
    again = open_ledger(ledger_url)
    with again.engine.connect() as conn:
        assert conn.execute(select(schema_migrations.c.version)).scalars().all() == versions
    again.close()


def test_queries_never_create_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(LedgerError, match="no ledger here yet"):
        open_ledger(str(path))
    assert not path.exists()


def test_a_newer_schema_is_refused(ledger_url: str) -> None:
    open_ledger(ledger_url, create=True).close()
    engine = create_engine(ledger_url_of(ledger_url))
    with engine.begin() as conn:
        conn.execute(schema_migrations.insert().values(
            version=SCHEMA_VERSION + 1, name="from the future", applied_at=_now()))
    engine.dispose()
    with pytest.raises(LedgerError, match=rf"newer tolltrack \(schema {SCHEMA_VERSION + 1}; this "
                                          rf"version reads up to {SCHEMA_VERSION}\): upgrade"):
        open_ledger(ledger_url)


def test_a_database_of_other_tables_is_left_alone(ledger_url: str) -> None:
    engine = create_engine(ledger_url_of(ledger_url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE orders (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(LedgerError, match="not a tolltrack ledger"):
        open_ledger(ledger_url, create=True)
    engine = create_engine(ledger_url_of(ledger_url))
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"orders"}
    engine.dispose()


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_text("id,text\n1,hello\n"), "not a SQLite database file"),
    (lambda p: p.mkdir(), "is a folder"),
])
def test_a_path_that_is_no_database(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "ledger.db"
    make(path)  # type: ignore[operator]
    with pytest.raises(LedgerError, match=message):
        open_ledger(str(path), create=True)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match=r"the folder .*nowhere does not exist"):
        open_ledger(str(tmp_path / "nowhere" / "ledger.db"), create=True)


def test_an_unreachable_server_is_one_line() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused.
    with pytest.raises(LedgerError) as caught:
        open_ledger("postgresql://nobody:secret@127.0.0.1:1/ledger", create=True)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("postgresql://nobody:***@127.0.0.1:1/ledger: ")
    assert "secret" not in message


def test_a_read_only_ledger_still_answers_queries(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    open_ledger(str(path), create=True).close()
    ledger = open_ledger(f"sqlite:///file:{path}?mode=ro&uri=true")
    with ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar_one() == 0
    ledger.close()


def test_the_sqlite_file_is_plain_sqlite(tmp_path: Path) -> None:
    # Datasette and the sqlite3 shell read it with no help from tolltrack.
    path = tmp_path / "ledger.db"
    open_ledger(str(path), create=True).close()
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names >= TABLES


def ledger_url_of(url: str) -> str:
    return ledger_url(url).render_as_string(hide_password=False)


def _now() -> object:
    import datetime as dt

    return dt.datetime(2030, 1, 1)


def test_a_failing_migration_leaves_no_trace(ledger_url: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    from tolltrack.store import connection
    from tolltrack.store.schema import Migration

    open_ledger(ledger_url, create=True).close()
    extra = Table("notes", MetaData(), Column("id", Integer, primary_key=True))

    def half_done(conn: object) -> None:
        extra.create(conn)  # type: ignore[arg-type]
        raise RuntimeError("the second step of the migration fails")

    monkeypatch.setattr(connection, "MIGRATIONS",
                        (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "notes", half_done)))
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        open_ledger(ledger_url)
    engine = create_engine(ledger_url_of(ledger_url))
    with engine.connect() as conn:
        assert "notes" not in inspect(conn).get_table_names()
        assert conn.execute(select(schema_migrations.c.version)).scalars().all() == [
            m.version for m in MIGRATIONS]
    engine.dispose()


def test_processes_opening_a_new_ledger_at_once_migrate_it_once(ledger_url: str) -> None:
    import subprocess
    import sys

    code = ("import sys; from tolltrack.store import open_ledger; "
            "open_ledger(sys.argv[1], create=True).close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, ledger_url],
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    engine = create_engine(ledger_url_of(ledger_url))
    with engine.connect() as conn:
        assert conn.execute(select(schema_migrations.c.version)).scalars().all() == [
            m.version for m in MIGRATIONS]
    engine.dispose()

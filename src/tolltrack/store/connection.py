"""Opening a ledger: the URL, the engine, and the schema brought up to date.

A ledger is ``sqlite:///path``, a bare path (a SQLite file), or
``postgresql://user:pass@host/db``. Everything that can go wrong on opening
(an unknown scheme, a missing folder, a file that is not SQLite, a server
that refuses, a schema written by a newer tolltrack) raises LedgerError with
one line naming the ledger and the reason.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from tolltrack.store.schema import MIGRATIONS, SCHEMA_VERSION, schema_migrations

DEFAULT_LEDGER = "tolltrack.db"
# Any fixed number: PostgreSQL sessions writing one database take turns on it.
_WRITE_LOCK = 7_100_417
_SQLITE_MAGIC = b"SQLite format 3\x00"


class LedgerError(Exception):
    """The ledger cannot be opened, read or written; the message is one line."""


@dataclass(frozen=True)
class Ledger:
    """An open ledger: its engine and the URL to show users (password hidden)."""

    engine: Engine
    name: str

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction, one at a time per ledger: on SQLite it takes the
        write lock at BEGIN, on PostgreSQL a transaction-scoped advisory lock, so
        concurrent writers queue up and each sees what the others committed
        (reclustering reads before it writes). Readers are never blocked."""
        with self.engine.execution_options(tolltrack_write=True).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})
            yield conn

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def ledger_url(value: str | None) -> URL:
    """The SQLAlchemy URL for a ledger given as a URL or a bare path (None: the
    default ``tolltrack.db`` in the working folder). PostgreSQL URLs get the
    psycopg driver. Raises LedgerError for other schemes."""
    value = value or DEFAULT_LEDGER
    if "://" not in value:
        return URL.create("sqlite", database=str(Path(value).expanduser()))
    try:
        url = make_url(value)
    except ArgumentError:
        raise LedgerError(f"{value}: not a database URL") from None
    backend = url.get_backend_name()
    if backend == "postgres":
        url = url.set(drivername="postgresql")
        backend = "postgresql"
    if backend == "postgresql" and url.drivername in ("postgresql", "postgresql+psycopg2"):
        # psycopg 3 is the driver tolltrack installs, whatever SQLAlchemy's default.
        url = url.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise LedgerError(f"{_shown(url)}: tolltrack stores its ledger in SQLite "
                          "(sqlite:///FILE or a path) or PostgreSQL (postgresql://…)")
    return url


def _shown(url: URL) -> str:
    # As users write it: no driver name, no password.
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def open_ledger(value: str | None, *, create: bool = False) -> Ledger:
    """Open the ledger at ``value`` (a URL or path) and make its schema current.

    With ``create``, a missing SQLite file or an empty database gets the
    schema; without it, they raise LedgerError (a query never makes an empty
    ledger as a side effect). Raises LedgerError when the database cannot be
    opened, is not a tolltrack ledger, or has a newer schema than this version.
    """
    url = ledger_url(value)
    name = _shown(url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url, name, create)
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError):
        raise LedgerError(f"{name}: the PostgreSQL driver is missing: "
                          "pip install 'tolltrack[postgres]'") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    ledger = Ledger(engine, name)
    try:
        _migrate(ledger, create)
    except DBAPIError as exc:
        engine.dispose()
        raise LedgerError(f"{name}: {database_reason(exc)}") from None
    except BaseException:
        engine.dispose()
        raise
    return ledger


def _check_sqlite_file(url: URL, name: str, create: bool) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_dir():
        raise LedgerError(f"{name}: is a folder, not a database file")
    if not path.exists():
        if not create:
            raise LedgerError(f"{name}: no ledger here yet (tolltrack ingest creates one)")
        if not path.parent.is_dir():
            raise LedgerError(f"{name}: the folder {path.parent} does not exist")
        return
    if path.stat().st_size:
        try:
            with path.open("rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise LedgerError(f"{name}: cannot be read ({exc.strerror})") from None
        if head != _SQLITE_MAGIC:
            raise LedgerError(f"{name}: not a SQLite database file")


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # The sqlite3 module would open a transaction only before INSERT/UPDATE/
    # DELETE, leaving DDL (migrations) outside it; tolltrack says BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    # WAL lets readers (the web app, Datasette) work while ingest writes; a
    # killed writer loses only its open transaction. A read-only file refuses
    # to change its journal mode, and reading still works.
    with suppress(Exception):
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("tolltrack_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")




def _version(conn: Connection, name: str, create: bool) -> int:
    """The ledger's schema version (0 for an empty database that may be created)."""
    tables = set(inspect(conn).get_table_names())
    if schema_migrations.name not in tables:
        if tables:
            raise LedgerError(f"{name}: holds other tables and is not a tolltrack ledger; "
                              "choose another database")
        if not create:
            raise LedgerError(f"{name}: no ledger here yet (tolltrack ingest creates one)")
        return 0
    versions = conn.execute(select(schema_migrations.c.version)).scalars().all()
    current = max(versions, default=0)
    if current > SCHEMA_VERSION:
        raise LedgerError(f"{name}: written by a newer tolltrack (schema {current}; "
                          f"this version reads up to {SCHEMA_VERSION}): upgrade tolltrack")
    return current


def _migrate(ledger: Ledger, create: bool) -> None:
    with ledger.engine.connect() as conn:
        if _version(conn, ledger.name, create) == SCHEMA_VERSION:
            return
    # Check again under the write lock: another process may have migrated since.
    with ledger.writing() as conn:
        current = _version(conn, ledger.name, create)
        if current == 0:
            schema_migrations.create(conn, checkfirst=True)
        for migration in MIGRATIONS:
            if migration.version > current:
                migration.apply(conn)
                conn.execute(schema_migrations.insert().values(
                    version=migration.version, name=migration.name,
                    applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))


def database_reason(exc: DBAPIError) -> str:
    """A one-line reason from a driver error: the full disk, the read-only file
    and the refused connection in plain words, else the driver's first line."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "disk is full" in lowered or "no space left" in lowered:
        return "the disk is full"
    if "readonly database" in lowered or "read-only" in lowered:
        return "the database is read-only"
    if "unable to open database file" in lowered:
        return "the database file cannot be opened"
    if "file is not a database" in lowered:
        return "not a SQLite database file"
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    return first.removeprefix("connection failed: ")


def writable(ledger: Ledger) -> str | None:
    """None when the ledger can be written, else why not (only SQLite files are
    checked ahead; a server says so when it refuses)."""
    url = ledger.engine.url
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if "mode=ro" in database or not os.access(database, os.W_OK):
        return "the database is read-only"
    return None

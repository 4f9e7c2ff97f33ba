"""The ledger's generation: a counter every committed change moves on, so that
a reader holding results (the web app's response cache) can tell in one
primary-key read whether they are still current."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from tolltrack.store.schema import ledger_state


def bump(conn: Connection) -> None:
    """Move the generation on, inside the caller's writing transaction."""
    conn.execute(update(ledger_state).where(ledger_state.c.name == "generation")
                 .values(value=ledger_state.c.value + 1))


def current(conn: Connection) -> int:
    """The generation as of the connection's transaction."""
    return conn.execute(select(ledger_state.c.value)
                        .where(ledger_state.c.name == "generation")).scalar_one()

"""The SQLite ledger opens in Datasette as it is: every table browses, and a
claim's row reads back through Datasette's JSON API."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ledger_helpers import fill

from tolltrack.store import open_ledger
from tolltrack.store.schema import metadata

datasette_app = pytest.importorskip("datasette.app")


def test_every_table_opens_in_datasette(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    ledger = open_ledger(str(path), create=True)
    fill(ledger)
    ledger.close()

    async def browse() -> dict[str, object]:
        ds = datasette_app.Datasette([str(path)])
        pages = {}
        for table in metadata.tables:
            response = await ds.client.get(f"/ledger/{table}.json?_shape=array")
            assert response.status_code == 200, (table, response.text)
            pages[table] = response.json()
        claims = await ds.client.get(
            "/ledger/claims.json?_shape=array&claimant_code=NATO")
        pages["nato"] = claims.json()
        return pages

    pages = asyncio.run(browse())
    assert len(pages["claims"]) == 5
    assert len(pages["mentions"]) == 5
    assert [(r["low"], r["high"], r["qualifier"]) for r in pages["nato"]] == [
        (600, 800, "range")]

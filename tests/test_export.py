"""Export files read back by the libraries people open them with."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from ledger_helpers import fill

from tolltrack.export import COLUMNS, ExportError, ExportFormat, export, flat_row
from tolltrack.store import ClaimFilter, Ledger, find_claims, open_ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    opened = open_ledger(str(tmp_path / "ledger.db"), create=True)
    fill(opened)
    yield opened
    opened.close()


def test_flat_rows_have_every_column_and_keep_the_hedges(ledger: Ledger) -> None:
    rows = [flat_row(sc) for sc in find_claims(ledger, ClaimFilter())]
    assert all(list(r) == list(COLUMNS) for r in rows)
    nato = next(r for r in rows if r["claimant_code"] == "NATO")
    assert (nato["low"], nato["high"], nato["qualifier"], nato["status"], nato["unverified"]) \
        == (600, 800, "range", "estimated", True)


def test_csv_and_parquet_agree(ledger: Ledger, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    assert export(find_claims(ledger, ClaimFilter()), ExportFormat.csv, tmp_path / "c.csv") == 5
    assert export(find_claims(ledger, ClaimFilter()), ExportFormat.parquet,
                  tmp_path / "c.parquet") == 5
    with (tmp_path / "c.csv").open(encoding="utf-8") as fh:
        from_csv = list(csv.DictReader(fh))
    from_parquet = pq.read_table(tmp_path / "c.parquet").to_pylist()
    for a, b in zip(from_csv, from_parquet, strict=True):
        assert a["id"] == b["id"]
        assert a["low"] == ("" if b["low"] is None else str(b["low"]))
        assert a["as_of"] == (b["as_of"].isoformat() if b["as_of"] else "")
        assert a["unverified"] == str(b["unverified"]).lower()


def test_geojson_has_a_point_per_placed_claim(ledger: Ledger, tmp_path: Path) -> None:
    n = export(find_claims(ledger, ClaimFilter()), ExportFormat.geojson, tmp_path / "c.json")
    data = json.loads((tmp_path / "c.json").read_text())
    assert data["type"] == "FeatureCollection"
    assert n == len(data["features"]) == 2
    for f in data["features"]:
        assert f["geometry"] == {"type": "Point", "coordinates": [36.25272, 49.98081]}
        assert f["properties"]["claimant_text"] == "Regional governor Andriy Kovalenko"
        assert f["properties"]["as_of"] == "2024-03-12"


def test_an_unwritable_file_is_an_export_error(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="No such file or directory"):
        export(find_claims(ledger, ClaimFilter()), ExportFormat.csv,
               tmp_path / "missing" / "c.csv")

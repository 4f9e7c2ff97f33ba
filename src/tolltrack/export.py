"""Claims out of the ledger into files other tools read: CSV, JSON Lines,
Parquet and GeoJSON.

CSV and Parquet get one flat row per claim (``flat_row``); JSON Lines keeps
the spec's nested shape with every mention; GeoJSON has one point per claim
whose place was resolved to coordinates. Every format carries the claimant,
qualifier and hedges with the number: a figure is never written alone.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from tolltrack.store.queries import StoredClaim
from tolltrack.store.rows import claim_columns


class ExportFormat(StrEnum):
    """The file formats ``export`` writes."""

    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    geojson = "geojson"


class ExportError(Exception):
    """The export cannot be written (a missing library, an unwritable file)."""


# Column name → type, for CSV headers and the Parquet schema alike.
COLUMNS: dict[str, str] = {
    "id": "str", "article_id": "str", "cluster_id": "str", "outcome": "str",
    "low": "int", "high": "int", "qualifier": "str", "figure_text": "str",
    "victim_text": "str", "victim_country": "str", "victim_type": "str",
    "claimant_text": "str", "claimant_code": "str", "claimant_type": "str",
    "status": "str", "unverified": "bool", "scope": "str",
    "location_text": "str", "location_country": "str", "location_name": "str",
    "location_lat": "float", "location_lon": "float", "location_geonames_id": "int",
    "as_of": "date", "period_start": "date",
    "perpetrator_text": "str", "perpetrator_code": "str", "perpetrator_type": "str",
    "evidence": "str", "mentions": "int", "article_date": "date", "outlet": "str",
    "url": "str", "title": "str", "copy_of": "str", "extractor_version": "str",
    "review": "str",
}


def flat_row(sc: StoredClaim) -> dict[str, Any]:
    """One claim as a flat dict with the COLUMNS keys (dates stay dates)."""
    c = sc.claim
    return {
        "id": sc.id, "article_id": c.article_id, "cluster_id": sc.cluster_id,
        **claim_columns(c),
        "evidence": c.mentions[0].sentence if c.mentions else "",
        "mentions": len(c.mentions), "article_date": sc.article_date, "outlet": sc.outlet,
        "url": sc.url, "title": sc.title, "copy_of": sc.copy_of,
        "extractor_version": sc.extractor_version, "review": sc.review,
    }


def write_csv(claims: Iterable[StoredClaim], out: IO[str]) -> int:
    """Write claims as CSV with a header row; returns the number written."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for sc in claims:
        row = flat_row(sc)
        row["unverified"] = "true" if row["unverified"] else "false"
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        n += 1
    return n


def write_jsonl(claims: Iterable[StoredClaim], out: IO[str]) -> int:
    """Write claims as JSON Lines in the spec's shape (plus ``id``,
    ``article_id``, ``cluster_id``); returns the number written."""
    n = 0
    for sc in claims:
        out.write(json.dumps(sc.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def geojson(claims: Iterable[StoredClaim]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: a Point per claim with a resolved place
    (claims without coordinates are left out); properties are ``flat_row``'s."""
    features = []
    for sc in claims:
        place = sc.claim.location
        if place is None or place.lat is None or place.lon is None:
            continue
        props = {k: v.isoformat() if hasattr(v, "isoformat") else v
                 for k, v in flat_row(sc).items()}
        features.append({"type": "Feature", "id": sc.id,
                         "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _parquet(claims: Iterable[StoredClaim], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("Parquet needs pyarrow: pip install 'tolltrack[parquet]'") from None
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
             "bool": pa.bool_(), "date": pa.date32()}
    schema = pa.schema([(name, types[kind]) for name, kind in COLUMNS.items()])
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for sc in claims:
        for name, value in flat_row(sc).items():
            columns[name].append(value)
    pq.write_table(pa.table(columns, schema=schema), path)
    return len(columns["id"])


def export(claims: Iterable[StoredClaim], fmt: ExportFormat, path: Path) -> int:
    """Write ``claims`` to ``path`` in ``fmt``; returns how many claims were
    written (for GeoJSON, how many had coordinates). Raises ExportError when
    the file cannot be written."""
    try:
        if fmt is ExportFormat.parquet:
            return _parquet(claims, path)
        with path.open("w", encoding="utf-8", newline="") as out:
            if fmt is ExportFormat.csv:
                return write_csv(claims, out)
            if fmt is ExportFormat.jsonl:
                return write_jsonl(claims, out)
            collection = geojson(claims)
            json.dump(collection, out, ensure_ascii=False)
            return len(collection["features"])
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or 'cannot be written'}") from None

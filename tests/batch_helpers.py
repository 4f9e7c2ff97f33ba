"""Inputs and comparisons for the batch tests: a folder of shard files cut from
real fixtures (and, where present, the shared gold articles), and the contents
of a batch folder or a ledger as plain rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
WEEK = DATA / "ledger" / "week.jsonl"
BAD = DATA / "ledger" / "bad.jsonl"
WARC = DATA / "bad" / "crawl.warc.gz"
PAGES = DATA / "pages"
GOLD = ROOT.parent / "shared" / "gold" / "dev.jsonl"


def fixture_sources() -> list[str]:
    """Real fixtures of every kind a crawl holds: JSONL records (with a foreign
    article, an empty record and an id clash), HTML pages and feeds in a folder,
    a WARC with broken and non-HTML records, and a missing file."""
    return [str(WEEK), str(BAD), str(PAGES), str(WARC), str(DATA / "ledger" / "absent.jsonl")]


def gold_shards(folder: Path, shards: int, per_shard: int) -> list[str]:
    """``shards`` JSONL files of ``per_shard`` gold articles each (cycling through
    the gold file, each copy given a last line of its own so no two texts are
    the same), written into ``folder``; their paths. Empty when there is no
    gold file."""
    if not GOLD.is_file():
        return []
    articles = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(shards):
        path = folder / f"part-{n:03d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for k in range(per_shard):
                i = n * per_shard + k
                record = dict(articles[i % len(articles)])
                record["id"] = f"g{i}"
                record["text"] += f"\n\nCopy {i}."
                record.pop("claims", None)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return paths


def batch_rows(folder: Path) -> dict[str, list[tuple]]:
    """Every complete shard's rows of each table, sorted, each row as a tuple of
    its values in column order (file names and attempt tokens left out)."""
    import pyarrow.parquet as pq

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    out: dict[str, list[tuple]] = {"articles": [], "claims": [], "rejects": []}
    for entry in manifest["shards"]:
        if entry["status"] != "complete":
            continue
        for table, name in entry["files"].items():
            rows = pq.read_table(folder / "shards" / name).to_pylist()
            out[table].extend((entry["id"], *(json.dumps(v, default=str) for v in r.values()))
                              for r in rows)
    return {table: sorted(rows) for table, rows in out.items()}


# Columns that differ between two runs however alike: ids a sequence hands out,
# the run they came from, and clock times.
_VOLATILE = {"id", "run_id", "started_at", "finished_at"}
_KEYED = {"articles", "claims", "mentions", "claim_search", "clusters", "article_bands"}


def ledger_tables(url: str) -> dict[str, list[tuple]]:
    """Every ledger table as sorted rows, without the columns that name a run
    or a time (and without serial ids, except for tables whose id is data)."""
    from sqlalchemy import select

    from tolltrack.store import open_ledger
    from tolltrack.store.schema import metadata

    ledger = open_ledger(url)
    tables = {}
    try:
        with ledger.engine.connect() as conn:
            for table in metadata.sorted_tables:
                # The generation counts committed batches, which differ in
                # number between two ways of storing the same articles.
                if table.name in ("schema_migrations", "ledger_state"):
                    continue
                keep = [c for c in table.columns
                        if c.name not in _VOLATILE or (c.name == "id" and table.name in _KEYED)]
                rows = conn.execute(select(*keep)).all()
                tables[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    finally:
        ledger.close()
    return tables


def shard_sources(folder: Path) -> list[str]:
    """The source of every complete shard in a batch folder's manifest."""
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return [e["source"] for e in manifest["shards"] if e["status"] == "complete"]


def crash_on_bad(job: Any, shard: Any) -> Any:
    """A shard function whose worker process dies on ``bad.jsonl``, every time
    (kept here, in a light module, because each new worker process imports it)."""
    import os

    from tolltrack.batch import run_shard

    if shard.source.endswith("bad.jsonl"):
        os._exit(3)
    return run_shard(job, shard)


def die_once(job: Any, shard: Any) -> Any:
    """A light shard function (no extraction) whose worker process dies half a
    second into the shard named ``die*`` the first time it runs; every other
    run returns an empty result at once."""
    import os
    import time

    from tolltrack.batch import ShardResult

    marker = Path(job.out) / "died"
    if Path(shard.source).name.startswith("die") and not marker.exists():
        marker.touch()
        time.sleep(0.5)
        os._exit(3)
    return ShardResult(shard.id, {}, articles=0, claims=0)

"""A shard's output as Parquet: ``articles``, ``claims`` and ``rejects``.

Every row carries ``seq``, its place in the reader's output for the shard, so
that loading can replay the shard in reading order. Articles hold every field
the ledger stores (with the content hash, and ``failure`` when extraction
failed); claims hold every spec field as its own column, as the ledger's
``claims`` table does, plus their mentions, so a load stores exactly what an
``ingest`` of the same sources stores. Files are written row group by row
group (memory stays flat however big the shard) under a temporary name, and
renamed into place only when whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tolltrack.batch.errors import need
from tolltrack.batch.manifest import TABLES
from tolltrack.export import COLUMNS
from tolltrack.ingest import Reject, content_hash
from tolltrack.model import Article, Claim
from tolltrack.store.rows import claim_columns, claim_of

# Rows (of the three tables together) per row group: at most a few MB of text,
# so a worker holds little at a time.
GROUP_ROWS = 256


def schemas() -> dict[str, Any]:
    """The pyarrow schema of each table."""
    pa = need("pyarrow", "tolltrack batch (Parquet output)")
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
             "bool": pa.bool_(), "date": pa.date32()}
    claim_fields = [(name, types[COLUMNS[name]]) for name in _CLAIM_COLUMNS]
    mention = pa.struct([("sentence", pa.string()), ("char_start", pa.int64()),
                         ("char_end", pa.int64())])
    return {
        "articles": pa.schema([
            ("seq", pa.int64()), ("id", pa.string()), ("content_hash", pa.string()),
            ("title", pa.string()), ("date", pa.date32()), ("date_source", pa.string()),
            ("outlet", pa.string()), ("url", pa.string()), ("language", pa.string()),
            ("source", pa.string()), ("text", pa.string()),
            ("furniture", pa.list_(pa.string())), ("failure", pa.string())]),
        "claims": pa.schema([
            ("article_seq", pa.int64()), ("article_id", pa.string()), ("ordinal", pa.int64()),
            *claim_fields, ("evidence", pa.string()), ("mentions", pa.list_(mention))]),
        "rejects": pa.schema([
            ("seq", pa.int64()), ("source", pa.string()), ("line", pa.int64()),
            ("reason", pa.string()), ("message", pa.string()), ("fatal", pa.bool_())]),
    }


# The claim's spec fields, in the order the ledger's claims table has them.
_CLAIM_COLUMNS = list(COLUMNS)[list(COLUMNS).index("outcome"):
                               list(COLUMNS).index("perpetrator_type") + 1]


# Lone surrogates (a file name that is not UTF-8) that Parquet strings cannot hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with each lone surrogate in its strings turned into U+FFFD, one
    character for one, as the ledger stores them."""
    return {k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v
            for k, v in row.items()}


def article_row(seq: int, article: Article, failure: str | None) -> dict[str, Any]:
    """The ``articles`` row of the ``seq``-th item of a shard."""
    return _valid({"seq": seq, "id": article.id, "content_hash": content_hash(article.text),
            "title": article.title, "date": article.date, "date_source": article.date_source,
            "outlet": article.outlet, "url": article.url, "language": article.language,
            "source": article.source, "text": article.text,
            "furniture": list(article.furniture), "failure": failure})


def claim_rows(seq: int, article: Article, claims: list[Claim]) -> list[dict[str, Any]]:
    """The ``claims`` rows of one article, numbered from 1 as the ledger numbers them."""
    return [{"article_seq": seq, "article_id": article.id, "ordinal": n, **claim_columns(c),
             "evidence": c.mentions[0].sentence if c.mentions else "",
             "mentions": [{"sentence": m.sentence, "char_start": m.start, "char_end": m.end}
                          for m in c.mentions]}
            for n, c in enumerate(claims, start=1)]


def reject_row(seq: int, reject: Reject, fatal: bool) -> dict[str, Any]:
    """The ``rejects`` row of the ``seq``-th item of a shard."""
    return _valid({"seq": seq, **reject.to_dict(), "fatal": fatal})


def article_of(row: dict[str, Any]) -> Article:
    """The Article an ``articles`` row holds."""
    return Article(id=row["id"], text=row["text"], title=row["title"], date=row["date"],
                   outlet=row["outlet"], url=row["url"], language=row["language"],
                   source=row["source"], date_source=row["date_source"],
                   furniture=tuple(row["furniture"] or ()))


def claim_of_row(row: dict[str, Any]) -> Claim:
    """The Claim a ``claims`` row holds."""
    return claim_of(row, row["mentions"] or [])


def reject_of(row: dict[str, Any]) -> Reject:
    """The Reject a ``rejects`` row holds."""
    return Reject(row["source"], row["reason"], row["message"], row["line"],
                  bool(row["fatal"]))


class ShardWriter:
    """Writes one shard's three tables into ``folder`` as ``TOKEN.TABLE.parquet``,
    a row group at a time, under temporary names until ``close`` renames them
    into place. ``token`` tells one attempt at the shard from another; rows are
    written out whenever ``group_rows`` of them are queued, whatever their table."""

    def __init__(self, folder: Path, token: str, group_rows: int = GROUP_ROWS) -> None:
        pq = need("pyarrow.parquet", "tolltrack batch (Parquet output)")
        self.pa = need("pyarrow", "tolltrack batch (Parquet output)")
        self.folder = folder
        self.token = token
        self.schemas = schemas()
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.writers = {t: pq.ParquetWriter(self._temporary(t), self.schemas[t],
                                            compression="zstd") for t in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)
        self.group_rows = group_rows
        self.queued = 0

    def _final(self, table: str) -> Path:
        return self.folder / f"{self.token}.{table}.parquet"

    def _temporary(self, table: str) -> Path:
        return self.folder / f".{self.token}.{table}.parquet.tmp"

    def add(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Queue rows for ``table``; they are written once ``group_rows`` rows are queued."""
        self.rows[table].extend(rows)
        self.counts[table] += len(rows)
        self.queued += len(rows)
        if self.queued >= self.group_rows:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows of every table as one row group each."""
        for table, rows in self.rows.items():
            if rows:
                self.writers[table].write_table(
                    self.pa.Table.from_pylist(rows, schema=self.schemas[table]))
                rows.clear()
        self.queued = 0

    def close(self) -> dict[str, str]:
        """Finish the files and move them into place; returns each table's file
        name relative to the batch folder's ``shards`` parent."""
        self.flush()
        for writer in self.writers.values():
            writer.close()
        # On disk before the rename, and the renames before the driver records
        # the shard complete: a crash of the machine must not leave a manifest
        # pointing at files the disk never got.
        for table in TABLES:
            _fsync(self._temporary(table))
            self._temporary(table).replace(self._final(table))
        _fsync(self.folder)
        return {t: f"{self.folder.name}/{self._final(t).name}" for t in TABLES}

    def abort(self) -> None:
        """Drop the unfinished files."""
        for table, writer in self.writers.items():
            try:
                writer.close()
            finally:
                self._temporary(table).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flush a file's (or a folder's entries') data to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of one Parquet file in order, a row group's worth at a time."""
    pq = need("pyarrow.parquet", "loading a batch (Parquet)")
    parquet = pq.ParquetFile(path)
    try:
        for batch in parquet.iter_batches(batch_size=GROUP_ROWS):
            yield from batch.to_pylist()
    finally:
        parquet.close()

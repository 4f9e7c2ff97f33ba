"""Reading a batch folder back, for ``ingest --from-batch``.

The complete shards are replayed in reading order, each shard's rows merged
back by ``seq``, so that the ledger's ingest sees what it would have read
itself: the rejects met listing the sources, then each shard's articles (with
their claims) and rejects. A text met again in a later shard becomes a
``duplicate`` reject, as the reader makes it when it reads every source in one
run (it cannot know the record's line, which a direct read would give).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tolltrack.batch.errors import BatchError, need
from tolltrack.batch.manifest import TABLES, Manifest, ShardEntry, read_manifest
from tolltrack.batch.tables import article_of, claim_of_row, read_rows, reject_of
from tolltrack.batch.work import SHARDS
from tolltrack.ingest import Reject, content_hash
from tolltrack.ledger import Extracted


def _broken() -> tuple[type[BaseException], ...]:
    """The errors reading a file that is not a shard's Parquet can raise."""
    pa = need("pyarrow", "loading a batch (Parquet)")
    return (OSError, ValueError, TypeError, NotImplementedError, pa.ArrowException)


def open_batch(folder: Path) -> Manifest:
    """The manifest of the batch in ``folder``, its complete shards' files checked
    (each must be a readable Parquet file). Raises BatchError, one line naming the
    folder or file, when it is not a batch or a file is missing or corrupt."""
    pq = need("pyarrow.parquet", "ingest --from-batch (Parquet)")
    if not folder.is_dir():
        raise BatchError(f"--from-batch {folder}: no such folder")
    manifest = read_manifest(folder)
    if manifest is None:
        raise BatchError(f"--from-batch {folder}: no manifest.json; not a tolltrack batch "
                         "folder")
    _check_version(folder, manifest)
    for entry in manifest.complete():
        for table in TABLES:
            path = folder / SHARDS / entry.files.get(table, f"{entry.id}/missing")
            try:
                pq.read_metadata(path)
            except _broken() as exc:
                raise BatchError(f"{path}: shard {entry.id} ({entry.source}) cannot be "
                                 f"read ({exc})") from None
    return manifest


def _check_version(folder: Path, manifest: Manifest) -> None:
    """Raise BatchError when the batch's claims come from another extractor
    version than this one: the ledger records every article's claims as this
    version's, and reextract would then never redo them."""
    from tolltrack.extract import EXTRACTOR_VERSION

    versions = [str(manifest.job.get("extractor_version"))]
    versions += [e.extractor_version for e in manifest.complete()]
    other = next((v for v in versions if v != EXTRACTOR_VERSION), None)
    if other is not None:
        raise BatchError(f"--from-batch {folder}: extracted by extractor {other}, this "
                         f"tolltrack runs {EXTRACTOR_VERSION}; run tolltrack batch again into a "
                         "new folder, or load it with the tolltrack that wrote it")


def missing_sources(manifest: Manifest) -> list[str]:
    """The sources of the planned shards that are not complete, in reading order."""
    return [manifest.shards[i].source if i in manifest.shards else i
            for i in manifest.missing()]


def batch_items(folder: Path, manifest: Manifest) -> Iterator[Extracted | Reject]:
    """Everything the batch read, in reading order: listing rejects, then each
    complete shard's articles (as Extracted, with their claims or failure) and
    rejects; later copies of a text already met are ``duplicate`` rejects."""
    yield from manifest.plan_rejects
    seen: dict[str, str] = {}
    for entry in manifest.complete():
        for item in _checked(folder, entry):
            if isinstance(item, Extracted):
                article = item.article
                digest = content_hash(article.text)
                if digest in seen:
                    yield Reject(article.source or article.id, "duplicate",
                                 f"same text as article {seen[digest]}")
                    continue
                seen[digest] = article.id
            yield item


def _checked(folder: Path, entry: ShardEntry) -> Iterator[Extracted | Reject]:
    """shard_items, with a file that breaks while being read as a BatchError."""
    try:
        yield from shard_items(folder, entry)
    except (*_broken(), KeyError, AttributeError) as exc:
        raise BatchError(f"{folder / SHARDS / entry.id}: shard {entry.id} ({entry.source}) "
                         f"cannot be read ({exc})") from None


def shard_items(folder: Path, entry: ShardEntry) -> Iterator[Extracted | Reject]:
    """One complete shard's articles and rejects, in reading order. Raises
    ValueError when a claim belongs to no article of the shard."""
    base = folder / SHARDS
    rejects = read_rows(base / entry.files["rejects"])
    claims = read_rows(base / entry.files["claims"])
    reject, claim = next(rejects, None), next(claims, None)
    for row in read_rows(base / entry.files["articles"]):
        while reject is not None and reject["seq"] < row["seq"]:
            yield reject_of(reject)
            reject = next(rejects, None)
        if claim is not None and claim["article_seq"] < row["seq"]:
            raise _orphan(claim)
        found = []
        while claim is not None and claim["article_seq"] == row["seq"]:
            found.append(claim_of_row(claim))
            claim = next(claims, None)
        article = article_of(row)
        failure = None
        if row["failure"]:
            failure = Reject(article.source or article.id, "extraction_failed", row["failure"])
        yield Extracted(article, tuple(found), failure)
    if claim is not None:
        raise _orphan(claim)
    while reject is not None:
        yield reject_of(reject)
        reject = next(rejects, None)


def _orphan(claim: dict) -> ValueError:
    return ValueError(f"a claim of article seq {claim['article_seq']}, which the shard's "
                      "articles do not hold")

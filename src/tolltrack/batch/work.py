"""The shard function: read one shard, extract its articles, write its Parquet.

The same function runs in a local process pool and as a Dask task, so it takes
and returns plain frozen records only (pickled by reference: the workers need
tolltrack installed). The spaCy model is loaded by the first shard a worker
process runs, and kept for the rest (``extract.parse.parser`` is cached).
"""

from __future__ import annotations

import os
import resource
import stat
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tolltrack.batch.shards import Shard
from tolltrack.batch.tables import ShardWriter, article_row, claim_rows, reject_row
from tolltrack.extract import EXTRACTOR_VERSION, iter_extract
from tolltrack.ingest import Reject, not_extractable, read_sources
from tolltrack.ingest.reader import read_stream
from tolltrack.model import Article
from tolltrack.options import Options, ReadOptions

SHARDS = "shards"

# English articles extracted together (the extractor's batch), and the most
# articles read ahead of the writer: those in other languages between the ones
# being extracted wait with them, to be written in reading order.
EXTRACT_BATCH = 64
HELD = 256

# Why a named source could not be opened or fetched at all: a network or
# permission problem that may pass, so its shard is failed (and retried by the
# next run) rather than complete. Other fatal rejects (a binary file, a missing
# page) come out the same on every run.
UNAVAILABLE = frozenset({"unreadable", "network", "timeout", "http_error"})


@dataclass(frozen=True)
class Job:
    """What every shard of a batch shares: the batch folder (the same path on
    every worker) and the read and extraction options."""

    out: str
    read_options: ReadOptions
    options: Options


@dataclass(frozen=True)
class ShardResult:
    """What a worker did with a shard: its files (by table, relative to the
    batch's ``shards`` folder), English articles extracted and their claims,
    rejects by reason (articles in other languages and extraction failures
    included), the lines of the fatal rejects (a source named on the command
    line that could not be read), the extractor version, seconds taken, and
    the worker process's peak RSS in MB. ``unavailable`` is the reason the
    source could not be opened or fetched (then nothing is written and
    ``files`` is empty)."""

    shard_id: str
    files: dict[str, str]
    articles: int
    claims: int
    rejects: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    fatal: tuple[str, ...] = ()
    extractor_version: str = EXTRACTOR_VERSION
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    unavailable: str | None = None


def run_shard(job: Job, shard: Shard) -> ShardResult:
    """Read ``shard``, extract the claims of its English articles and write its
    ``articles``, ``claims`` and ``rejects`` Parquet files into the batch folder
    (renamed into place only when whole). Bad documents become reject rows; an
    article whose extraction fails is kept with its failure. Returns what was
    written. Raises OSError when the folder cannot be written, and ModelError
    or LexiconError when the options cannot be used."""
    started = time.perf_counter()
    folder = Path(job.out) / SHARDS / shard.id
    folder.mkdir(parents=True, exist_ok=True)
    writer = ShardWriter(folder, uuid.uuid4().hex[:12])
    counts = Counts()
    try:
        fill(writer, _read(shard, job.read_options), job.options, counts, shard.named)
    except BaseException:
        writer.abort()
        raise
    if counts.unavailable is not None:
        writer.abort()
        files: dict[str, str] = {}
    else:
        files = writer.close()
    return ShardResult(shard.id, files, articles=counts.articles,
                       claims=writer.counts["claims"], rejects=dict(counts.rejects),
                       failed=counts.failed, fatal=tuple(counts.fatal),
                       seconds=time.perf_counter() - started, peak_rss_mb=peak_rss_mb(),
                       unavailable=counts.unavailable)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class Counts:
    """What a shard's items add up to: rejects by reason, English articles
    extracted, extraction failures, the lines of the fatal rejects, and why
    the source could not be opened or fetched (None when it was)."""

    rejects: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    failed: int = 0
    fatal: list[str] = field(default_factory=list)
    unavailable: str | None = None


def _read(shard: Shard, options: ReadOptions) -> Iterator[Article | Reject]:
    """The shard's articles and rejects, named as a direct read names them."""
    if shard.kind == "url":
        yield from read_sources([shard.path], options)
        return
    try:
        if shard.kind == "remote":
            import fsspec

            handle = fsspec.open(shard.path, "rb").open()
        else:
            handle = _open_regular(shard.path)
    except OSError as exc:
        yield Reject(shard.source, "unreadable", exc.strerror or "cannot be read", fatal=True)
        return
    if handle is None:
        yield Reject(shard.source, "not_a_file", "not a regular file", fatal=True)
        return
    with handle:
        yield from read_stream(shard.source, handle, options)


def _open_regular(path: str) -> BinaryIO | None:
    """``path`` opened for reading, or None when it is not a regular file. The
    planner checked, but the file may have been replaced since: opening without
    blocking and looking at what was opened means a FIFO never holds a worker.
    Raises OSError when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        os.close(fd)
        raise
    if not regular:
        os.close(fd)
        return None
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def fill(writer: ShardWriter, items: Iterable[Article | Reject], options: Options,
         counts: Counts, named: bool, held: int = HELD) -> None:
    """Write every item of a shard into ``writer`` in reading order, adding up
    ``counts``: rejects as they come, articles with nothing to extract before
    them at once, the others a window at a time (up to EXTRACT_BATCH English
    articles, at most ``held`` articles in all) once its claims are extracted.
    ``named``: the shard's source was named on the command line."""
    numbered = enumerate(items)
    while window := _window(writer, numbered, counts, named, held):
        _extract(writer, window, options, counts)


def _window(writer: ShardWriter, numbered: Iterator[tuple[int, Article | Reject]],
            counts: Counts, named: bool, held: int) -> list[tuple[int, Article, bool]]:
    """The next articles to extract, with the articles between them, each with
    whether it is extracted; empty at the end of the shard. Rejects, and the
    articles not extracted that no extracted article comes before, are written
    on the way, so a shard of articles in other languages is never held."""
    window: list[tuple[int, Article, bool]] = []
    extracted = 0
    for seq, item in numbered:
        if isinstance(item, Reject):
            _reject(writer, seq, item, counts, named)
            continue
        skip = not_extractable(item)
        if skip is not None:
            counts.rejects[skip.reason] += 1
            if not window:
                writer.add("articles", [article_row(seq, item, None)])
                continue
        window.append((seq, item, skip is None))
        extracted += skip is None
        if extracted >= EXTRACT_BATCH or len(window) >= held:
            break
    return window


def _reject(writer: ShardWriter, seq: int, reject: Reject, counts: Counts,
            named: bool) -> None:
    """Write one reject and count it."""
    # A file met inside a folder is skipped, not an error, when unreadable.
    fatal = reject.fatal and named
    counts.rejects[reject.reason] += 1
    if fatal:
        counts.fatal.append(str(reject))
    if fatal and reject.reason in UNAVAILABLE and counts.unavailable is None:
        counts.unavailable = reject.message
    writer.add("rejects", [reject_row(seq, reject, fatal)])


def _extract(writer: ShardWriter, window: list[tuple[int, Article, bool]], options: Options,
             counts: Counts) -> None:
    """Extract the claims of a window's English articles, then write its
    articles in order, each extracted one with its claims or its failure."""
    from tolltrack.ledger import extraction_failure

    # By object, not id: a dump may give two texts one id (stored as id_taken later).
    failures: dict[int, str] = {}

    def failed(article: Article, exc: Exception) -> None:
        failures[id(article)] = extraction_failure(article, exc).message

    found = iter_extract([a for _, a, extracted in window if extracted], options,
                         batch_size=EXTRACT_BATCH, on_error=failed)
    for seq, article, extracted in window:
        claims = next(found) if extracted else []
        failure = failures.pop(id(article), None)
        if failure is not None:
            counts.failed += 1
            counts.rejects["extraction_failed"] += 1
        elif extracted:
            counts.articles += 1
        writer.add("articles", [article_row(seq, article, failure)])
        if claims and failure is None:
            writer.add("claims", claim_rows(seq, article, claims))

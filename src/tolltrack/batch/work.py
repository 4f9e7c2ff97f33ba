"""The shard function: read one shard, extract its articles, write its Parquet.

The same function runs in a local process pool and as a Dask task, so it takes
and returns plain frozen records only (pickled by reference: the workers need
tolltrack installed). The spaCy model is loaded by the first shard a worker
process runs, and kept for the rest (``extract.parse.parser`` is cached).
"""

from __future__ import annotations

import resource
import sys
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tolltrack.batch.shards import Shard
from tolltrack.batch.tables import ShardWriter, article_row, claim_rows, reject_row
from tolltrack.extract import EXTRACTOR_VERSION, iter_extract
from tolltrack.ingest import Reject, not_extractable, read_sources
from tolltrack.ingest.reader import read_stream
from tolltrack.model import Article, Claim
from tolltrack.options import Options, ReadOptions

SHARDS = "shards"

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
    counts = _Counts()
    try:
        _fill(writer, _read(shard, job.read_options), job.options, counts, shard.named)
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
class _Counts:
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
            handle = open(shard.path, "rb")  # noqa: SIM115  (closed below)
    except OSError as exc:
        yield Reject(shard.source, "unreadable", exc.strerror or "cannot be read", fatal=True)
        return
    with handle:
        yield from read_stream(shard.source, handle, options)


def _fill(writer: ShardWriter, items: Iterator[Article | Reject], options: Options,
          counts: _Counts, named: bool) -> None:
    """Write every item of the shard in reading order: rejects as they come,
    articles once their claims are extracted (those not extractable with none)."""
    from tolltrack.ledger import extraction_failure

    waiting: deque[tuple[int, Article]] = deque()
    # By object, not id: a dump may give two texts one id (stored as id_taken later).
    failures: dict[int, str] = {}

    def extractable() -> Iterator[Article]:
        for seq, item in enumerate(items):
            if isinstance(item, Reject):
                # A file met inside a folder is skipped, not an error, when unreadable.
                fatal = item.fatal and named
                counts.rejects[item.reason] += 1
                if fatal:
                    counts.fatal.append(str(item))
                if fatal and item.reason in UNAVAILABLE and counts.unavailable is None:
                    counts.unavailable = item.message
                writer.add("rejects", [reject_row(seq, item, fatal)])
                continue
            waiting.append((seq, item))
            skip = not_extractable(item)
            if skip is None:
                yield item
            else:
                counts.rejects[skip.reason] += 1

    def failed(article: Article, exc: Exception) -> None:
        failures[id(article)] = extraction_failure(article, exc).message

    def settle(claims: list[Claim] | None) -> None:
        """Write the waiting articles up to the next extractable one, which gets
        ``claims`` (None: write every waiting article, none being extracted)."""
        while waiting:
            seq, article = waiting.popleft()
            extracted = not_extractable(article) is None
            failure = failures.pop(id(article), None) if extracted else None
            if failure is not None:
                counts.failed += 1
                counts.rejects["extraction_failed"] += 1
            elif extracted:
                counts.articles += 1
            writer.add("articles", [article_row(seq, article, failure)])
            if extracted:
                if claims is not None and failure is None:
                    writer.add("claims", claim_rows(seq, article, claims))
                if claims is not None:
                    return

    for found in iter_extract(extractable(), options, on_error=failed):
        settle(found)
    settle(None)

"""Filling the ledger: read → extract → store, in committed batches.

``ingest`` reads sources, skips what the ledger already holds (by content
hash), extracts the rest and stores each batch of articles, claims and
rejects in one transaction. A run stopped at any point (Ctrl-C, kill -9, a
full disk) leaves whole batches only; running it again finishes the job
without duplicates. ``reextract`` runs the current extractor again over
stored articles whose claims came from another version.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError

from tolltrack.extract import EXTRACTOR_VERSION, iter_extract
from tolltrack.ingest import Reject, Tally, content_hash, not_extractable, read_sources
from tolltrack.model import Article
from tolltrack.options import Options, ReadOptions
from tolltrack.store.connection import Ledger, LedgerError, database_reason, writable
from tolltrack.store.queries import load_articles, stale_articles
from tolltrack.store.writer import Stored, Writer

BATCH_SIZE = 50


@dataclass
class RunReport:
    """What a run did: its id, articles stored (or re-extracted), articles
    skipped as already stored, claims stored, rejects by reason, batches
    committed, and whether every article was extracted without error."""

    run_id: int
    stored: int = 0
    skipped: int = 0
    claims: int = 0
    batches: int = 0
    tally: Tally = field(default_factory=Tally)
    failed: int = 0

    def summary(self, verb: str = "stored") -> str:
        """One line: "12 articles stored, 3 already stored, 40 claims, 1 rejected: …"."""
        rejected = self.tally.summary().partition(", ")[2]
        return (f"{self.stored} article{'' if self.stored == 1 else 's'} {verb}, "
                f"{self.skipped} already stored, {self.claims} "
                f"claim{'' if self.claims == 1 else 's'}, {rejected}")


OnReject = Callable[[Reject], None]
OnStored = Callable[[RunReport], None]


def _guarded(ledger: Ledger, writer: Writer, run_id: int | None, work: Callable[[], None]
             ) -> None:
    """Run ``work``; a database error becomes a LedgerError, and the run is
    marked interrupted or failed (whole batches stay stored either way)."""
    try:
        work()
    except KeyboardInterrupt:
        _close(writer, run_id, "interrupted")
        raise
    except DBAPIError as exc:
        _close(writer, run_id, "failed")
        raise LedgerError(f"{ledger.name}: {database_reason(exc)}; every batch before this "
                          "one is stored, run the command again to finish") from None
    _close(writer, run_id, "finished")


def _close(writer: Writer, run_id: int | None, status: str) -> None:
    if run_id is None:
        return
    # The database that failed the batch may refuse this too.
    with suppress(DBAPIError):
        writer.finish_run(run_id, status)


def _begin(ledger: Ledger, writer: Writer, command: str, sources: Sequence[str],
           options: Options) -> int:
    reason = writable(ledger)
    if reason:
        raise LedgerError(f"{ledger.name}: {reason}")
    try:
        return writer.begin_run(command, sources, options.model, EXTRACTOR_VERSION)
    except DBAPIError as exc:
        raise LedgerError(f"{ledger.name}: {database_reason(exc)}") from None


def ingest(ledger: Ledger, sources: Sequence[str], read_options: ReadOptions,
           options: Options, *, batch_size: int = BATCH_SIZE,
           on_reject: OnReject | None = None, on_stored: OnStored | None = None) -> RunReport:
    """Read ``sources``, extract claims from each new English article and store
    them in ``ledger`` in batches of ``batch_size`` articles.

    Every reject (unreadable input, other language, extraction failure, an id
    already used by another text) is stored and passed to ``on_reject``;
    ``on_stored`` sees the report after each committed batch. Returns the
    run's report. Raises LedgerError when the ledger cannot be written (the
    batches before stay stored) and KeyboardInterrupt when interrupted.
    """
    writer = Writer(ledger)
    run_id = _begin(ledger, writer, "ingest", sources, options)
    report = RunReport(run_id)
    state = _Batches(writer, report, batch_size, on_reject, on_stored)

    def fresh() -> Iterator[Article]:
        for item in read_sources(sources, read_options):
            if isinstance(item, Reject):
                state.reject(item)
                continue
            known = writer.known(item)
            if known == "stored":
                state.skipped += 1
                report.skipped += 1
                continue
            skip = not_extractable(item) or state.taken(item, known)
            if skip is not None:
                state.reject(skip)
                continue
            state.queue.append(item)
            yield item

    def work() -> None:
        # Parse no more articles at a time than a batch holds, so that each batch
        # is committed as soon as its articles are read.
        for found in iter_extract(fresh(), options, batch_size=min(batch_size, 64),
                                  on_error=state.failed):
            article = state.queue.popleft()
            if article.id in state.broken:
                continue
            state.add(Stored(article, tuple(found)), "store")
        state.flush("store")

    _guarded(ledger, writer, run_id, work)
    return report


def reextract(ledger: Ledger, options: Options, *, every: bool = False,
              batch_size: int = BATCH_SIZE, on_reject: OnReject | None = None,
              on_stored: OnStored | None = None) -> RunReport:
    """Extract again every stored article whose claims came from another
    extractor version (every stored article with ``every``), replacing its
    claims and reclustering, a batch per transaction. Returns the run's report
    (``stored`` counts the articles re-extracted)."""
    writer = Writer(ledger)
    ids = stale_articles(ledger, EXTRACTOR_VERSION, every)
    run_id = _begin(ledger, writer, "reextract", [], options)
    report = RunReport(run_id)
    state = _Batches(writer, report, batch_size, on_reject, on_stored)

    def stored() -> Iterator[Article]:
        for start in range(0, len(ids), batch_size):
            for article in load_articles(ledger, ids[start:start + batch_size]):
                state.queue.append(article)
                yield article

    def work() -> None:
        for found in iter_extract(stored(), options, batch_size=min(batch_size, 64),
                                  on_error=state.failed):
            article = state.queue.popleft()
            if article.id not in state.broken:
                state.add(Stored(article, tuple(found)), "replace")
        state.flush("replace")

    _guarded(ledger, writer, run_id, work)
    return report


class _Batches:
    """The open batch of a run: articles with claims, rejects, and the ids and
    texts seen so far (so one run never stores an id or a text twice)."""

    def __init__(self, writer: Writer, report: RunReport, size: int,
                 on_reject: OnReject | None, on_stored: OnStored | None) -> None:
        self.writer = writer
        self.report = report
        self.size = size
        self.on_reject = on_reject
        self.on_stored = on_stored
        self.items: list[Stored] = []
        self.rejects: list[Reject] = []
        self.queue: deque[Article] = deque()
        self.broken: set[str] = set()
        self.ids: dict[str, str] = {}
        self.skipped = 0

    def reject(self, item: Reject) -> None:
        self.report.tally.add(item)
        self.rejects.append(item)
        if self.on_reject is not None:
            self.on_reject(item)

    def taken(self, article: Article, known: str | None) -> Reject | None:
        """A reject when the article's id is already used by another text, in
        the ledger (``known`` is Writer.known's answer) or earlier in this run."""
        digest = content_hash(article.text)
        if self.ids.setdefault(article.id, digest) != digest or known == "id_taken":
            return Reject(article.source or article.id, "id_taken",
                          f"article id {article.id!r} already belongs to another text")
        return None

    def failed(self, article: Article, exc: Exception) -> None:
        self.broken.add(article.id)
        self.report.failed += 1
        self.reject(Reject(article.source or article.id, "extraction_failed",
                           f"article {article.id}: extraction failed "
                           f"({type(exc).__name__}: {exc})"))

    def add(self, item: Stored, mode: str) -> None:
        self.items.append(item)
        if len(self.items) >= self.size:
            self.flush(mode)

    def flush(self, mode: str) -> None:
        if not (self.items or self.rejects or self.skipped):
            return
        claims = sum(len(i.claims) for i in self.items)
        if mode == "store":
            self.writer.store(self.report.run_id, self.items, self.rejects, self.skipped,
                              EXTRACTOR_VERSION)
        else:
            self.writer.replace_claims(self.report.run_id, self.items, self.rejects,
                                       EXTRACTOR_VERSION)
        self.report.stored += len(self.items)
        self.report.claims += claims
        self.report.batches += 1
        self.items, self.rejects, self.skipped = [], [], 0
        if self.on_stored is not None:
            self.on_stored(self.report)

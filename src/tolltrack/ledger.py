"""Filling the ledger: read → extract → store, in committed batches.

``ingest`` reads sources, skips what the ledger already holds (by content
hash), extracts the rest and stores each batch of articles, claims and
rejects in one transaction. A run stopped at any point (Ctrl-C, kill -9, a
full disk) leaves whole batches only; running it again finishes the job
without duplicates. ``reextract`` runs the current extractor again over
stored articles whose claims came from another version.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from tolltrack.extract import EXTRACTOR_VERSION, iter_extract
from tolltrack.ingest import Reject, content_hash, not_extractable, read_sources
from tolltrack.ingest.rejects import rejected
from tolltrack.model import Article, Claim
from tolltrack.options import Options, ReadOptions
from tolltrack.store.connection import Ledger, LedgerError, database_reason, writable
from tolltrack.store.queries import load_articles, stale_articles
from tolltrack.store.writer import Stored, Writer

BATCH_SIZE = 50
# Longer ids are not ids but whole texts or URLs with their query strings; an
# index entry must also stay within PostgreSQL's limit.
MAX_ID_LENGTH = 500


@dataclass(frozen=True)
class RunReport:
    """What a run did: its id, its command, articles stored (or re-extracted),
    articles skipped as already stored, claims stored, batches committed,
    rejects by reason, and how many articles failed extraction."""

    run_id: int
    command: str
    stored: int = 0
    skipped: int = 0
    claims: int = 0
    batches: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    def summary(self) -> str:
        """One line: "12 articles stored, 3 already stored, 40 claims, 1 rejected: …"
        ("12 articles re-extracted, 40 claims, …" for a re-extraction)."""
        verb = "stored" if self.command == "ingest" else "re-extracted"
        parts = [f"{self.stored} article{'' if self.stored == 1 else 's'} {verb}"]
        if self.command == "ingest":
            parts.append(f"{self.skipped} already stored")
        parts.append(f"{self.claims} claim{'' if self.claims == 1 else 's'}")
        parts.append(rejected(self.rejects))
        return ", ".join(parts)


OnReject = Callable[[Reject], None]
OnStored = Callable[[RunReport], None]


def ingest(ledger: Ledger, sources: Sequence[str], read_options: ReadOptions,
           options: Options, *, batch_size: int = BATCH_SIZE,
           on_reject: OnReject | None = None, on_stored: OnStored | None = None) -> RunReport:
    """Read ``sources``, extract claims from each new English article and store
    them in ``ledger`` in batches of ``batch_size`` articles.

    Every reject (unreadable input, other language, extraction failure, an id
    already used by another text, an article the database refuses) is stored
    and passed to ``on_reject``; ``on_stored`` sees the report after each
    committed batch. Returns the run's report. Raises LedgerError when the
    ledger cannot be written (the batches before stay stored) and
    KeyboardInterrupt when interrupted.
    """
    return ingest_items(ledger, read_sources(sources, read_options), options, sources=sources,
                        batch_size=batch_size, on_reject=on_reject, on_stored=on_stored)


def ingest_items(ledger: Ledger, items: Iterable[Article | Reject], options: Options, *,
                 sources: Sequence[str] = (), batch_size: int = BATCH_SIZE,
                 on_reject: OnReject | None = None, on_stored: OnStored | None = None
                 ) -> RunReport:
    """``ingest`` over Articles and Rejects already read (from a web request,
    say); ``sources`` is what the run records it read. Same batches, checks
    and report as ``ingest``."""
    run = _Run(ledger, "ingest", sources, options, batch_size, on_reject, on_stored)
    return run.go(run.fresh(items))


@dataclass(frozen=True)
class Extracted:
    """An article read and extracted elsewhere (a batch worker): its claims, or
    the ``extraction_failed`` Reject that took their place."""

    article: Article
    claims: tuple[Claim, ...] = ()
    failure: Reject | None = None


def ingest_extracted(ledger: Ledger, items: Iterable[Article | Extracted | Reject],
                     sources: Sequence[str], options: Options, *, batch_size: int = BATCH_SIZE,
                     on_reject: OnReject | None = None, on_stored: OnStored | None = None
                     ) -> RunReport:
    """Store articles extracted elsewhere as ``ingest`` stores what it reads:
    the same skips, rejects and batches, so that the ledger ends up as an
    ``ingest`` of ``sources`` leaves it. ``items`` come in reading order; an
    Article without claims (one not extractable) only gets its reject.
    Returns the run's report; raises as ``ingest`` does."""
    run = _Run(ledger, "ingest", sources, options, batch_size, on_reject, on_stored)
    return run.go_extracted(run.fresh(items))


def extraction_failure(article: Article, exc: Exception) -> Reject:
    """The ``extraction_failed`` Reject of an article whose extraction raised ``exc``."""
    return Reject(article.source or article.id, "extraction_failed",
                  f"article {article.id}: extraction failed ({type(exc).__name__}: {exc})")


def reextract(ledger: Ledger, options: Options, *, every: bool = False,
              batch_size: int = BATCH_SIZE, on_reject: OnReject | None = None,
              on_stored: OnStored | None = None) -> RunReport:
    """Extract again every stored article whose claims came from another
    extractor version (every stored article with ``every``), replacing its
    claims and reclustering, a batch per transaction. Returns the run's report
    (``stored`` counts the articles re-extracted)."""
    ids = stale_articles(ledger, EXTRACTOR_VERSION, every)
    run = _Run(ledger, "reextract", [], options, batch_size, on_reject, on_stored)

    def stored() -> Iterator[Article]:
        for start in range(0, len(ids), batch_size):
            yield from load_articles(ledger, ids[start:start + batch_size])

    return run.go(stored())


Item = Article | Extracted | Reject


def _article(item: Article | Extracted) -> Article:
    return item.article if isinstance(item, Extracted) else item


class _Run:
    """One ingest or reextract run: its open batch (articles with claims, and
    rejects), its counts, and the ids and texts seen so far (so that one run
    never stores an id or a text twice)."""

    def __init__(self, ledger: Ledger, command: str, sources: Sequence[str],
                 options: Options, size: int, on_reject: OnReject | None,
                 on_stored: OnStored | None) -> None:
        self.ledger = ledger
        self.command = command
        self.options = options
        self.size = size
        self.on_reject = on_reject
        self.on_stored = on_stored
        self.writer = Writer(ledger)
        reason = writable(ledger)
        if reason:
            raise LedgerError(f"{ledger.name}: {reason}")
        try:
            self.run_id = self.writer.begin_run(command, sources, options.model,
                                                EXTRACTOR_VERSION)
        except DBAPIError as exc:
            raise LedgerError(f"{ledger.name}: {database_reason(exc)}") from None
        self.items: list[Stored] = []
        self.pending_rejects: list[Reject] = []
        self.pending_skips = 0
        self.queue: deque[Article] = deque()
        self.broken: set[str] = set()
        self.ids: dict[str, str] = {}
        self.counts: Counter[str] = Counter()
        self.rejects: Counter[str] = Counter()

    def report(self) -> RunReport:
        """The run's report so far."""
        c = self.counts
        return RunReport(self.run_id, self.command, stored=c["stored"], skipped=c["skipped"],
                         claims=c["claims"], batches=c["batches"], rejects=dict(self.rejects),
                         failed=c["failed"])

    def fresh(self, items: Iterable[Item]) -> Iterator[Item]:
        """The items to extract and store: rejects are recorded, articles stored
        already are counted as skips, and those that cannot be stored become
        rejects. Looked up in the ledger a batch at a time: one query, not one
        per article."""
        read: list[Item] = []
        for item in items:
            read.append(item)
            if len(read) >= self.size:
                yield from self._settle(read)
                read = []
        yield from self._settle(read)

    def _settle(self, read: list[Item]) -> Iterator[Item]:
        found = iter(self.writer.known([_article(a) for a in read if not isinstance(a, Reject)]))
        for item in read:
            if isinstance(item, Reject):
                self.reject(item)
                continue
            known = next(found)
            if known == "stored":
                self.skip()
                continue
            article = _article(item)
            skip = not_extractable(article) or self.taken(article, known)
            if skip is not None:
                self.reject(skip)
                continue
            yield item

    def go(self, articles: Iterator[Any]) -> RunReport:
        """Extract and store every article; returns the report. Database errors
        become a LedgerError, and the run is marked interrupted or failed (whole
        batches stay stored either way)."""
        def queued() -> Iterator[Article]:
            for article in articles:
                self.queue.append(article)
                yield article

        def extracted() -> Iterator[Stored]:
            # Parse no more articles at a time than a batch holds, so that each
            # batch is committed as soon as its articles are read.
            for found in iter_extract(queued(), self.options, batch_size=min(self.size, 64),
                                      on_error=self.failed):
                article = self.queue.popleft()
                if article.id not in self.broken:
                    yield Stored(article, tuple(found))

        return self._store_all(extracted())

    def go_extracted(self, items: Iterator[Any]) -> RunReport:
        """Store articles extracted elsewhere (Extracted items); as ``go``."""
        def stored() -> Iterator[Stored]:
            for item in items:
                if item.failure is not None:
                    self.counts["failed"] += 1
                    self.reject(item.failure)
                    continue
                yield Stored(item.article, item.claims)

        return self._store_all(stored())

    def _store_all(self, items: Iterator[Stored]) -> RunReport:
        try:
            for item in items:
                self.items.append(item)
                if len(self.items) >= self.size:
                    self.flush()
            self.flush()
        except KeyboardInterrupt:
            self._close("interrupted")
            raise
        except DBAPIError as exc:
            self._close("failed")
            raise LedgerError(f"{self.ledger.name}: {database_reason(exc)}; every batch "
                              "before this one is stored, run the command again to finish"
                              ) from None
        except Exception:  # the input failed (a batch file): whole batches stay stored
            self._close("failed")
            raise
        self._close("finished")
        return self.report()

    def _close(self, status: str) -> None:
        # The database that failed the batch may refuse this too.
        with suppress(DBAPIError):
            self.writer.finish_run(self.run_id, status)

    def skip(self) -> None:
        """Count an article that is stored already."""
        self.counts["skipped"] += 1
        self.pending_skips += 1

    def reject(self, item: Reject) -> None:
        """Record a reject: counted now, stored with the next batch."""
        self.rejects[item.reason] += 1
        self.pending_rejects.append(item)
        if self.on_reject is not None:
            self.on_reject(item)

    def taken(self, article: Article, known: str | None) -> Reject | None:
        """A reject when the article's id cannot be stored: too long, or already
        used by another text in the ledger (``known`` is Writer.known's answer)
        or earlier in this run."""
        where = article.source or article.id[:80]
        digest = content_hash(article.text)
        # The text's hash tells apart several such articles of one file.
        if len(article.id) > MAX_ID_LENGTH:
            return Reject(where, "bad_id", f"article {digest}: an id of {len(article.id)} "
                          f"characters (at most {MAX_ID_LENGTH})")
        if self.ids.setdefault(article.id, digest) != digest or known == "id_taken":
            return Reject(where, "id_taken", f"article id {article.id!r} already belongs to "
                          f"another text (this text: {digest})")
        return None

    def failed(self, article: Article, exc: Exception) -> None:
        """Reject an article whose extraction failed."""
        self.broken.add(article.id)
        self.counts["failed"] += 1
        self.reject(extraction_failure(article, exc))

    def flush(self) -> None:
        """Store the open batch in one transaction. When the database refuses
        the batch for one article's data, the articles are stored one by one
        and the refused one becomes a ``store_failed`` reject."""
        if not (self.items or self.pending_rejects or self.pending_skips):
            return
        items, self.items = self.items, []
        try:
            self._write(items)
        except OperationalError:
            self.items = items
            raise
        except DBAPIError as exc:
            if len(items) == 1:
                self._refused(items[0], exc)
            else:
                for item in items:
                    try:
                        self._write([item])
                    except OperationalError:
                        raise
                    except DBAPIError as one:
                        self._refused(item, one)
            self._write([])
        self.counts["batches"] += 1
        if self.on_stored is not None:
            self.on_stored(self.report())

    def _write(self, items: list[Stored]) -> None:
        if not (items or self.pending_rejects or self.pending_skips):
            return
        if self.command == "ingest":
            self.writer.store(self.run_id, items, self.pending_rejects, self.pending_skips,
                              EXTRACTOR_VERSION)
        else:
            self.writer.replace_claims(self.run_id, items, self.pending_rejects,
                                       EXTRACTOR_VERSION)
        self.pending_rejects, self.pending_skips = [], 0
        self.counts["stored"] += len(items)
        self.counts["claims"] += sum(len(i.claims) for i in items)

    def _refused(self, item: Stored, exc: DBAPIError) -> None:
        article = item.article
        if self.command == "ingest" and self.writer.known([article]) == ["stored"]:
            # Another process stored the same text first.
            self.skip()
            return
        self.reject(Reject(article.source or article.id[:80], "store_failed",
                           f"article {article.id[:80]}: the database refused it "
                           f"({database_reason(exc)})"))


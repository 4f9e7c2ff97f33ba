"""The driver of a batch: plan the shards, skip those already complete, run
the rest (local pool or Dask), record each in the manifest as it finishes.

``run_batch`` is what ``tolltrack batch`` calls. The batch folder holds
``manifest.json`` and ``shards/ID/TOKEN.{articles,claims,rejects}.parquet``.
One driver at a time may use a folder (a lock file says so), and a folder
belongs to one job: rerunning with other sources or options is refused.
"""

from __future__ import annotations

import fcntl
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from tolltrack.batch.errors import BatchError, need
from tolltrack.batch.manifest import (
    TABLES,
    Manifest,
    ShardEntry,
    differs,
    job_of,
    read_manifest,
    write_manifest,
)
from tolltrack.batch.pool import Outcome, ShardFunction, default_workers, run_dask, run_local
from tolltrack.batch.shards import Shard, plan
from tolltrack.batch.work import SHARDS, Job, run_shard
from tolltrack.extract import EXTRACTOR_VERSION
from tolltrack.ingest.rejects import rejected
from tolltrack.options import Options, ReadOptions


@dataclass(frozen=True)
class BatchReport:
    """A batch so far: shards planned, complete before this run, run now;
    totals over every complete shard (English articles, claims, rejects by
    reason, including those met listing the sources); the shards that failed
    (id, source, reason); the fatal rejects (sources named on the command
    line that could not be read); the largest worker peak RSS seen, in MB."""

    shards: int
    done_before: int = 0
    ran: int = 0
    articles: int = 0
    claims: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    failed: tuple[tuple[str, str, str], ...] = ()
    fatal: tuple[str, ...] = ()
    peak_rss_mb: float = 0.0

    def summary(self) -> str:
        """One line: "12 shards (3 done before), 1204 articles, 3512 claims, 9
        rejected: 4 not english, …"."""
        parts = [f"{self.shards} shard{'' if self.shards == 1 else 's'}"
                 + (f" ({self.done_before} done before)" if self.done_before else "")]
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        parts.append(f"{self.articles} article{'' if self.articles == 1 else 's'}")
        parts.append(f"{self.claims} claim{'' if self.claims == 1 else 's'}")
        parts.append(rejected(self.rejects))
        return ", ".join(parts)


OnShard = Callable[[BatchReport], None]


def run_batch(sources: Sequence[str], out: Path, read_options: ReadOptions, options: Options,
              *, workers: int | None = None, scheduler: str | None = None,
              on_start: OnShard | None = None, on_shard: OnShard | None = None,
              work: ShardFunction = run_shard) -> BatchReport:
    """Read and extract ``sources`` shard by shard into the batch folder ``out``:
    on ``workers`` local processes (default: one per CPU), or on the Dask
    cluster whose scheduler is at ``scheduler``. Shards complete from an earlier
    run into the same folder are skipped. ``on_start`` sees the report before
    the first shard runs, ``on_shard`` after each. Returns the final report.
    Raises BatchError (one line) when the batch cannot run: pyarrow missing, the
    folder unwritable or holding another job, a corrupt manifest, standard
    input as a source, an unreachable scheduler, unusable options."""
    need("pyarrow", "tolltrack batch (Parquet output)")
    if out.parts and _SCHEME.fullmatch(out.parts[0]):
        # A path keeps "s3:" as a folder name: the batch would land in ./s3:/.
        raise BatchError(f"--out {out}: a URL; the batch folder must be a filesystem path "
                         "(on a cluster, one every worker shares)")
    folder = out.resolve()
    shards = plan(sources)
    job = Job(str(folder), read_options, options)
    with _locked(folder):
        manifest = _start(folder, job_of(list(sources), read_options, options,
                                         EXTRACTOR_VERSION), shards.shards, shards.rejects)
        todo = [s for s in shards.shards if not _complete(folder, manifest.shards[s.id])]
        reopened = _reopen(manifest, todo)
        if reopened is not manifest:
            manifest = reopened
            write_manifest(folder, manifest)
        state = _State(folder, manifest, len(shards.shards) - len(todo))
        if on_start is not None:
            on_start(state.report())
        if todo:
            if scheduler:
                outcomes = run_dask(job, todo, scheduler, work)
            else:
                outcomes = run_local(job, todo, workers or default_workers(), work)
            for outcome in outcomes:
                state.record(outcome)
                if on_shard is not None:
                    on_shard(state.report())
            for shard in todo:
                if shard.id not in state.recorded:  # a shard never lost is never silent
                    state.record(Outcome(shard, error="it was never run"))
        _remove_strays(folder, state.manifest)
        return state.report()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock (created with the folder) for one run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / ".lock").open("a")
    except OSError as exc:
        raise BatchError(f"--out {folder}: {exc.strerror or 'cannot be written'}") from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BatchError(f"--out {folder}: another tolltrack batch is using this "
                             "folder") from None
        yield


# The first part of a path made from a URL such as s3://bucket/out.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
# What the runner itself puts in a batch folder besides the shards folder: the
# lock and the manifest, and the manifest's temporary copy while it is written.
_OWN = re.compile(r"\.lock|manifest\.json|\.manifest\.json\.\d+\.tmp")
# The files a worker writes under shards/ID/: TOKEN.TABLE.parquet, and the same
# as .TOKEN.TABLE.parquet.tmp while it is being written.
_SHARD_DIR = re.compile(r"[0-9a-f]{16}")
_SHARD_FILE = re.compile(r"(\.)?[0-9a-f]{12}\.(?:articles|claims|rejects)\.parquet(?(1)\.tmp)")


def _start(folder: Path, job: dict, shards: Sequence[Shard], rejects: Sequence) -> Manifest:
    """The manifest for this run: the folder's own (refused when it holds another
    job) brought up to this plan, with every new shard pending; written back.
    A folder with no manifest must be empty (but for the lock): a batch never
    writes among, or removes, files that are not its own."""
    old = read_manifest(folder)
    if old is None:
        _check_empty(folder)
    else:
        what = differs(old.job, job)
        if what is not None:
            raise BatchError(f"--out {folder}: holds a batch with other {what}; use another "
                             "folder, or remove this one to start again")
    entries = dict(old.shards) if old else {}
    for shard in shards:
        if shard.id not in entries:
            entries[shard.id] = ShardEntry(shard.id, shard.source, "pending")
    manifest = Manifest(job, tuple(s.id for s in shards), tuple(rejects), entries)
    write_manifest(folder, manifest)
    _remove_strays(folder, manifest)
    return manifest


def _check_empty(folder: Path) -> None:
    """Raise BatchError when ``folder`` holds anything a batch did not put there."""
    try:
        other = sorted(p.name for p in folder.iterdir() if not _OWN.fullmatch(p.name))
    except OSError as exc:
        raise BatchError(f"--out {folder}: {exc.strerror or 'cannot be read'}") from None
    if other:
        raise BatchError(f"--out {folder}: not empty and not a tolltrack batch folder (it holds "
                         f"{other[0]}{' …' if len(other) > 1 else ''}); use a new or empty "
                         "folder")


def _complete(folder: Path, entry: ShardEntry) -> bool:
    """Whether a shard is complete: so recorded, by this extractor version, with
    each of its files a whole Parquet file (one cut short is redone)."""
    if (entry.status != "complete" or entry.extractor_version != EXTRACTOR_VERSION
            or sorted(entry.files) != sorted(TABLES)):
        return False
    pq = need("pyarrow.parquet", "tolltrack batch (Parquet output)")
    pa = need("pyarrow", "tolltrack batch (Parquet output)")
    try:
        for name in entry.files.values():
            pq.read_metadata(folder / SHARDS / name)
    except (OSError, ValueError, pa.ArrowException):
        return False
    return True


def _reopen(manifest: Manifest, todo: Sequence[Shard]) -> Manifest:
    """``manifest`` with the shards to run that it records complete (files
    missing or cut short) marked pending again, so nothing counts them."""
    reopened = {s.id: replace(manifest.shards[s.id], status="pending") for s in todo
                if manifest.shards[s.id].status == "complete"}
    return replace(manifest, shards={**manifest.shards, **reopened}) if reopened else manifest


def _remove_strays(folder: Path, manifest: Manifest) -> None:
    """Remove the shard files no complete shard points to: what a killed worker
    or an earlier attempt left behind. Only files named as a worker names them
    are ever removed: anything else under the folder is left alone."""
    kept = {name for entry in manifest.shards.values() if entry.status == "complete"
            for name in entry.files.values()}
    root = folder / SHARDS
    if not root.is_dir():
        return
    for shard_dir in root.iterdir():
        if not _SHARD_DIR.fullmatch(shard_dir.name) or not shard_dir.is_dir():
            continue
        for path in shard_dir.iterdir():
            if (_SHARD_FILE.fullmatch(path.name) and path.is_file()
                    and f"{shard_dir.name}/{path.name}" not in kept):
                path.unlink(missing_ok=True)


class _State:
    """The manifest as shards finish, and the report it adds up to."""

    def __init__(self, folder: Path, manifest: Manifest, done_before: int) -> None:
        self.folder = folder
        self.manifest = manifest
        self.done_before = done_before
        self.ran = 0
        self.recorded: set[str] = set()
        self.peak = 0.0

    def record(self, outcome: Outcome) -> None:
        """Write one finished shard into the manifest (one rename)."""
        shard, result = outcome.shard, outcome.result
        self.recorded.add(shard.id)
        if result is None:
            entry = ShardEntry(shard.id, shard.source, "failed", error=outcome.error)
        elif result.unavailable is not None:
            entry = ShardEntry(shard.id, shard.source, "failed", error=result.unavailable)
        else:
            self.ran += 1
            self.peak = max(self.peak, result.peak_rss_mb)
            entry = ShardEntry(shard.id, shard.source, "complete", articles=result.articles,
                               claims=result.claims, rejects=dict(result.rejects),
                               failed=result.failed, files=dict(result.files),
                               extractor_version=result.extractor_version,
                               fatal=list(result.fatal))
            if result.extractor_version != EXTRACTOR_VERSION:
                entry = replace(entry, status="failed", error=(
                    f"the worker runs extractor {result.extractor_version}, this tolltrack "
                    f"{EXTRACTOR_VERSION}: install the same tolltrack on every worker"))
        self.manifest = replace(self.manifest, shards={**self.manifest.shards, shard.id: entry})
        write_manifest(self.folder, self.manifest)

    def report(self) -> BatchReport:
        """The batch's report so far."""
        complete = self.manifest.complete()
        # Every run tells them again: a rerun skips the shard, not its error.
        fatal = [str(r) for r in self.manifest.plan_rejects if r.fatal]
        fatal += [line for entry in complete for line in entry.fatal]
        rejects: Counter[str] = Counter(r.reason for r in self.manifest.plan_rejects)
        for entry in complete:
            rejects.update(entry.rejects)
        failed = tuple((e.id, e.source, e.error or "") for e in self.manifest.shards.values()
                       if e.status == "failed" and e.id in self.manifest.order)
        return BatchReport(len(self.manifest.order), self.done_before, self.ran,
                           articles=sum(e.articles for e in complete),
                           claims=sum(e.claims for e in complete), rejects=dict(rejects),
                           failed=failed, fatal=tuple(fatal), peak_rss_mb=self.peak)


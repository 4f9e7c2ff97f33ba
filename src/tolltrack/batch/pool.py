"""Running the shard function: on a local process pool, or as Dask tasks.

Both yield one Outcome per shard as shards finish. A shard that raises is a
failed Outcome with the reason; options no shard can run with (a model that
is not installed, a broken lexicon) stop the whole batch instead. A worker
process that dies takes its shard with it: Dask reschedules the task on
another worker (up to its ``allowed-failures``); the local pool is rebuilt,
and the shards that were running when it broke are run again one at a time,
so that a shard that kills its worker every time is found and reported
rather than retried forever or blamed on its neighbours.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from tolltrack.batch.errors import BatchError, need
from tolltrack.batch.shards import Shard
from tolltrack.batch.work import Job, ShardResult
from tolltrack.extract.parse import ModelError
from tolltrack.lexicon import LexiconError

ShardFunction = Callable[[Job, Shard], ShardResult]

# Runs of a shard alone in a fresh worker after it was running when the pool broke.
ALONE_ATTEMPTS = 2


@dataclass(frozen=True)
class Outcome:
    """One shard's end: its result, or why it failed."""

    shard: Shard
    result: ShardResult | None = None
    error: str | None = None


def _settle(shard: Shard, future: Any, died: type[Exception] | None = None) -> Outcome:
    """The outcome of a finished future; options no shard can use raise BatchError.
    ``died`` is the error that says the workers running it died."""
    try:
        return Outcome(shard, result=future.result())
    except (ModelError, LexiconError) as exc:
        raise BatchError(str(exc)) from None
    except BrokenProcessPool:
        raise
    except Exception as exc:  # one shard's failure is reported, the others go on
        if died is not None and isinstance(exc, died):
            return Outcome(shard, error=f"the workers running this shard died ({exc})")
        return Outcome(shard, error=f"{type(exc).__name__}: {exc}")


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_local(job: Job, shards: Sequence[Shard], workers: int,
              work: ShardFunction) -> Iterator[Outcome]:
    """Run ``work(job, shard)`` for every shard on ``workers`` local processes;
    yield each shard's Outcome as it finishes."""
    queue = deque(shards)
    suspects: list[Shard] = []
    while queue:
        yield from _round(job, queue, workers, work, suspects)
    for shard in suspects:
        for attempt in range(1, ALONE_ATTEMPTS + 1):
            alone: list[Shard] = []
            outcomes = list(_round(job, deque([shard]), 1, work, alone))
            if outcomes:
                yield outcomes[0]
                break
            if attempt == ALONE_ATTEMPTS:
                yield Outcome(shard, error=f"the worker process died running this shard "
                                           f"{ALONE_ATTEMPTS + 1} times")


def _round(job: Job, queue: deque[Shard], workers: int, work: ShardFunction,
           suspects: list[Shard]) -> Iterator[Outcome]:
    """Run shards off ``queue`` on one pool until it is empty or the pool breaks;
    the shards running when it broke go to ``suspects``. No more shards are
    submitted than there are workers, so that those running are known."""
    # Spawned, not forked: the driver runs a progress thread, and a fork copies
    # its locks mid-use.
    context = multiprocessing.get_context("spawn")
    running: dict[Future, Shard] = {}
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            while queue or running:
                while queue and len(running) < workers:
                    _submit(pool, queue, running, work, job)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = _settle(running[future], future)
                    del running[future]  # not before: a broken pool leaves it running
                    yield outcome
        except BrokenProcessPool:
            suspects.extend(running.values())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _submit(pool: ProcessPoolExecutor, queue: deque[Shard], running: dict[Future, Shard],
            work: ShardFunction, job: Job) -> None:
    """Move the first shard of ``queue`` to ``running``. When the pool broke
    since the last look, the shard goes back to the front of the queue (for the
    next pool) and BrokenProcessPool is raised."""
    shard = queue.popleft()
    try:
        future = pool.submit(work, job, shard)
    except BrokenProcessPool:
        queue.appendleft(shard)
        raise
    running[future] = shard


def run_dask(job: Job, shards: Sequence[Shard], address: str,
             work: ShardFunction) -> Iterator[Outcome]:
    """Run ``work(job, shard)`` for every shard as a task on the Dask cluster
    whose scheduler is at ``address``; yield each Outcome as it finishes.
    Raises BatchError when the scheduler cannot be reached or a worker cannot
    see the batch folder."""
    distributed = need("distributed", "--scheduler")
    import dask

    try:
        client = distributed.Client(address, set_as_default=False,
                                    timeout=dask.config.get("distributed.comm.timeouts.connect"))
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise BatchError(f"--scheduler {address}: cannot connect ({exc})") from None
    try:
        _check_folder(client, job.out)
        token = uuid.uuid4().hex[:8]
        futures = {client.submit(work, job, shard, key=f"tolltrack-shard-{shard.id}-{token}",
                                 pure=False): shard for shard in shards}
        try:
            for future in distributed.as_completed(futures, loop=client.loop):
                yield _settle(futures[future], future, died=distributed.KilledWorker)
        finally:
            client.cancel(list(futures))
    finally:
        client.close()


def _check_folder(client: object, out: str) -> None:
    """Every worker must see the batch folder at the same path (a shared filesystem)."""
    # An adaptive cluster may have no workers yet; its tasks wait for them.
    seen = client.run(os.path.isdir, out)  # type: ignore[attr-defined]
    blind = sorted(worker for worker, ok in seen.items() if not ok)
    if blind:
        raise BatchError(f"--out {out}: not found on worker {blind[0]}; the batch folder "
                         "must be on a filesystem every worker shares, at the same path")

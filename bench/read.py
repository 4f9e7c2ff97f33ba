"""Benchmark: reading a WARC of real news pages with tolltrack against trafilatura alone.

What it measures, over one record-gzipped WARC that this script builds from real,
saved HTML pages (one ``response`` record per page, HTTP/1.1 200, text/html):

* tolltrack: ``tolltrack.ingest.read_sources([warc], ReadOptions())`` iterated to
  the end: gzip members, WARC and HTTP parsing, decoding, trafilatura, the
  page-furniture cleaning, language detection and the duplicate check; pages per
  second, and how many articles and rejects (by reason) came out.
* baseline: trafilatura called directly on the same pages, read out of the same
  WARC (with warcio) and decoded to str before the clock starts, with the very
  call the reader makes::

      trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                  include_comments=False, include_tables=False,
                                  favor_precision=True,
                                  date_extraction_params={"original_date": True,
                                      "extensive_search": False, "max_date": today})

* the time ratio tolltrack / baseline, printed as the reader's overhead in per cent
  (target: under 20%), and each side's peak resident memory. The baseline holds
  every decoded page in memory; the reader streams the archive.
* a split of tolltrack's fastest run into the time spent in its trafilatura step
  (``html_fields`` in ``tolltrack.ingest.reader``, timed by wrapping it) and the
  reader's own work; both halves come from the same run, so this figure does not
  move with the host's speed the way a ratio of two runs can.

Each run of a side is a child process of its own (this script re-invoked with
``--side``), so neither side pollutes the other's peak RSS. Each child is pinned to
one CPU where the OS allows it, with OMP/OpenBLAS/MKL threads set to 1, so the
figures are single-core. A child warms up on the first three pages (loading
trafilatura, the language model and the lexicons), then times one pass over the
whole archive with ``time.perf_counter`` around the measured loop only, and reads its
peak RSS, ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, after it. The sides take
turns (``--repeat`` rounds, default 3, the order swapped every round), so a host
whose speed drifts during the run slows both alike; each side's fastest run is
kept, and the largest peak RSS. All run times and each round's ratio are printed
too, to show how steady the host was.

Where the pages come from: no page text is kept in this repository. By default the
script takes the real pages that two extraction libraries ship as test fixtures in
their source distributions on PyPI, fetched once with ``pip download`` and cached
outside the repository (``$XDG_CACHE_HOME/tolltrack-bench``, else
``~/.cache/tolltrack-bench``; ``--cache-dir`` to change):

* newspaper4k 0.9.6, ``tests/data/html/``: saved articles from CNN, TIME, WIRED,
  Fox 13, cleveland.com, Yonhap, BBC Burmese and Chinese, Nikkei, AFPBB, LSM,
  China Daily, Prachatai and others, in a dozen languages;
* trafilatura 1.1.0 (the last release whose sdist carries them), ``tests/cache/``:
  saved pages of the Guardian, Reuters, Spiegel, Zeit, Süddeutsche, FAZ, DW, Vice,
  The Verge, Salon, Nature, phys.org, heise and others, mostly English and German.

``--set news`` (the default) keeps the 58 pages that are news or magazine articles
(named in FIXTURES below); ``--set all`` takes every distinct page of both fixture
sets but two hand-made tag tests (137 pages, adding blogs, shop, institutional and
section-front pages).
``--pages DIR`` uses a folder of your own saved ``.html``/``.htm`` pages instead
(read recursively). Byte-identical pages are kept once. A page's URL in the WARC is
its absolute canonical link (``<link rel=canonical>`` or ``og:url``), else a
made-up ``http://pages.invalid/...`` one.

``--copies N`` writes each page N times. The reader drops texts it has already read,
so every copy after the first gets a unique URL and, inside the story text (before
the longest line of the text trafilatura extracts from the page, found once while
the archive is built), a unique HTML comment and sentence, so that both sides do
comparable work. The reject counts show any copy the reader still took for a
duplicate (where the page's extraction leaves the sentence out); such a copy still
costs the reader its trafilatura run.

Run from the repository root::

    .venv/bin/python bench/read.py [--set news|all | --pages DIR] [--limit N]
                                   [--copies N] [--repeat N] [--list-rejects] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html as html_lib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import peak_rss_mb, pin_to_one_core, run_side

SIDES = ("tolltrack", "baseline")
TARGET_OVERHEAD = 0.20  # the reader may take at most 20% longer than trafilatura alone
WARMUP_PAGES = 3
FALLBACK_HOST = "http://pages.invalid"


@dataclass(frozen=True)
class FixtureSet:
    """Real saved pages inside one PyPI source distribution."""

    package: str
    version: str
    folder: str  # path inside the sdist, below its top folder
    news: tuple[str, ...]  # file names of the news and magazine articles
    synthetic: tuple[str, ...] = ()  # hand-made test files, never used

    @property
    def label(self) -> str:
        return f"{self.package}-{self.version}"


FIXTURES = (
    FixtureSet(
        "newspaper4k", "0.9.6", "tests/data/html",
        news=(
            "ap_meta_refresh.html", "arabic_article.html", "article_with_br.html",
            "article_with_divs.html", "autoindustria.html", "burmese_article.html",
            "chinese_article.html", "chinese_article_001.html", "chinese_article_002.html",
            "cleveland.com1.html", "cnn_001.html", "cnn_002.html", "cnn_article.html",
            "cnn_test_nlp.html", "fox13now_001.html", "japanese_article.html",
            "japanese_article2.html", "latvian_article.html", "spanish_article.html",
            "thai_article.html", "time_001.html", "video_article_02.html", "wired_001.html",
            "yna_co_kr.html",
        ),
    ),
    FixtureSet(
        "trafilatura", "1.1.0", "tests/cache",
        news=(
            "basicthinking.de.tweets.html", "blog.mondediplo.net.turpitude.html",
            "boingboing.net.millenials.html", "cnet.de.schutz.html",
            "computerbase.de.htc.html", "correctiv.org.zusage.html", "dw.com.colonial.html",
            "dw.com.uncork.html", "faz.net.streaming.html", "franceculture.fr.idees.html",
            "futurezone.at.lyft.html", "heise.de.lithium.html", "knowtechie.com.rally.html",
            "lanouvellerepublique.fr.martin.html", "meedia.de.freenet.html",
            "mixed.de.vrodo.html", "nationalgeographic.co.uk.goats.html",
            "nature.com.telescope.html", "ndr.de.podcastcoronavirus140.html",
            "netzpolitik.org.abmahnungen.html", "phys.org.tool.html",
            "reuters.com.parasite.html", "rnz.de.witzel.html", "salon.com.emissions.html",
            "scmp.com.playbook.html", "spektrum.de.engelbart.html", "spiegel.de.albtraum.html",
            "sueddeutsche.de.flixtrain.html", "theguardian.com.academics.html",
            "theverge.com.ios13.html", "threatpost.com.android.html",
            "vancouversun.com.microsoft.html", "vice.com.amazon.html",
            "zeit.de.zugverkehr.html",
        ),
        synthetic=("exotic_tags.html", "exotic_tags_tei.html"),
    ),
)


@dataclass(frozen=True)
class Page:
    """One saved page: where it came from, the URL it is filed under, and its bytes."""

    name: str
    url: str
    body: bytes


# ---------------------------------------------------------------------- pages


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tolltrack-bench``, else ``~/.cache/tolltrack-bench``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tolltrack-bench"


def fetch_fixtures(fixture: FixtureSet, cache: Path) -> Path:
    """The folder of ``fixture``'s pages in the cache, filled from the package's sdist
    (``pip download``) the first time."""
    target = cache / fixture.label
    done = target / ".complete"
    if done.is_file():
        return target
    target.mkdir(parents=True, exist_ok=True)
    print(f"fetching {fixture.package}=={fixture.version} (sdist) into {target} ...",
          file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tolltrack-bench-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--no-binary", ":all:", "--dest", tmp, f"{fixture.package}=={fixture.version}"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        sdists = sorted(Path(tmp).glob("*.tar.gz"))
        if not sdists:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"could not download {fixture.package}=={fixture.version}; "
                             "use --pages DIR with pages of your own")
        count = 0
        with tarfile.open(sdists[0]) as tar:
            for member in tar.getmembers():
                parts = member.name.split("/", 1)
                inner = parts[1] if len(parts) == 2 else ""
                folder, _, name = inner.rpartition("/")
                if (member.isfile() and folder == fixture.folder
                        and name.lower().endswith((".html", ".htm"))):
                    source = tar.extractfile(member)
                    if source is not None:
                        (target / name).write_bytes(source.read())  # base name only
                        count += 1
    if count == 0:
        raise SystemExit(f"{fixture.package}=={fixture.version} holds no pages in "
                         f"{fixture.folder}/")
    done.write_text(f"{fixture.package}=={fixture.version} {fixture.folder}/: {count} pages\n",
                    encoding="utf-8")
    return target


_CANONICAL = (
    re.compile(rb"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>\s]+)""", re.I),
    re.compile(rb"""<link\b[^>]*\bhref=["']([^"'>\s]+)["'][^>]*\brel=["']?canonical""", re.I),
    re.compile(rb"""<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["']([^"'>\s]+)""",
               re.I),
    re.compile(rb"""<meta\b[^>]*\bcontent=["']([^"'>\s]+)["'][^>]*\bproperty=["']og:url""",
               re.I),
)


def page_url(body: bytes, fallback: str) -> str:
    """The page's absolute canonical URL (link rel=canonical, else og:url), else ``fallback``."""
    for pattern in _CANONICAL:
        found = pattern.search(body)
        if found:
            url = html_lib.unescape(found.group(1).decode("ascii", "replace"))
            if re.match(r"https?://[^/\s]+", url, re.I):
                return url
    return fallback


def _distinct(pages: Iterator[Page]) -> list[Page]:
    seen: set[bytes] = set()
    kept = []
    for page in pages:
        digest = hashlib.blake2b(page.body, digest_size=16).digest()
        if digest not in seen:
            seen.add(digest)
            kept.append(page)
    return kept


def fixture_pages(which: str, cache: Path) -> list[Page]:
    """The pages of every fixture set: its news pages, or (``all``) every real one."""

    def pages() -> Iterator[Page]:
        for fixture in FIXTURES:
            folder = fetch_fixtures(fixture, cache)
            if which == "news":
                names = list(fixture.news)
                missing = [n for n in names if not (folder / n).is_file()]
                if missing:
                    raise SystemExit(f"{folder} lacks {', '.join(missing)}; delete the folder "
                                     "to fetch it again")
            else:
                names = sorted(p.name for p in folder.iterdir()
                               if p.suffix.lower() in (".html", ".htm")
                               and p.name not in fixture.synthetic)
            for name in names:
                body = (folder / name).read_bytes()
                yield Page(f"{fixture.label}/{name}",
                           page_url(body, f"{FALLBACK_HOST}/{fixture.label}/{name}"), body)

    return _distinct(pages())


def folder_pages(folder: Path) -> list[Page]:
    """Every ``.html``/``.htm`` file below ``folder``, in path order."""

    def pages() -> Iterator[Page]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in (".html", ".htm"):
                rel = path.relative_to(folder).as_posix()
                body = path.read_bytes()
                yield Page(rel, page_url(body, f"{FALLBACK_HOST}/{rel}"), body)

    return _distinct(pages())


# ---------------------------------------------------------------------- the archive

_PARAGRAPH = re.compile(rb"<p\b[^>]*>(.*?)</p\s*>", re.I | re.S)
_TAGS = re.compile(rb"<[^>]*>")
_ANCHOR_CHARS = 24


def extract_page(html: str, url: str | None) -> str:
    """The main text trafilatura finds in ``html``, with the call the reader makes."""
    import trafilatura

    date_params = {"original_date": True, "extensive_search": False,
                   "max_date": dt.date.today().isoformat()}
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True,
                                      date_extraction_params=date_params)
    if isinstance(doc, dict):  # trafilatura before 2.0
        return str(doc.get("text") or "")
    return str(getattr(doc, "text", None) or "")


def _in_markup(body: bytes, at: int) -> bool:
    """True when byte ``at`` lies inside a tag or a script, not in a page's text."""
    return (body.rfind(b"<", 0, at) > body.rfind(b">", 0, at)
            or body.rfind(b"<script", 0, at) > body.rfind(b"</script", 0, at))


def insertion_point(page: Page) -> int:
    """Where in ``page``'s bytes a copy's unique sentence goes: at the start of the
    longest line of the text trafilatura extracts, found in the page's visible text
    (so the sentence lands in the story text, not beside it); else after the longest
    paragraph; else before ``</body>``; else at the end."""
    from trafilatura.utils import decode_file

    body = page.body
    start = max(body.lower().find(b"<body"), 0)
    lines = sorted(extract_page(decode_file(body), page.url).splitlines(), key=len, reverse=True)
    for line in lines:
        anchor = line.strip()[:_ANCHOR_CHARS]
        if len(anchor) < _ANCHOR_CHARS:
            break
        needle = anchor.encode("utf-8")
        at = body.find(needle, start)
        while at >= 0:
            if not _in_markup(body, at):
                return at
            at = body.find(needle, at + 1)
    longest = max(_PARAGRAPH.finditer(body), default=None,
                  key=lambda m: len(_TAGS.sub(b"", m.group(1)).strip()))
    if longest is not None:
        return longest.end()
    close = body.lower().rfind(b"</body")
    return close if close >= 0 else len(body)


def vary(body: bytes, at: int, copy: int, number: int) -> bytes:
    """``body`` with a unique comment and sentence inserted at byte ``at``, so copy
    ``copy`` of page ``number`` differs from every other in its markup and its text."""
    extra = (f"<!-- benchmark copy {copy} of page {number} -->"
             f"Copy {copy} of page {number} in the benchmark archive. ").encode("ascii")
    return body[:at] + extra + body[at:]


def _with_query(url: str, copy: int) -> str:
    base, hash_, fragment = url.partition("#")
    joined = f"{base}{'&' if '?' in base else '?'}copy={copy}"
    return joined + hash_ + fragment


def build_warc(pages: list[Page], copies: int, path: Path) -> dict[str, int]:
    """Write a warcinfo record and one HTTP 200 ``response`` record per page (and copy)
    into a record-gzipped WARC at ``path``; return counts and sizes."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html_bytes = records = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(
            path.name, {"software": "tolltrack bench/read.py", "format": "WARC File Format 1.0"}))
        points = [insertion_point(page) for page in pages] if copies > 1 else []
        for copy in range(copies):
            for number, page in enumerate(pages, start=1):
                body = page.body if copy == 0 else vary(page.body, points[number - 1], copy,
                                                        number)
                url = page.url if copy == 0 else _with_query(page.url, copy)
                try:
                    body.decode("utf-8")
                    ctype = "text/html; charset=utf-8"
                except UnicodeDecodeError:
                    ctype = "text/html"  # let the reader find the page's own charset
                http = StatusAndHeaders("200 OK", [("Content-Type", ctype),
                                                   ("Content-Length", str(len(body)))],
                                        protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=BytesIO(body), length=len(body),
                    http_headers=http))
                html_bytes += len(body)
                records += 1
    return {"pages": len(pages), "copies": copies, "records": records,
            "html_bytes": html_bytes, "warc_bytes": path.stat().st_size}


def warc_pages(path: Path) -> list[tuple[str, bytes]]:
    """(URL, body) of every HTTP 200 HTML response record in the WARC at ``path``."""
    from warcio.archiveiterator import ArchiveIterator

    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if record.http_headers.get_statuscode() == "200" and "html" in ctype:
                found.append((record.rec_headers.get_header("WARC-Target-URI"),
                              record.content_stream().read()))
    return found


# ---------------------------------------------------------------------- the two sides


def _best(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Seconds of the fastest of ``repeat`` calls (the host's own hiccups only ever
    slow a run down), and that call's result."""
    best: tuple[float, Any] | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        if best is None or elapsed < best[0]:
            best = (elapsed, result)
    assert best is not None
    return best


def _time_extraction_step(total: list[float]) -> None:
    """Make the reader add the seconds of each of its trafilatura calls (the
    ``html_fields`` step of ``tolltrack.ingest.reader``) to ``total[0]``, so that one
    run splits into trafilatura's time and the reader's own; a reader without that
    step is left as it is (and the split goes unreported)."""
    try:
        from tolltrack.ingest import reader
    except ImportError:
        return
    step = getattr(reader, "html_fields", None)
    if not callable(step):
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            total[0] += time.perf_counter() - start

    reader.html_fields = timed


def run_tolltrack(warc: Path, repeat: int) -> dict[str, Any]:
    """Time read_sources over the whole WARC, after a warm-up on its first pages."""
    from tolltrack.ingest import Reject, read_sources
    from tolltrack.options import ReadOptions

    options = ReadOptions()
    inside = [0.0]  # seconds spent in the reader's trafilatura step, this run
    _time_extraction_step(inside)
    warm = read_sources([str(warc)], options)
    for _, _item in zip(range(WARMUP_PAGES), warm, strict=False):
        pass
    warm.close()

    def read() -> dict[str, Any]:
        articles = 0
        rejects: Counter[str] = Counter()
        languages: Counter[str] = Counter()
        messages: list[str] = []
        inside[0] = 0.0
        for item in read_sources([str(warc)], options):
            if isinstance(item, Reject):
                rejects[item.reason] += 1
                messages.append(f"{item.reason}: {item}")
            else:
                articles += 1
                languages[item.language or "?"] += 1
        return {"articles": articles, "rejects": dict(rejects.most_common()),
                "languages": dict(languages.most_common()), "reject_messages": messages,
                "extract_seconds": inside[0] if inside[0] > 0 else None}

    elapsed, result = _best(read, repeat)
    result["seconds"] = elapsed
    return result


def run_baseline(warc: Path, repeat: int) -> dict[str, Any]:
    """Time trafilatura.bare_extraction on every page of the WARC (read and decoded
    beforehand), after a warm-up on the first pages."""
    from trafilatura.utils import decode_file

    pages = [(url, decode_file(body)) for url, body in warc_pages(warc)]

    def extract(batch: list[tuple[str, str]]) -> int:
        return sum(1 for url, html in batch if extract_page(html, url).strip())

    extract(pages[:WARMUP_PAGES])
    elapsed, texts = _best(lambda: extract(pages), repeat)
    return {"seconds": elapsed, "texts": texts}


def child(side: str, warc: Path, repeat: int) -> None:
    """Run one side in this process and print its figures as one JSON line."""
    cpu = pin_to_one_core()
    run = run_tolltrack if side == "tolltrack" else run_baseline
    result = run(warc, repeat)
    result.update(side=side, peak_rss_mb=peak_rss_mb(), cpu=cpu)
    print(json.dumps(result))


def measure(warc: Path, rounds: int) -> dict[str, dict[str, Any]]:
    """Run the sides in turn, ``rounds`` times each, swapping their order every round;
    per side, the fastest run's figures with every run's seconds and the largest
    peak RSS."""
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for number in range(rounds):
        for side in SIDES if number % 2 == 0 else SIDES[::-1]:
            runs[side].append(spawn(side, warc, 1))
    merged = {}
    for side, results in runs.items():
        best = dict(min(results, key=lambda r: r["seconds"]))
        best["all_seconds"] = [r["seconds"] for r in results]
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
        merged[side] = best
    return merged


def spawn(side: str, warc: Path, repeat: int) -> dict[str, Any]:
    """Run one side in a fresh, single-threaded process."""
    return run_side(__file__, side, ["--warc", str(warc), "--repeat", str(repeat)])


# ---------------------------------------------------------------------- report


def _mark(met: bool) -> str:
    return "met" if met else "NOT met"


def _seconds(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {key}" for key, n in counts.items()) or "none"


def report(origin: str, stats: dict[str, int], toll: dict[str, Any], base: dict[str, Any],
           as_json: bool, list_rejects: bool) -> None:
    """Print the figures as an aligned table, or as one JSON object."""
    pages = stats["records"]
    rate = {side: pages / r["seconds"] if r["seconds"] > 0 else float("inf")
            for side, r in (("tolltrack", toll), ("baseline", base))}
    ratio = toll["seconds"] / base["seconds"] if base["seconds"] > 0 else float("inf")
    overhead = ratio - 1.0
    if as_json:
        print(json.dumps({
            "pages": pages,
            "distinct_pages": stats["pages"],
            "copies": stats["copies"],
            "source": origin,
            "html_mb": round(stats["html_bytes"] / 2**20, 2),
            "warc_mb": round(stats["warc_bytes"] / 2**20, 2),
            "tolltrack": {
                "pages_per_s": round(rate["tolltrack"], 2),
                "seconds": round(toll["seconds"], 3),
                "peak_rss_mb": round(toll["peak_rss_mb"], 1),
                "articles": toll["articles"],
                "rejects": toll["rejects"],
                "languages": toll["languages"],
            },
            "trafilatura": {
                "pages_per_s": round(rate["baseline"], 2),
                "seconds": round(base["seconds"], 3),
                "peak_rss_mb": round(base["peak_rss_mb"], 1),
                "texts": base["texts"],
            },
            "time_ratio": round(ratio, 3),
            "tolltrack_split": ({"trafilatura_step_seconds": round(toll["extract_seconds"], 3),
                                 "own_seconds": round(toll["seconds"] - toll["extract_seconds"],
                                                      3)}
                                if toll.get("extract_seconds") else None),
            "runs_seconds": {"tolltrack": [round(v, 3) for v in toll["all_seconds"]],
                             "trafilatura": [round(v, 3) for v in base["all_seconds"]]},
            "overhead_pct": round(overhead * 100, 1),
        }))
        return

    pinned = toll["cpu"] is not None and base["cpu"] is not None
    times = f" ({stats['pages']} pages x {stats['copies']} copies)" if stats["copies"] > 1 else ""
    print(f"pages: {pages}{times} from {origin}")
    print(f"WARC: {stats['records']} response records, {stats['html_bytes'] / 2**20:.1f} MB of "
          f"HTML, {stats['warc_bytes'] / 2**20:.1f} MB record-gzipped")
    print(f"(each side in its own process, "
          f"{'pinned to one core' if pinned else 'NOT pinned: affinity unsupported'})")
    rejected = sum(toll["rejects"].values())
    rows = [
        ("side", "pages/s", "seconds", "peak RSS MB", "out"),
        ("tolltrack read_sources", f"{rate['tolltrack']:.1f}", f"{toll['seconds']:.2f}",
         f"{toll['peak_rss_mb']:.0f}", f"{toll['articles']} articles, {rejected} rejected"),
        ("trafilatura bare_extraction", f"{rate['baseline']:.1f}", f"{base['seconds']:.2f}",
         f"{base['peak_rss_mb']:.0f}", f"{base['texts']} texts"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in
                                             zip(row[1:-1], widths[1:-1], strict=True)]
        print("  ".join([*cells, row[-1]]))
    print(f"time ratio tolltrack/trafilatura: {ratio:.3f}x   overhead: {overhead * 100:+.1f}%")
    inner = toll.get("extract_seconds")
    if inner:
        own = toll["seconds"] - inner
        print(f"split of tolltrack's fastest run: {inner:.2f} s in its trafilatura step, "
              f"{own:.2f} s its own work = {own / inner * 100:+.1f}% over that run's own "
              "trafilatura time")
    print(f"all runs (s): tolltrack {_seconds(toll['all_seconds'])}; "
          f"trafilatura {_seconds(base['all_seconds'])}; ratio by round "
          + " ".join(f"{t / b:.2f}" for t, b in zip(toll["all_seconds"], base["all_seconds"],
                                                     strict=True)))
    print(f"rejects: {_counts(toll['rejects'])}")
    print(f"languages: {_counts(toll['languages'])}")
    if list_rejects:
        for message in toll["reject_messages"]:
            print(f"  {message}")
    print()
    print("target:")
    print(f"  reader overhead < {TARGET_OVERHEAD * 100:.0f}% over trafilatura alone: "
          f"{overhead * 100:+.1f}%  {_mark(overhead < TARGET_OVERHEAD)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--set", choices=("news", "all"), default="news",
                        help="which fixture pages: the news articles (default) or all")
    parser.add_argument("--pages", type=Path, default=None,
                        help="use the .html/.htm files below this folder instead")
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir(),
                        help=f"where fetched pages are kept (default: {default_cache_dir()})")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages")
    parser.add_argument("--copies", type=int, default=1,
                        help="write each page this many times, each copy made distinct "
                             "(default 1)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="time each side this many times, taking turns, and keep the "
                             "fastest (default 3)")
    parser.add_argument("--list-rejects", action="store_true",
                        help="print every reject the reader gave")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--warc", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    if args.side:
        if args.warc is None:
            parser.error("--side needs --warc")
        child(args.side, args.warc, repeat)
        return 0

    if args.pages is not None:
        if not args.pages.is_dir():
            print(f"no such folder: {args.pages}; nothing to benchmark")
            return 0
        pages = folder_pages(args.pages)
        origin = f"your pages in {args.pages}"
    else:
        pages = fixture_pages(args.set, args.cache_dir)
        labels = " + ".join(f.label for f in FIXTURES)
        origin = (f"the {'news article' if args.set == 'news' else 'real'} pages of the "
                  f"{labels} test fixtures (PyPI sdists; cache {args.cache_dir})")
    if args.limit is not None:
        pages = pages[:args.limit]
    if not pages:
        print("no pages; nothing to benchmark")
        return 0

    with tempfile.TemporaryDirectory(prefix="tolltrack-bench-") as tmp:
        warc = Path(tmp) / "pages.warc.gz"
        stats = build_warc(pages, max(1, args.copies), warc)
        figures = measure(warc, repeat)
    toll, base = figures["tolltrack"], figures["baseline"]
    report(origin, stats, toll, base, args.json, args.list_rejects)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

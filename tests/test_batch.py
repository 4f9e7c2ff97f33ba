"""The batch runner: shard planning, the manifest, resume, crashes, and the same
output on a local process pool and a real Dask cluster (scheduler and workers
as processes), loaded into the ledger exactly as a direct ingest stores it."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import (
    BAD,
    PAGES,
    WEEK,
    batch_rows,
    crash_on_bad,
    die_once,
    fixture_sources,
    gold_shards,
    ledger_tables,
    shard_sources,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from tolltrack.batch import BatchError, Job, Shard, batch_items, open_batch, plan, run_batch
from tolltrack.batch.manifest import read_manifest
from tolltrack.batch.shards import shard_id
from tolltrack.batch.tables import ShardWriter
from tolltrack.batch.work import Counts, fill, run_shard
from tolltrack.ingest import read_sources
from tolltrack.ingest.reader import read_stream
from tolltrack.ledger import ingest, ingest_extracted
from tolltrack.options import Options, ReadOptions

distributed = pytest.importorskip("distributed")


def run(sources: list[str], out: Path, **more: object) -> object:
    return run_batch(sources, out, ReadOptions(), Options(), **more)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures read by a local pool of two processes."""
    out = tmp_path_factory.mktemp("local") / "batch"
    report = run(fixture_sources(), out, workers=2)
    assert report.failed == ()  # type: ignore[attr-defined]
    return out


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """A real Dask cluster on this machine: a scheduler and two single-threaded
    worker processes, each watched by a nanny that restarts it if it dies."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as local:
        yield local


# --------------------------------------------------------------------------- planning


def test_a_plan_has_one_shard_per_file_in_reading_order(local_batch: Path) -> None:
    found = plan(fixture_sources())
    files = [s.source for s in found.shards]
    assert files[:2] == [str(WEEK), str(BAD)]
    assert len(files) == 7  # two JSONL files, four pages, one WARC
    assert [r.reason for r in found.rejects] == ["missing"]
    assert all(Path(s.path).is_absolute() and s.kind == "file" for s in found.shards)
    assert shard_sources(local_batch) == files


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "a/c", ".hidden", "b/.d"]),
                          st.sampled_from(["x.jsonl", "y.txt", ".z.txt", "w.warc"])),
                min_size=1, max_size=12),
       st.lists(st.sampled_from(["a", "b", "a/c", "*", "*/*.jsonl", "**/*.txt", "a/x.jsonl",
                                 "nothing/*.txt"]), min_size=1, max_size=5))
def test_every_file_the_reader_reads_is_in_exactly_one_shard(
        files: list[tuple[str, str]], sources: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder, name in files:
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / name).write_text(f"{folder}/{name}: 12 people were killed.\n")
        given_sources = [str(root / s) for s in sources]
        shards = plan(given_sources).shards
        # The files a direct read reads, in order, each once (a file reached
        # twice is read twice there, its texts then being duplicates).
        read = list(dict.fromkeys(
            item.source for item in read_sources(given_sources, ReadOptions())
            if item.source and Path(item.source).is_file()))
        assert [s.source for s in shards] == read
        assert len({s.id for s in shards}) == len(shards)
        assert all(s.id == shard_id(s.source) for s in shards)
        assert not any(Path(s.source).name.startswith(".") for s in shards)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe next to a JSONL file; a reader stuck on it is let go afterwards."""
    (tmp_path / "in").mkdir()
    shutil.copy(WEEK, tmp_path / "in" / "a.jsonl")
    path = tmp_path / "in" / "b.jsonl"
    os.mkfifo(path)
    yield path
    # A reader blocked opening the pipe is released by a writer; with none, opening fails.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def test_a_fifo_is_never_a_shard_and_a_worker_never_waits_on_one(fifo: Path,
                                                                 tmp_path: Path) -> None:
    named = plan([str(fifo)])
    assert named.shards == ()
    assert [(r.source, r.reason, r.fatal) for r in named.rejects] == [
        (str(fifo), "not_a_file", True)]
    globbed = plan([str(fifo.parent / "*.jsonl")])
    assert [Path(s.source).name for s in globbed.shards] == ["a.jsonl"]
    assert [(r.source, r.reason, r.fatal) for r in globbed.rejects] == [
        (str(fifo), "not_a_file", False)]
    # A file that became a FIFO after the plan was made.
    shard = Shard(shard_id(str(fifo)), str(fifo), str(fifo))
    done: dict[str, object] = {}
    worker = threading.Thread(target=lambda: done.setdefault("result", run_shard(
        Job(str(tmp_path / "out"), ReadOptions(), Options()), shard)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the worker is waiting on the FIFO"
    assert done["result"].fatal == (f"{fifo}: not a regular file",)  # type: ignore[attr-defined]


def test_standard_input_cannot_be_sharded() -> None:
    with pytest.raises(BatchError, match="standard input"):
        plan(["-"])


def test_fsspec_urls_are_listed_and_read_through_fsspec(tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    shutil.copy(BAD, tmp_path / "bad.jsonl")
    found = plan([f"file://{tmp_path}/*.jsonl"])
    assert [(s.kind, s.source) for s in found.shards] == [
        ("remote", f"file://{tmp_path}/bad.jsonl")]
    result = run_shard(Job(str(tmp_path / "out"), ReadOptions(), Options()), found.shards[0])
    assert (result.articles, result.rejects) == (2, {"not_english": 1, "no_text": 1})


def test_a_file_name_that_is_not_utf8_is_a_shard_like_any_other(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = folder / os.fsdecode(b"caf\xe9.jsonl")  # Latin-1 bytes, as old archives name them
    # A German article and an empty record: nothing to extract, no model to load.
    name.write_text("\n".join(BAD.read_text(encoding="utf-8").splitlines()[::2]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    report = run([str(folder)], out, workers=1)
    assert report.failed == ()  # type: ignore[attr-defined]
    assert report.rejects == {"not_english": 1, "no_text": 1}  # type: ignore[attr-defined]
    manifest = open_batch(out)
    assert [e.source for e in manifest.complete()] == [str(name)]
    assert (out / "manifest.json").read_bytes().isascii()
    shown = str(folder / "caf\ufffd.jsonl")
    assert [(getattr(i, "article", i).source) for i in batch_items(out, manifest)] == [
        shown, shown]


# --------------------------------------------------------------------------- the manifest


def test_the_manifest_records_each_shard_with_counts_and_files(local_batch: Path) -> None:
    manifest = open_batch(local_batch)
    assert manifest.missing() == []
    week = manifest.shards[shard_id(str(WEEK))]
    assert (week.status, week.articles, week.claims, week.rejects) == ("complete", 9, 24, {})
    assert sorted(week.files) == ["articles", "claims", "rejects"]
    assert all((local_batch / "shards" / f).is_file() for f in week.files.values())
    assert manifest.job["extractor_version"] == week.extractor_version


def test_a_corrupt_manifest_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": 1, "job": ')
    with pytest.raises(BatchError, match=r"manifest.json: not a tolltrack batch manifest"):
        read_manifest(tmp_path)
    with pytest.raises(BatchError, match="not a tolltrack batch manifest"):
        run([str(WEEK)], tmp_path)


def edit_week(folder: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``edit`` to week.jsonl's entry in the manifest of the batch in ``folder``."""
    manifest = json.loads((folder / "manifest.json").read_text())
    edit(next(e for e in manifest["shards"] if e["source"] == str(WEEK)))
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_a_manifest_entry_of_the_wrong_shape_is_one_line(local_batch: Path,
                                                         tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(local_batch, copy)
    edit_week(copy, lambda week: week.update(files=list(week["files"].values())))
    with pytest.raises(BatchError, match=rf"manifest.json: not a tolltrack batch manifest "
                                         rf"\(bad or missing shard '{shard_id(str(WEEK))}' "
                                         r"files\)"):
        open_batch(copy)


def rewrite_table(folder: Path, table: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Rewrite one table of week.jsonl's shard in ``folder`` with ``change``
    applied to each row, its columns' types taken from the new values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    manifest = json.loads((folder / "manifest.json").read_text())
    week = next(e for e in manifest["shards"] if e["source"] == str(WEEK))
    path = folder / "shards" / week["files"][table]
    rows = pq.read_table(path).to_pylist()
    for row in rows:
        change(row)
    pq.write_table(pa.Table.from_pylist(rows), path)


@pytest.mark.parametrize(("table", "change", "why"), [
    ("claims", lambda row: row.update(article_seq=row["article_seq"] + 1000),
     "a claim of article seq 100[0-9], which the shard's articles do not hold"),
    ("articles", lambda row: row.update(seq=str(row["seq"])), "not supported between"),
])
def test_a_shard_file_of_the_wrong_shape_is_one_line(
        local_batch: Path, tmp_path: Path, table: str, change: Callable[[dict[str, Any]], None],
        why: str) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(local_batch, copy)
    rewrite_table(copy, table, change)
    with pytest.raises(BatchError, match=rf"shard {shard_id(str(WEEK))} \({WEEK}\) cannot be "
                                         rf"read \(.*{why}"):
        list(batch_items(copy, open_batch(copy)))


def test_a_folder_holding_another_job_is_refused(local_batch: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(local_batch, copy)
    with pytest.raises(BatchError, match="holds a batch with other sources"):
        run([str(WEEK)], copy, workers=1)
    with pytest.raises(BatchError, match=r"other read_options\.date"):
        run_batch(fixture_sources(), copy, ReadOptions(date=dt.date(2024, 1, 1)), Options(),
                  workers=1)


# --------------------------------------------------------------------------- resume


def test_a_rerun_skips_complete_shards_and_redoes_a_half_written_one(
        local_batch: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(local_batch, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    week = next(e for e in manifest["shards"] if e["source"] == str(WEEK))
    # As a worker killed while writing leaves it: files in place, some half
    # written, and the manifest not saying "complete".
    week["status"] = "pending"
    shard_dir = copy / "shards" / week["id"]
    (shard_dir / week["files"]["claims"].split("/")[1]).write_bytes(b"PAR1 half")
    (shard_dir / ".0123456789ab.articles.parquet.tmp").write_bytes(b"PAR1")
    # As a crash of the machine may leave it: recorded complete, a file cut short.
    bad = next(e for e in manifest["shards"] if e["source"] == str(BAD))
    cut = copy / "shards" / bad["files"]["articles"]
    cut.write_bytes(cut.read_bytes()[:100])
    (copy / "manifest.json").write_text(json.dumps(manifest))

    report = run(fixture_sources(), copy, workers=1)
    assert (report.shards, report.done_before, report.ran) == (7, 5, 2)  # type: ignore
    assert batch_rows(copy) == batch_rows(local_batch)
    assert len(list(shard_dir.iterdir())) == 3  # the new shard's files, nothing else
    assert not cut.exists()

    again = run(fixture_sources(), copy, workers=1)
    assert (again.done_before, again.ran) == (7, 0)  # type: ignore[attr-defined]


def test_a_shard_is_on_disk_before_it_is_recorded(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # What reaches the disk cannot be seen from a running system, so the calls
    # are: every file, then the folder holding them, before close returns.
    synced: list[str] = []
    fsync = os.fsync

    def watched(fd: int) -> None:
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", watched)
    folder = tmp_path / "0123456789abcdef"
    folder.mkdir()
    files = ShardWriter(folder, "0123456789ab").close()
    assert synced == [".0123456789ab.articles.parquet.tmp", ".0123456789ab.claims.parquet.tmp",
                      ".0123456789ab.rejects.parquet.tmp", folder.name]
    assert sorted(files.values()) == [f"{folder.name}/0123456789ab.{t}.parquet"
                                      for t in ("articles", "claims", "rejects")]


def test_a_shard_that_kills_its_worker_every_time_is_reported(tmp_path: Path) -> None:
    # Alone, so that no other shard's model loading slows the test down.
    report = run([str(BAD)], tmp_path / "out", workers=2, work=crash_on_bad)
    assert [(source, "died" in why) for _, source, why in report.failed] == [  # type: ignore
        (str(BAD), True)]
    manifest = open_batch(tmp_path / "out")
    assert manifest.shards[shard_id(str(BAD))].status == "failed"
    assert manifest.missing() == [shard_id(str(BAD))]


def test_a_folder_with_other_files_and_no_manifest_is_refused_untouched(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "shards" / "2024").mkdir(parents=True)
    (project / "shards" / "2024" / "jan.jsonl").write_text("{}\n")
    with pytest.raises(BatchError, match=r"--out .*/project: not empty and not a tolltrack "
                                         r"batch folder \(it holds shards\)"):
        run([str(WEEK)], project, workers=1)
    assert (project / "shards" / "2024" / "jan.jsonl").read_text() == "{}\n"
    assert not (project / "manifest.json").exists()


def test_a_rerun_removes_only_files_named_as_a_worker_names_them(
        local_batch: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(local_batch, copy)
    shard_dir = copy / "shards" / shard_id(str(WEEK))
    own = [shard_dir / "0123456789ab.claims.parquet",
           shard_dir / ".0123456789ab.rejects.parquet.tmp"]
    theirs = [copy / "shards" / "2024" / "jan.jsonl", shard_dir / "notes.txt",
              shard_dir / "claims.parquet"]
    for path in own + theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PAR1")
    again = run(fixture_sources(), copy, workers=1)
    assert (again.done_before, again.ran) == (7, 0)  # type: ignore[attr-defined]
    assert [p.exists() for p in own + theirs] == [False, False, True, True, True]


def test_a_shard_met_by_a_broken_pool_runs_on_the_next_pool(tmp_path: Path) -> None:
    # The first shard finishes; while the driver is busy with it, the worker
    # running the second dies, so the third is handed to a broken pool.
    sources = []
    for name in ("a-quick.txt", "die.txt", "z-after.txt"):
        (tmp_path / name).write_text("Two people were killed.\n")
        sources.append(str(tmp_path / name))

    def slow_first(report: object) -> None:
        if report.ran == 1:  # type: ignore[attr-defined]
            time.sleep(1.5)

    report = run(sources, tmp_path / "out", workers=2, work=die_once, on_shard=slow_first)
    assert (report.ran, report.failed) == (3, ())  # type: ignore[attr-defined]
    manifest = read_manifest(tmp_path / "out")
    assert manifest is not None and manifest.missing() == []


@pytest.fixture
def page_server(tmp_path: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """The URL of a news page on a local port where nothing listens yet, and
    a function that starts serving the page there."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(PAGES / "kharkiv_strike.html", site / "article.html")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    closed = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = closed.server_address[1]
    closed.server_close()
    servers: list[ThreadingHTTPServer] = []

    def start() -> None:
        servers.append(ThreadingHTTPServer(("127.0.0.1", port), handler))
        threading.Thread(target=servers[0].serve_forever, daemon=True).start()

    yield f"http://127.0.0.1:{port}/article.html", start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_source_that_cannot_be_fetched_fails_and_is_retried_and_fatal_rejects_repeat(
        page_server: tuple[str, Callable[[], None]], tmp_path: Path) -> None:
    url, start = page_server
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path / "out"
    first = run([url, str(image)], out, workers=1)
    assert [(source, "network error" in why) for _, source, why in first.failed] == [  # type: ignore
        (url, True)]
    assert first.fatal == (f"{image}: a PNG image, not text",)  # type: ignore[attr-defined]
    assert read_manifest(out).shards[shard_id(url)].status == "failed"  # type: ignore[union-attr]

    start()
    again = run([url, str(image)], out, workers=1)
    assert (again.done_before, again.ran, again.failed) == (1, 1, ())  # type: ignore
    assert again.articles == 1  # type: ignore[attr-defined]
    # The binary file's shard is not read again, but its error is told again.
    assert again.fatal == first.fatal  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- memory


def test_articles_in_other_languages_and_rejects_are_written_as_they_are_read(
        tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    lines = [WEEK.read_text(encoding="utf-8").splitlines()[0]]  # one English article first
    for i in range(300):
        lines.append(json.dumps({"id": f"de{i}", "text": (
            f"Bei einem Angriff auf die Stadt sind am Montag {i} Menschen getötet worden, "
            "teilten die Behörden am Abend mit. Die Feuerwehr war bis in die Nacht im Einsatz.")}))
        lines.append(json.dumps({"id": f"empty{i}", "text": ""}))
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "shard").mkdir()
    writer = ShardWriter(tmp_path / "shard", "0123456789ab", group_rows=16)
    counts = Counts()
    # For each item read: how many items read before it are not yet handed to
    # the writer, and how many rows the writer holds unwritten.
    behind: list[tuple[int, int]] = []

    def watched(items: Iterator[object]) -> Iterator[object]:
        for n, item in enumerate(items):
            behind.append((n - writer.counts["articles"] - writer.counts["rejects"],
                           writer.queued))
            yield item

    with source.open("rb") as raw:
        fill(writer, watched(read_stream(str(source), raw, ReadOptions())),  # type: ignore
             Options(), counts, named=True, held=32)
    files = writer.close()
    assert max(held for held, _ in behind) <= 32
    assert max(queued for _, queued in behind) < 16
    assert (counts.articles, counts.rejects) == (1, {"not_english": 300, "no_text": 300})
    articles = pq.read_table(tmp_path / files["articles"]).column("seq").to_pylist()
    assert articles == [0, *range(1, 601, 2)]  # in reading order


# --------------------------------------------------------------------------- into the ledger


def test_ingest_from_batch_stores_what_a_direct_ingest_stores(
        local_batch: Path, ledger_url: str) -> None:
    from ledger_helpers import reset

    from tolltrack.store import open_ledger

    sources = fixture_sources()
    ledger = open_ledger(ledger_url, create=True)
    direct = ingest(ledger, sources, ReadOptions(), Options(), batch_size=4)
    ledger.close()
    expected = ledger_tables(ledger_url)
    reset(ledger_url)

    ledger = open_ledger(ledger_url, create=True)
    manifest = open_batch(local_batch)
    loaded = ingest_extracted(ledger, batch_items(local_batch, manifest),
                              manifest.job["sources"], Options(), batch_size=4)
    again = ingest_extracted(ledger, batch_items(local_batch, manifest),
                             manifest.job["sources"], Options(), batch_size=4)
    ledger.close()
    assert (loaded.stored, loaded.claims, loaded.rejects) == (
        direct.stored, direct.claims, direct.rejects)
    assert (again.stored, again.skipped) == (0, direct.stored)
    reset(ledger_url)
    ledger = open_ledger(ledger_url, create=True)
    ingest_extracted(ledger, batch_items(local_batch, manifest), manifest.job["sources"],
                     Options(), batch_size=4)
    ledger.close()
    assert ledger_tables(ledger_url) == expected


def test_a_text_met_again_in_a_later_shard_is_a_duplicate(local_batch: Path,
                                                          tmp_path: Path) -> None:
    shutil.copy(WEEK, tmp_path / "again.jsonl")
    out = tmp_path / "out"
    run([str(WEEK), str(tmp_path / "again.jsonl")], out, workers=1)
    items = list(batch_items(out, open_batch(out)))
    reasons = [getattr(i, "reason", "article") for i in items]
    assert reasons == ["article"] * 9 + ["duplicate"] * 9


# --------------------------------------------------------------------------- Dask


def test_a_dask_cluster_writes_what_the_local_pool_writes(
        local_batch: Path, cluster: object, tmp_path: Path) -> None:
    out = tmp_path / "dask"
    report = run(fixture_sources(), out, scheduler=cluster.scheduler_address)  # type: ignore
    assert report.failed == ()  # type: ignore[attr-defined]
    assert batch_rows(out) == batch_rows(local_batch)
    assert (report.articles, report.claims) == (21, 43)  # type: ignore[attr-defined]


def test_killing_a_worker_mid_run_still_writes_every_shard_once(
        cluster: object, tmp_path: Path) -> None:
    sources = gold_shards(tmp_path / "in", shards=6, per_shard=8)
    if not sources:
        pytest.skip("no gold articles to make shards of")
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)  # type: ignore
    try:
        pids = client.run(os.getpid)
        done: dict[str, object] = {}
        out = tmp_path / "out"
        runner = threading.Thread(target=lambda: done.setdefault(
            "report", run(sources, out, scheduler=cluster.scheduler_address)))  # type: ignore
        runner.start()
        victim = None
        deadline = time.monotonic() + 30
        while victim is None and time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items()
                    if any("tolltrack-shard" in str(k) for k in keys)]
            victim = busy[0] if busy else None
            time.sleep(0.05)
        assert victim is not None, "no shard ever ran"
        time.sleep(0.5)  # into the shard's work: the model is loading or parsing
        os.kill(pids[victim], signal.SIGKILL)
        runner.join(timeout=120)
        assert not runner.is_alive()
    finally:
        client.close()
    report = done["report"]
    assert report.failed == () and report.ran == 6  # type: ignore[attr-defined]
    rows = batch_rows(out)["articles"]
    ids = [json.loads(r[2]) for r in rows]
    assert sorted(ids) == sorted(f"g{i}" for i in range(48))  # each article exactly once
    assert len(shard_sources(out)) == 6
    # The killed attempt left nothing behind: the shard files are the manifest's.
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {name for entry in manifest["shards"] for name in entry["files"].values()}
    on_disk = {f"{folder.name}/{path.name}" for folder in (out / "shards").iterdir()
               for path in folder.iterdir()}
    assert on_disk == listed and len(listed) == 18

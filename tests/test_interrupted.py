"""A run killed mid-way (kill -9) or stopped by a full disk keeps whole batches
only, and running it again gives exactly what one uninterrupted run gives."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import DBAPIError

from tolltrack.ledger import ingest
from tolltrack.options import Options, ReadOptions
from tolltrack.store import open_ledger
from tolltrack.store.connection import ledger_url as make_url
from tolltrack.store.schema import (
    article_bands,
    articles,
    claims,
    clusters,
    mentions,
    rejects,
    runs,
)

WEEK = Path(__file__).resolve().parent / "data" / "ledger" / "week.jsonl"


def many_articles(path: Path, copies: int = 4) -> int:
    """Write the week corpus ``copies`` times over, each copy's articles with their
    own ids and a closing line of their own (so each text is new, and the copies
    are wire copies of the first). Returns the number of articles."""
    records = [json.loads(line) for line in WEEK.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for r in records:
                out.write(json.dumps({**r, "id": f"{r['id']}-{n}", "language": "en",
                                      "text": r["text"] + f"\n\nEdition {n}."}) + "\n")
    return copies * len(records)


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a ledger holds but its run log, in a comparable order."""
    engine = create_engine(make_url(url))
    # Run ids and serial row ids differ between runs; nothing else may.
    leave_out = {"articles": {"run_id"}, "mentions": {"id"}, "rejects": {"id", "run_id"}}
    out = {}
    with engine.connect() as conn:
        for table in (articles, article_bands, claims, mentions, clusters, rejects):
            cols = [c for c in table.c if c.name not in leave_out.get(table.name, ())]
            rows = conn.execute(select(*cols)).all()
            out[table.name] = sorted(tuple(r) for r in rows)
    engine.dispose()
    return out


def stored_articles(url: str) -> int:
    """How many articles the ledger holds (0 while it has no tables yet)."""
    target = make_url(url)
    if target.get_backend_name() == "sqlite" and not Path(target.database or "").exists():
        return 0
    engine = create_engine(target)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()
    except DBAPIError:  # the schema is not there yet
        return 0
    finally:
        engine.dispose()


def _default_sigint() -> None:
    # A shell starts background jobs with SIGINT ignored, and Python keeps an
    # ignored SIGINT ignored: give the child the default, as a terminal would.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def tolltrack(*args: str | Path, **kwargs: Any) -> subprocess.Popen[str]:
    """``python -m tolltrack ARGS`` as a child process with pipes, Ctrl-C enabled
    (and the caller's own ``preexec_fn`` run after that)."""
    then = kwargs.pop("preexec_fn", None)

    def prepare() -> None:
        _default_sigint()
        if then is not None:
            then()

    return subprocess.Popen([sys.executable, "-m", "tolltrack", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=prepare, **kwargs)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("interrupted") / "articles.jsonl"
    return path, many_articles(path)


@pytest.fixture(scope="module")
def uninterrupted(source: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory
                  ) -> dict[str, list[tuple[Any, ...]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('whole') / 'whole.db'}"
    ledger = open_ledger(url, create=True)
    ingest(ledger, [str(source[0])], ReadOptions(), Options(), batch_size=3)
    ledger.close()
    return snapshot(url)


def stop_after_first_batch(url: str, path: Path, batch: int, sig: int) -> tuple[int, str]:
    """Start an ingest, send it ``sig`` once its first batch is committed; return
    its exit code and stderr."""
    proc = tolltrack("ingest", path, "--db", url, "--batch-size", batch)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if stored_articles(url) >= batch:
                break
            time.sleep(0.01)
    finally:
        proc.send_signal(sig)
        _, err = proc.communicate()
    return proc.returncode, err


def test_kill_9_mid_run_then_rerun_equals_one_whole_run(
        ledger_url: str, source: tuple[Path, int], uninterrupted: dict) -> None:
    path, total = source
    batch = 3
    code, _ = stop_after_first_batch(ledger_url, path, batch, signal.SIGKILL)
    assert code == -signal.SIGKILL, "the run ended before it could be killed"
    after_kill = stored_articles(ledger_url)
    assert 0 < after_kill < total
    assert after_kill % batch == 0, "a batch was stored in part"

    rerun = tolltrack("ingest", path, "--db", ledger_url, "--batch-size", batch)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"{total - after_kill} articles stored, {after_kill} already stored" in err
    assert snapshot(ledger_url) == uninterrupted

    engine = create_engine(make_url(ledger_url))
    with engine.connect() as conn:
        log = conn.execute(select(runs.c.status, runs.c.articles).order_by(runs.c.id)).all()
    engine.dispose()
    assert log == [("running", after_kill), ("finished", total - after_kill)]


def test_ctrl_c_says_what_is_stored_and_marks_the_run(
        tmp_path: Path, source: tuple[Path, int], uninterrupted: dict) -> None:
    path, total = source
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    code, err = stop_after_first_batch(url, path, 3, signal.SIGINT)
    assert code == 130, err
    (line,) = err.strip().splitlines()
    assert line == (f"tolltrack: interrupted; the batches committed so far are stored in "
                    f"{url}; run the command again to finish")
    kept = stored_articles(url)
    assert 0 < kept < total and kept % 3 == 0
    engine = create_engine(make_url(url))
    with engine.connect() as conn:
        assert conn.execute(select(runs.c.status)).scalars().all() == ["interrupted"]
    engine.dispose()
    rerun = tolltrack("ingest", path, "--db", url, "--batch-size", 3)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert snapshot(url) == uninterrupted


def _file_size_limit(limit: int) -> Any:
    def apply() -> None:
        # Writes past the limit fail with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_write_that_fails_for_lack_of_space_keeps_whole_batches(
        tmp_path: Path, source: tuple[Path, int], uninterrupted: dict) -> None:
    path, total = source
    db = tmp_path / "ledger.db"
    # The records say their language, so nothing but the ledger writes to disk.
    proc = tolltrack("ingest", path, "--db", db, "--batch-size", 3,
                     preexec_fn=_file_size_limit(400_000))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2
    (line,) = err.strip().splitlines()
    assert line.startswith(f"tolltrack: error: sqlite:///{db}: ")
    assert line.endswith("every batch before this one is stored, run the command again "
                         "to finish")
    kept = stored_articles(f"sqlite:///{db}")
    assert 0 < kept < total and kept % 3 == 0

    rerun = tolltrack("ingest", path, "--db", db, "--batch-size", 3)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert snapshot(f"sqlite:///{db}") == uninterrupted


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_a_full_disk_is_named(tmp_path: Path, source: tuple[Path, int]) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        proc = tolltrack("ingest", source[0], "--db", mount / "ledger.db", "--batch-size", 3)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 2
        (line,) = err.strip().splitlines()
        assert ": the disk is full; every batch before this one is stored" in line
        kept = stored_articles(f"sqlite:///{mount / 'ledger.db'}")
        assert 0 < kept < source[1] and kept % 3 == 0
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_batch_that_fails_half_way_leaves_nothing_of_itself(
        ledger_url: str, source: tuple[Path, int], uninterrupted: dict,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch fails after its articles, claims and mentions are written and
    before its clusters are: none of it may stay."""
    from sqlalchemy.exc import OperationalError

    from tolltrack.store import LedgerError, writer

    recluster = writer.recluster
    calls = []

    def fail_second(conn: Any, touched: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("UPDATE clusters …", {}, Exception("disk I/O error"))
        recluster(conn, touched)

    monkeypatch.setattr(writer, "recluster", fail_second)
    ledger = open_ledger(ledger_url, create=True)
    with pytest.raises(LedgerError, match="disk I/O error; every batch before this one"):
        ingest(ledger, [str(source[0])], ReadOptions(), Options(), batch_size=3)
    assert stored_articles(ledger_url) == 3
    monkeypatch.setattr(writer, "recluster", recluster)
    ingest(ledger, [str(source[0])], ReadOptions(), Options(), batch_size=3)
    ledger.close()
    assert snapshot(ledger_url) == uninterrupted

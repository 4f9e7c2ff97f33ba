"""`tolltrack batch` and `ingest --from-batch` through the CLI runner: summaries,
exit codes, resume, the ledger after loading, and one-line errors."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from batch_helpers import WEEK, fixture_sources
from test_cli_ledger import error_line, tt

from tolltrack.extract import EXTRACTOR_VERSION

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "batch"
    result = tt("batch", *fixture_sources(), "--out", out, "--workers", "2", code=2)
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("tolltrack: error: ") and lines[0].endswith(
        "absent.jsonl: no such file or folder")
    assert lines[-1] == ("tolltrack: 7 shards, 21 articles, 43 claims, 6 rejected: 1 missing, "
                         "1 not english, 1 no text, 1 not html, 1 http status, 1 broken record")
    return out


def test_a_rerun_skips_every_complete_shard(batch_dir: Path) -> None:
    again = tt("batch", *fixture_sources(), "--out", batch_dir, code=2)
    assert again.stderr.strip().splitlines()[-1].startswith(
        "tolltrack: 7 shards (7 done before), 21 articles")


def test_ingest_from_batch_stores_the_batch_once(batch_dir: Path, ledger_url: str,
                                                 tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    first = tt("ingest", "--from-batch", batch_dir, "--db", ledger_url, "--rejects", rejects,
               code=2)  # the missing source is an error, as in a direct ingest
    assert first.stderr.strip().splitlines()[-1] == (
        "tolltrack: 20 articles stored, 0 already stored, 41 claims, 7 rejected: 1 missing, "
        "1 not english, 1 id taken, 1 no text, 1 not html, 1 http status, 1 broken record")
    assert len(rejects.read_text().splitlines()) == 7
    again = tt("ingest", "--from-batch", batch_dir, "--db", ledger_url, code=2)
    assert again.stderr.strip().splitlines()[-1].startswith(
        "tolltrack: 0 articles stored, 20 already stored, 0 claims")
    stats = json.loads(tt("stats", "--db", ledger_url, "--format", "jsonl").stdout)
    assert (stats["articles"], stats["claims"]) == (20, 41)


def test_an_incomplete_batch_is_stored_with_a_warning(batch_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(batch_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    week = next(e for e in manifest["shards"] if e["source"] == str(WEEK))
    week["status"] = "failed"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = tt("ingest", "--from-batch", copy, "--db", tmp_path / "l.db", code=2)
    warning = result.stderr.splitlines()[0]
    assert warning == (f"tolltrack: warning: {copy}: 1 of 7 shards are not complete and are "
                       f"not stored: {WEEK}; run tolltrack batch again to finish them")
    # Without week.jsonl, bad.jsonl's wk-02 no longer clashes: 12 articles.
    assert "12 articles stored" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(("args", "named"), [
    (["-", "--out", "{tmp}/out"], "batch cannot read standard input"),
    ([str(WEEK), "--out", "{tmp}/file.txt/out"], "/file.txt/out: Not a directory"),
    ([str(WEEK), "--out", "{tmp}/corrupt"], "manifest.json: not a tolltrack batch manifest"),
    ([str(WEEK), "--out", "s3://bucket/out"], "--out s3:/bucket/out: a URL; the batch folder "
                                              "must be a filesystem path"),
    ([str(WEEK), "--out", "{tmp}/project"], "/project: not empty and not a tolltrack batch "
                                            "folder (it holds shards); use a new or empty folder"),
    ([str(WEEK), "--out", "{tmp}/out", "--workers", "2", "--scheduler", "tcp://x:1"],
     "--workers is for the local pool"),
    ([str(WEEK), "--out", "{tmp}/out", "--scheduler", "tcp://127.0.0.1:1"],
     "--scheduler tcp://127.0.0.1:1: cannot connect (Timed out"),
])
def test_batch_errors_are_one_line(args: list[str], named: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import dask

    monkeypatch.chdir(tmp_path)  # where a URL taken as a path would land
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "corrupt").mkdir()
    (tmp_path / "corrupt" / "manifest.json").write_text("[1, 2")
    (tmp_path / "project" / "shards" / "2024").mkdir(parents=True)
    (tmp_path / "project" / "shards" / "2024" / "jan.jsonl").write_text("{}\n")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = tt("batch", *[a.format(tmp=tmp_path) for a in args], code=2)
    assert named in error_line(result)
    assert not (tmp_path / "s3:").exists()


def test_batch_without_pyarrow_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = tt("batch", WEEK, "--out", tmp_path / "out", code=2)
    assert error_line(result) == ("tolltrack: error: tolltrack batch (Parquet output) needs "
                                  "pyarrow: pip install 'tolltrack[parquet]'")


def test_a_manifest_of_the_wrong_shape_is_one_line(batch_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(batch_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["shards"][0]["files"] = list(manifest["shards"][0]["files"].values())
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = tt("ingest", "--from-batch", copy, "--db", tmp_path / "l.db", code=2)
    assert error_line(result) == (
        f"tolltrack: error: {copy / 'manifest.json'}: not a tolltrack batch manifest (bad or "
        f"missing shard '{manifest['shards'][0]['id']}' files)")


def test_a_batch_from_another_extractor_version_is_refused(batch_dir: Path,
                                                           tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(batch_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["job"]["extractor_version"] = "0.1"
    for entry in manifest["shards"]:
        entry["extractor_version"] = "0.1"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = tt("ingest", "--from-batch", copy, "--db", tmp_path / "l.db", code=2)
    assert error_line(result) == (
        f"tolltrack: error: --from-batch {copy}: extracted by extractor 0.1, this tolltrack "
        f"runs {EXTRACTOR_VERSION}; run tolltrack batch again into a new folder, or load it "
        "with the tolltrack that wrote it")
    assert not (tmp_path / "l.db").exists()


@pytest.mark.parametrize(("args", "named"), [
    (["--from-batch", "{tmp}/nothing"], "--from-batch {tmp}/nothing: no such folder"),
    (["--from-batch", "{tmp}", "--model", "en_core_web_md"],
     "--from-batch takes no --model: the batch was extracted with its own"),
    (["--from-batch", "{tmp}"], "no manifest.json; not a tolltrack batch folder"),
    (["--from-batch", "{tmp}", str(WEEK)], "--from-batch takes no sources"),
])
def test_from_batch_errors_are_one_line(args: list[str], named: str, tmp_path: Path) -> None:
    result = tt("ingest", *[a.format(tmp=tmp_path) for a in args], "--db", tmp_path / "l.db",
                code=2)
    assert named.format(tmp=tmp_path) in error_line(result)

"""Two ingests writing one ledger at the same time, over overlapping sources, end
with the ledger one ingest of everything gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ledger_helpers import assert_clusters_consistent
from test_interrupted import many_articles, snapshot

from tolltrack.ledger import ingest
from tolltrack.options import Options, ReadOptions
from tolltrack.store import open_ledger


def test_overlapping_ingests_at_once(ledger_url: str, tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    total = many_articles(path, copies=2)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # The halves overlap in the middle third.
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[: total * 2 // 3]), encoding="utf-8")
    second.write_text("".join(lines[total // 3:]), encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "tolltrack", "ingest", str(p), "--db",
                               ledger_url, "--batch-size", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in (first, second)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs

    whole = f"sqlite:///{tmp_path / 'whole.db'}"
    one = open_ledger(whole, create=True)
    ingest(one, [str(path)], ReadOptions(), Options())
    one.close()
    both, alone = snapshot(ledger_url), snapshot(whole)
    # Which process stored a reprint first decides which copy counts as the
    # original; claims, mentions and clusters may not differ at all.
    for table in ("claims", "mentions", "clusters", "rejects"):
        assert both[table] == alone[table], table
    assert [r[0] for r in both["articles"]] == [r[0] for r in alone["articles"]]
    ledger = open_ledger(ledger_url)
    assert_clusters_consistent(ledger)
    ledger.close()

"""The answer cache over a real ledger: kept until a write, bounded in size."""

from __future__ import annotations

from pathlib import Path

from tolltrack.store import open_ledger
from tolltrack.store.reviews import review_claim
from tolltrack.web.cache import AnswerCache


def test_answers_are_kept_until_the_ledger_changes(ledger_file: Path) -> None:
    ledger = open_ledger(str(ledger_file))
    cache = AnswerCache(ledger)
    calls: list[int] = []

    def compute() -> bytes:
        calls.append(1)
        return b"answer"

    assert cache.get("k", compute) == cache.get("k", compute) == b"answer"
    assert len(calls) == 1
    review_claim(ledger, "wk-01-1", "confirmed")
    cache.get("k", compute)
    assert len(calls) == 2
    ledger.close()


def test_the_cache_stays_within_its_byte_budget(ledger_file: Path) -> None:
    ledger = open_ledger(str(ledger_file))
    cache = AnswerCache(ledger, size=100, max_bytes=8000)
    for n in range(20):
        cache.get(n, lambda: b"x" * 900)
    assert cache._bytes <= 8000 and len(cache._answers) == 8
    cache.get("big", lambda: b"x" * 2500)  # over a quarter of the budget: not kept
    assert "big" not in cache._answers
    ledger.close()

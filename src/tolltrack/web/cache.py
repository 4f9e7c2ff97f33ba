"""Answers kept until the ledger changes.

The ledger's generation moves on with every committed write (an ingest
batch, a review), so an answer computed at one generation is right for as
long as the generation stays; checking it costs one primary-key read. The
answers kept are bounded by count and by an estimate of their size, so that
varied large pages cannot fill the memory.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from tolltrack.store import generation
from tolltrack.store.connection import Ledger

MAX_BYTES = 64 * 1024 * 1024


def _size(answer: Any) -> int:
    """About how many bytes an answer holds: its length when it is bytes, else
    the length of its JSON."""
    if isinstance(answer, bytes | str):
        return len(answer)
    return len(json.dumps(answer, default=str))


class AnswerCache:
    """The latest answers, keyed by request (at most ``size`` of them and about
    ``max_bytes`` in all), dropped whenever the ledger's generation moves on.
    ``size`` 0 keeps nothing."""

    def __init__(self, ledger: Ledger, size: int = 2048, max_bytes: int = MAX_BYTES) -> None:
        self.ledger = ledger
        self.size = size
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._answers: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._generation: int | None = None

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The answer for ``key``: the kept one if the ledger has not changed
        since it was computed, else ``compute()``'s, kept for next time."""
        if not self.size:
            return compute()
        with self.ledger.engine.connect() as conn:
            now = generation.current(conn)
        with self._lock:
            if now != self._generation:
                self._answers.clear()
                self._bytes = 0
                self._generation = now
            elif key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key][0]
        answer = compute()
        weight = _size(answer)
        if weight > self.max_bytes // 8:
            return answer  # one answer may not crowd out the rest
        with self._lock:
            if self._generation == now and key not in self._answers:
                self._answers[key] = (answer, weight)
                self._bytes += weight
                while len(self._answers) > self.size or self._bytes > self.max_bytes:
                    _, (_, dropped) = self._answers.popitem(last=False)
                    self._bytes -= dropped
        return answer

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

MAX_BYTES = 256 * 1024 * 1024


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

    def generation(self) -> int:
        """The ledger's generation now (one primary-key read)."""
        with self.ledger.engine.connect() as conn:
            return generation.current(conn)

    def peek(self, key: Any) -> Any | None:
        """The kept answer for ``key`` if the ledger has not changed since it
        was computed, else None (and everything kept is dropped)."""
        now = self.generation()
        with self._lock:
            if now != self._generation:
                self._answers.clear()
                self._bytes = 0
                self._generation = now
                return None
            if key not in self._answers:
                return None
            self._answers.move_to_end(key)
            return self._answers[key][0]

    def put(self, key: Any, answer: Any, generation: int, weight: int | None = None) -> None:
        """Keep ``answer``, computed at ``generation``, unless the ledger has
        moved on since or the answer is over a quarter of the byte budget."""
        weight = _size(answer) if weight is None else weight
        if weight > self.max_bytes // 4:
            return
        with self._lock:
            if self._generation != generation or key in self._answers:
                return
            self._answers[key] = (answer, weight)
            self._bytes += weight
            while len(self._answers) > self.size or self._bytes > self.max_bytes:
                _, (_, dropped) = self._answers.popitem(last=False)
                self._bytes -= dropped

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The answer for ``key``: the kept one if the ledger has not changed
        since it was computed, else ``compute()``'s, kept for next time."""
        if not self.size:
            return compute()
        kept = self.peek(key)
        if kept is not None:
            return kept
        now = self._generation
        answer = compute()
        if now is not None:
            self.put(key, answer, now)
        return answer

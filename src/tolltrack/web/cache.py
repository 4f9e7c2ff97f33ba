"""Answers kept until the ledger changes.

The ledger's generation moves on with every committed write (an ingest
batch, a review), so an answer computed at one generation is right for as
long as the generation stays; checking it costs one primary-key read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from tolltrack.store import generation
from tolltrack.store.connection import Ledger


class AnswerCache:
    """The latest ``size`` answers, keyed by request, dropped whenever the
    ledger's generation moves on. ``size`` 0 keeps nothing."""

    def __init__(self, ledger: Ledger, size: int = 2048) -> None:
        self.ledger = ledger
        self.size = size
        self._lock = threading.Lock()
        self._answers: OrderedDict[Any, Any] = OrderedDict()
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
                self._generation = now
            elif key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()
        with self._lock:
            if self._generation == now:
                self._answers[key] = answer
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return answer

"""Inputs that yield no article: a coded reason each, and a tally for the summary line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reject:
    """An input that gave no article: where it was, a reason code, and a message.

    ``line`` is the line (JSONL, CSV) or None; ``fatal`` marks a source named on
    the command line that could not be read at all (missing, binary, too large).
    """

    source: str
    reason: str
    message: str
    line: int | None = None
    fatal: bool = False

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """This reject as a JSON-ready dict (source, line, reason, message)."""
        return {"source": self.source, "line": self.line, "reason": self.reason,
                "message": self.message}


@dataclass
class Tally:
    """Counts of articles read and of rejects by reason, for the closing summary line."""

    articles: int = 0
    rejects: Counter[str] = field(default_factory=Counter)

    def add(self, item: object) -> None:
        """Count one Article or Reject."""
        if isinstance(item, Reject):
            self.rejects[item.reason] += 1
        else:
            self.articles += 1

    def summary(self) -> str:
        """One line: "12 articles, 3 rejected: 2 binary, 1 empty" (most common first)."""
        return (f"{self.articles} article{'' if self.articles == 1 else 's'}, "
                f"{rejected(self.rejects)}")


def rejected(counts: dict[str, int]) -> str:
    """Rejects by reason for a summary line: "3 rejected: 2 binary, 1 empty"
    (most common first), or "0 rejected"."""
    total = sum(counts.values())
    if not total:
        return "0 rejected"
    reasons = ", ".join(f"{n} {reason.replace('_', ' ')}"
                        for reason, n in Counter(counts).most_common())
    return f"{total} rejected: {reasons}"

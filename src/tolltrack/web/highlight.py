"""An article's text cut into runs for highlighting: each run is a stretch of
text and the claims whose mentions cover all of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Run:
    """A stretch of the text (``start``–``end``) and the indexes of the claims
    whose mentions cover it (empty: plain text)."""

    start: int
    end: int
    text: str
    claims: tuple[int, ...]


def runs(text: str, spans: Sequence[tuple[int, int, int]]) -> list[Run]:
    """Cut ``text`` at every span boundary. Takes (start, end, claim index)
    spans, which may overlap or fall outside the text (they are clipped);
    returns runs that join up to the text, in order, none empty."""
    size = len(text)
    clipped = [(max(0, s), min(size, e), c) for s, e, c in spans if min(size, e) > max(0, s)]
    cuts = sorted({0, size, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    out = []
    for start, end in pairwise(cuts):
        covering = tuple(sorted({c for s, e, c in clipped if s <= start and end <= e}))
        out.append(Run(start, end, text[start:end], covering))
    return out

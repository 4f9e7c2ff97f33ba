"""Page furniture: the lines pasted along with a story (widgets, teasers, photo
captions and credits, captions repeated verbatim), told apart by the rules of the
``furniture`` lexicon group.

The extractor sets these lines aside inside a text it must keep whole; the
readers drop them from scraped text. Both ask this one module.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from tolltrack import lexicon


@dataclass(frozen=True)
class _Furniture:
    patterns: tuple[re.Pattern[str], ...]
    teasers: tuple[re.Pattern[str], ...]
    min_repeat: int
    max_line: int


@cache
def _furniture(lexdir: str | None) -> _Furniture:
    with lexicon.reading("furniture"):
        data = lexicon.load("furniture", lexdir)
        teasers = tuple(re.compile(p, re.I) for p in data.get("teasers", []))
        return _Furniture(tuple(re.compile(p, re.I) for p in data["lines"]) + teasers, teasers,
                          int(data.get("min_repeat_chars", 40)),
                          int(data.get("max_line_chars", 600)))


def _norm(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def furniture_lines(text: str, lexdir: str | None = None) -> list[tuple[int, int]]:
    """Offsets of the lines of ``text`` that are page furniture, not story."""
    rules = _furniture(lexdir)
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    counts = Counter(_norm(line) for _, _, line in lines if len(line) >= rules.min_repeat)
    spans = []
    seen: set[str] = set()
    for start, end, line in lines:
        stripped = line.strip().lstrip("•·*–- ").strip()
        if not stripped:
            continue
        # A line printed again word for word is furniture (a caption, a pull
        # quote, a lead echoed by the page). Its first printing stays when it
        # reads as prose, ending as a sentence ends: it may be the story's own
        # paragraph. A caption, which does not, goes every time.
        key = _norm(line)
        repeated = len(line) >= rules.min_repeat and counts[key] > 1 and (
            key in seen or not stripped.rstrip("\"'”’)").endswith((".", "!", "?")))
        seen.add(key)
        # A long line is a story paragraph (or a whole story on one line) even
        # when it happens to end in a credit.
        short = len(stripped) <= rules.max_line
        if repeated or (short and any(p.search(stripped) for p in rules.patterns)):
            spans.append((start, end))
    return spans


def is_teaser(line: str, lexdir: str | None = None) -> bool:
    """True when ``line`` is a teaser for another story ("Read more: ...", "Watch: ...")."""
    stripped = line.strip().lstrip("•·*–- ").strip()
    return any(p.search(stripped) for p in _furniture(lexdir).teasers)

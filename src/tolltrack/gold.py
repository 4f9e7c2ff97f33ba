"""Gold files: read and validate hand-annotated articles (spec/claims.md, "Gold files").

Two gold formats exist:

* claims files (``seed.jsonl``, ``dev.jsonl``): each article lists its gold claims;
* counts files (``counts-dev.jsonl``): each article carries the true number of people
  killed and injured from some public dataset, without claim-level annotation.

Gold is validated strictly when it is read, so a typo in an annotation fails loudly with
``file:line: reason`` instead of silently lowering a score.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar

from .model import (
    Actor,
    Article,
    Claim,
    ClaimantType,
    Figure,
    Mention,
    Outcome,
    Place,
    Qualifier,
    Scope,
    Status,
    Victim,
    VictimType,
    parse_date,
)

E = TypeVar("E", bound=StrEnum)


class GoldError(ValueError):
    """A gold file is malformed; the message is one line: ``file:line: reason``."""


# --------------------------------------------------------------------------- gold records


@dataclass(frozen=True)
class GoldClaim:
    """One annotated claim, with the flat field names of the gold files."""

    outcome: Outcome
    alt_outcomes: tuple[Outcome, ...]
    low: int | None
    high: int | None
    qualifier: Qualifier | None
    figure_text: str
    victim_text: str
    victim_country: str | None
    victim_type: VictimType | None
    claimant_text: str
    claimant_code: str | None
    claimant_type: ClaimantType | None
    status: Status | None
    unverified: bool | None
    scope: Scope | None
    location_country: str | None
    evidence: str
    optional: bool

    def to_claim(self, article: Article) -> Claim:
        """The Claim a perfect extractor would produce (null attributes get model defaults)."""
        high = self.high
        if high is None and self.qualifier in _POINT_QUALIFIERS:
            high = self.low  # gold may omit high where it equals low
        start = max(article.text.find(self.evidence), 0)
        return Claim(
            outcome=self.outcome,
            figure=Figure(self.low, high, self.qualifier or Qualifier.VAGUE, self.figure_text),
            victim=Victim(self.victim_text, self.victim_country,
                          self.victim_type or VictimType.UNKNOWN),
            claimant=Actor(self.claimant_text, self.claimant_code, self.claimant_type),
            status=self.status or Status.CLAIMED,
            unverified=bool(self.unverified),
            scope=self.scope or Scope.UNKNOWN,
            location=Place("", self.location_country) if self.location_country else None,
            mentions=(Mention(self.evidence, start, start + len(self.evidence)),),
            article_id=article.id,
        )


@dataclass(frozen=True)
class GoldArticle:
    """An article and its gold claims."""

    article: Article
    claims: tuple[GoldClaim, ...]


@dataclass(frozen=True)
class CountsArticle:
    """An article with its dataset's true counts (``gold["killed"]``, ``gold["injured"]``)."""

    article: Article
    gold: dict[str, Any]
    source_dataset: str


_POINT_QUALIFIERS = (Qualifier.EXACT, Qualifier.APPROX, Qualifier.AT_MOST)

# Scored attributes may be null in gold ("skipped for that pair"); the rest may not.
_CLAIM_FIELDS: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "outcome": (str, False), "alt_outcomes": (list, False),
    "low": (int, True), "high": (int, True), "qualifier": (str, True),
    "figure_text": (str, False), "victim_text": (str, False),
    "victim_country": (str, True), "victim_type": (str, True),
    "claimant_text": (str, False), "claimant_code": (str, True), "claimant_type": (str, True),
    "status": (str, True), "unverified": (bool, True), "scope": (str, True),
    "location_country": (str, True), "evidence": (str, False), "optional": (bool, False),
}


class _Bad(Exception):
    """A reason without its location; the loader adds ``file:line:``."""


# --------------------------------------------------------------------------- loading


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"{path}: cannot read: {e}") from e
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{path}:{lineno}: bad JSON: {e.msg} (column {e.colno})") from e
        if not isinstance(record, dict):
            raise GoldError(f"{path}:{lineno}: expected a JSON object, got "
                            f"{type(record).__name__}")
        yield lineno, record


def _field(d: Mapping[str, Any], name: str, kind: type | tuple[type, ...],
           nullable: bool) -> Any:
    if name not in d:
        raise _Bad(f"missing field '{name}'")
    value = d[name]
    if value is None and nullable:
        return None
    # bool is an int subclass; a JSON true is never a count
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        want = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise _Bad(f"field '{name}' must be {want}{' or null' if nullable else ''}, "
                   f"got {_short(value)}")
    return value


def _enum(enum: type[E], name: str, value: str | None) -> E | None:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        raise _Bad(f"field '{name}' has unknown value {_short(value)}") from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _article(d: Mapping[str, Any]) -> Article:
    ident = _field(d, "id", str, False)
    text = _field(d, "text", str, False)
    if not ident.strip():
        raise _Bad("field 'id' is empty")
    if not text.strip():
        raise _Bad("field 'text' is empty")
    for name in ("title", "outlet", "url", "date"):
        if d.get(name) is not None and not isinstance(d[name], str):
            raise _Bad(f"field '{name}' must be str or null, got {_short(d[name])}")
    try:
        date = parse_date(d.get("date"))
    except ValueError:
        raise _Bad(f"field 'date' is not an ISO date: {_short(d['date'])}") from None
    return Article(id=ident, text=text, title=d.get("title"), date=date,
                   outlet=d.get("outlet"), url=d.get("url"))


def _gold_claim(d: Any, text: str) -> GoldClaim:
    if not isinstance(d, dict):
        raise _Bad(f"expected an object, got {type(d).__name__}")
    unknown = sorted(set(d) - set(_CLAIM_FIELDS))
    if unknown:  # most often a misspelt field name
        raise _Bad(f"unknown field '{unknown[0]}'")
    v = {name: _field(d, name, kind, nullable)
         for name, (kind, nullable) in _CLAIM_FIELDS.items()}
    alts = []
    for alt in v["alt_outcomes"]:
        if not isinstance(alt, str):
            raise _Bad(f"field 'alt_outcomes' must hold strings, got {_short(alt)}")
        alts.append(_enum(Outcome, "alt_outcomes", alt))
    low, high = v["low"], v["high"]
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise _Bad("figure is negative")
    if low is None and high is not None:
        raise _Bad("field 'high' is set but 'low' is null")
    if low is not None and high is not None and high < low:
        raise _Bad(f"field 'high' ({high}) is below 'low' ({low})")
    if v["evidence"] not in text:
        raise _Bad(f"evidence {_short(v['evidence'])} is not in the article text")
    return GoldClaim(
        outcome=_enum(Outcome, "outcome", v["outcome"]), alt_outcomes=tuple(alts),
        low=low, high=high, qualifier=_enum(Qualifier, "qualifier", v["qualifier"]),
        figure_text=v["figure_text"], victim_text=v["victim_text"],
        victim_country=v["victim_country"],
        victim_type=_enum(VictimType, "victim_type", v["victim_type"]),
        claimant_text=v["claimant_text"], claimant_code=v["claimant_code"],
        claimant_type=_enum(ClaimantType, "claimant_type", v["claimant_type"]),
        status=_enum(Status, "status", v["status"]), unverified=v["unverified"],
        scope=_enum(Scope, "scope", v["scope"]), location_country=v["location_country"],
        evidence=v["evidence"], optional=v["optional"],
    )


def _load(path: Path, parse: Callable[[dict[str, Any]], Any]) -> list[Any]:
    items: list[Any] = []
    seen: dict[str, int] = {}
    for lineno, record in _records(path):
        try:
            item = parse(record)
        except _Bad as e:
            raise GoldError(f"{path}:{lineno}: {e}") from None
        ident = item.article.id
        if ident in seen:
            raise GoldError(f"{path}:{lineno}: duplicate id {ident!r} (first on line "
                            f"{seen[ident]})")
        seen[ident] = lineno
        items.append(item)
    return items


def _parse_gold(record: dict[str, Any]) -> GoldArticle:
    article = _article(record)
    claims = _field(record, "claims", list, False)
    parsed = []
    for i, claim in enumerate(claims, 1):
        try:
            parsed.append(_gold_claim(claim, article.text))
        except _Bad as e:
            raise _Bad(f"claim {i}: {e}") from None
    return GoldArticle(article, tuple(parsed))


def _parse_counts(record: dict[str, Any]) -> CountsArticle:
    article = _article(record)
    gold = _field(record, "gold", dict, False)
    for name in ("killed", "injured"):
        count = _field(gold, name, int, True)
        if count is not None and count < 0:
            raise _Bad(f"gold count '{name}' is negative")
    source = _field(record, "source_dataset", str, False)
    if not source.strip():
        raise _Bad("field 'source_dataset' is empty")
    return CountsArticle(article, dict(gold), source)


def load_gold(path: Path) -> list[GoldArticle]:
    """Read a claims gold file (JSON lines, spec "Gold files") into GoldArticles, in file order.

    Blank lines are ignored. Raises GoldError, whose one-line message names the file, the line
    and (1-based) claim number and the reason, on any bad JSON, missing or mistyped field,
    unknown enum value, inconsistent figure, evidence not found in the text or duplicate id.
    """
    return _load(Path(path), _parse_gold)


def load_counts(path: Path) -> list[CountsArticle]:
    """Read a counts gold file: each line an article plus ``source_dataset`` and a ``gold``
    object whose ``killed``/``injured`` are non-negative ints or null (other keys are kept).

    Raises GoldError (``file:line: reason``) like load_gold.
    """
    return _load(Path(path), _parse_counts)


def gold_kind(path: Path) -> Literal["claims", "counts"]:
    """Tell a claims file from a counts file by its first record ("claims" vs "gold" key).

    Raises GoldError when the file is empty, unreadable or the first record has neither key.
    """
    for lineno, record in _records(Path(path)):
        if "claims" in record:
            return "claims"
        if "gold" in record:
            return "counts"
        raise GoldError(f"{path}:{lineno}: record has neither 'claims' nor 'gold'")
    raise GoldError(f"{path}: no records")

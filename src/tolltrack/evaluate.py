"""Load gold files and score an extractor against them (spec/claims.md, "Gold files", "Scoring").

Two gold formats exist:

* claims files (``seed.jsonl``, ``dev.jsonl``): each article lists its gold claims;
* counts files (``counts-dev.jsonl``): each article carries the true number of people
  killed and injured from some public dataset, without claim-level annotation.

Gold is validated strictly when it is read, so a typo in an annotation fails loudly with
``file:line: reason`` instead of silently lowering a score.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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

Predictor = Callable[[Article], list[Claim]]
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

# The nine attributes the spec scores: name -> (gold field, reader of a predicted Claim).
ATTRIBUTES: dict[str, tuple[str, Callable[[Claim], Any]]] = {
    "claimant_code": ("claimant_code", lambda c: c.claimant.code),
    "claimant_type": ("claimant_type", lambda c: c.claimant.type),
    "victim_country": ("victim_country", lambda c: c.victim.country),
    "victim_type": ("victim_type", lambda c: c.victim.type),
    "qualifier": ("qualifier", lambda c: c.figure.qualifier),
    "status": ("status", lambda c: c.status),
    "unverified": ("unverified", lambda c: c.unverified),
    "scope": ("scope", lambda c: c.scope),
    "location_country": ("location_country", lambda c: c.location.country if c.location else None),
}

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


# --------------------------------------------------------------------------- claim scoring


@dataclass(frozen=True)
class AttributeScore:
    """Share of matched pairs whose attribute agrees; None when no pair had a gold value."""

    accuracy: float | None
    n: int


@dataclass(frozen=True)
class Miss:
    """A non-optional gold claim no prediction matched."""

    article_id: str
    outcome: str
    figure_text: str
    evidence: str


@dataclass(frozen=True)
class FalseAlarm:
    """A prediction that matched no gold claim."""

    article_id: str
    outcome: str
    low: int | None
    high: int | None
    sentence: str


@dataclass(frozen=True)
class AttributeMismatch:
    """A matched pair that disagrees on one attribute."""

    article_id: str
    attribute: str
    gold: Any
    predicted: Any
    evidence: str


@dataclass(frozen=True)
class EvalReport:
    """Claim-level scores. ``tp``, ``pred`` and ``gold`` leave out optional gold claims and
    predictions matched to them; precision, recall and f1 are rounded to 4 decimals and are
    0.0 when their denominator is 0."""

    precision: float
    recall: float
    f1: float
    tp: int
    pred: int
    gold: int
    attributes: dict[str, AttributeScore]
    misses: tuple[Miss, ...] = ()
    false_alarms: tuple[FalseAlarm, ...] = ()
    mismatches: tuple[AttributeMismatch, ...] = ()

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        """JSON-ready scores; with ``errors=True`` also the misses, false alarms and
        attribute mismatches under "errors"."""
        out: dict[str, Any] = {
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "tp": self.tp, "pred": self.pred, "gold": self.gold,
            "attributes": {k: {"accuracy": a.accuracy, "n": a.n}
                           for k, a in self.attributes.items()},
        }
        if errors:
            out["errors"] = {
                "misses": [vars(m) for m in self.misses],
                "false_alarms": [vars(f) for f in self.false_alarms],
                "mismatches": [vars(m) for m in self.mismatches],
            }
        return out


def figure_matches(gold: GoldClaim, figure: Figure) -> bool:
    """The spec's figure agreement: same low (and same high where gold has one), or both
    vague with the same low, or both without a number."""
    if gold.low is None or figure.low is None:
        return gold.low is None and figure.low is None
    if gold.low != figure.low:
        return False
    both_vague = gold.qualifier is Qualifier.VAGUE and figure.qualifier is Qualifier.VAGUE
    return both_vague or gold.high is None or gold.high == figure.high


def claim_matches(gold: GoldClaim, claim: Claim) -> bool:
    """Whether a predicted claim may be paired with a gold claim (outcome and figure)."""
    outcome_ok = claim.outcome == gold.outcome or claim.outcome in gold.alt_outcomes
    return outcome_ok and figure_matches(gold, claim.figure)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


_WORD = re.compile(r"\w+")


def _overlap(claim: Claim, evidence: str) -> float:
    # Evidence is a fragment of one mention, so measure how much of it a sentence covers.
    want = set(_WORD.findall(evidence.lower()))
    if not want:
        return 0.0
    return max((len(want & set(_WORD.findall(m.sentence.lower()))) / len(want)
                for m in claim.mentions), default=0.0)


def _rank(gold: GoldClaim, claim: Claim) -> tuple[int, float, bool]:
    agree = sum(getattr(gold, gf) is not None and _plain(read(claim)) == _plain(getattr(gold, gf))
                for gf, read in ATTRIBUTES.values())
    # An exact outcome beats an alternative one, so that a claim predicted with gold's
    # alt outcome cannot take the gold claim from the prediction stating its main outcome.
    agree += claim.outcome == gold.outcome
    return agree, _overlap(claim, gold.evidence), not gold.optional


def _pair(golds: Sequence[GoldClaim], claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs, greedily best first."""
    candidates = [(_rank(g, c), gi, ci) for gi, g in enumerate(golds)
                  for ci, c in enumerate(claims) if claim_matches(g, c)]
    # Indices break ties so the result is deterministic: earlier claims first.
    candidates.sort(key=lambda t: (tuple(-x for x in t[0]), t[1], t[2]))
    used_g: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for _, gi, ci in candidates:
        if gi not in used_g and ci not in used_c:
            used_g.add(gi)
            used_c.add(ci)
            pairs.append((gi, ci))
    return pairs


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def score(gold: Sequence[GoldArticle], predict: Predictor) -> EvalReport:
    """Run ``predict`` on every gold article and score its claims per spec "Scoring".

    Takes the gold articles and a function from Article to its predicted claims; returns an
    EvalReport with precision, recall, f1, counts, per-attribute accuracy over matched
    non-optional pairs (null gold values skipped) and the individual errors.
    """
    tp = pred = n_gold = 0
    hits = dict.fromkeys(ATTRIBUTES, 0)
    seen = dict.fromkeys(ATTRIBUTES, 0)
    misses: list[Miss] = []
    alarms: list[FalseAlarm] = []
    mismatches: list[AttributeMismatch] = []
    for item in gold:
        aid = item.article.id
        claims = list(predict(item.article))
        pairs = _pair(item.claims, claims)
        matched_g = dict(pairs)
        matched_c = {ci: gi for gi, ci in pairs}
        n_gold += sum(not g.optional for g in item.claims)
        pred += sum(ci not in matched_c or not item.claims[matched_c[ci]].optional
                    for ci in range(len(claims)))
        for gi, g in enumerate(item.claims):
            if gi not in matched_g:
                if not g.optional:
                    misses.append(Miss(aid, str(g.outcome), g.figure_text, g.evidence))
                continue
            if g.optional:
                continue
            tp += 1
            c = claims[matched_g[gi]]
            for name, (gf, read) in ATTRIBUTES.items():
                want = _plain(getattr(g, gf))
                if want is None:
                    continue
                seen[name] += 1
                got = _plain(read(c))
                if got == want:
                    hits[name] += 1
                else:
                    mismatches.append(AttributeMismatch(aid, name, want, got, g.evidence))
        for ci, c in enumerate(claims):
            if ci not in matched_c:
                sentence = c.mentions[0].sentence if c.mentions else ""
                alarms.append(FalseAlarm(aid, str(c.outcome), c.figure.low, c.figure.high,
                                         sentence))
    precision, recall = _ratio(tp, pred), _ratio(tp, n_gold)
    return EvalReport(
        precision=precision, recall=recall,
        f1=_f1(tp / pred if pred else 0.0, tp / n_gold if n_gold else 0.0),
        tp=tp, pred=pred, gold=n_gold,
        attributes={k: AttributeScore(_ratio(hits[k], seen[k]) if seen[k] else None, seen[k])
                    for k in ATTRIBUTES},
        misses=tuple(misses), false_alarms=tuple(alarms), mismatches=tuple(mismatches),
    )


# --------------------------------------------------------------------------- counts scoring

_COUNTED: dict[str, frozenset[Outcome]] = {
    "killed": frozenset({Outcome.KILLED, Outcome.BODIES}),
    "injured": frozenset({Outcome.INJURED}),
}


@dataclass(frozen=True)
class CountScore:
    """How many articles had the true count among the extracted figures."""

    n: int
    hits: int
    rate: float | None  # None when n is 0: no article had a count for this outcome

    def to_dict(self) -> dict[str, Any]:
        """{"n", "hits", "rate"}."""
        return {"n": self.n, "hits": self.hits, "rate": self.rate}


@dataclass(frozen=True)
class CountMiss:
    """An article whose true count no extracted figure agreed with."""

    article_id: str
    outcome: str
    count: int
    figures: tuple[tuple[int | None, int | None], ...]


@dataclass(frozen=True)
class CountsReport:
    """Hit rates per dataset (first word of ``source_dataset``) and outcome, and overall."""

    datasets: dict[str, dict[str, CountScore]]
    overall: dict[str, CountScore]
    misses: tuple[CountMiss, ...] = ()

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        """{"datasets": {name: {outcome: {n, hits, rate}}}, "overall": {outcome: …}} and,
        with ``errors=True``, "errors": the misses."""
        out: dict[str, Any] = {
            "datasets": {d: {o: s.to_dict() for o, s in by.items()}
                         for d, by in self.datasets.items()},
            "overall": {o: s.to_dict() for o, s in self.overall.items()},
        }
        if errors:
            out["errors"] = [vars(m) | {"figures": [list(f) for f in m.figures]}
                             for m in self.misses]
        return out


def figure_contains(figure: Figure, count: int) -> bool:
    """Whether a figure states ``count``: low == count when high is null or equals low,
    else low <= count <= high."""
    if figure.low is None:
        return False
    if figure.high is None or figure.high == figure.low:
        return figure.low == count
    return figure.low <= count <= figure.high


def score_counts(items: Sequence[CountsArticle], predict: Predictor) -> CountsReport:
    """Run ``predict`` on every counts article and check whether some extracted killed (or
    bodies) / injured figure agrees with the dataset's true count.

    Articles whose count is null are skipped for that outcome; a true count of 0 is a
    hit when no claim of that outcome states a positive figure. Returns a CountsReport keyed
    by dataset name, then "killed"/"injured".
    """
    tally: dict[str, dict[str, list[int]]] = {}
    misses: list[CountMiss] = []
    for item in items:
        dataset = item.source_dataset.split()[0]
        claims = list(predict(item.article))
        by = tally.setdefault(dataset, {o: [0, 0] for o in _COUNTED})
        for outcome, accepted in _COUNTED.items():
            count = item.gold.get(outcome)
            if count is None:
                continue
            figures = [c.figure for c in claims if c.outcome in accepted]
            by[outcome][0] += 1
            # A true count of zero is met by stating no positive figure at all:
            # articles rarely write "0 injured", they just name no injured.
            hit = (not any(f.low for f in figures) if count == 0
                   else any(figure_contains(f, count) for f in figures))
            if hit:
                by[outcome][1] += 1
            else:
                misses.append(CountMiss(item.article.id, outcome, count,
                                        tuple((f.low, f.high) for f in figures)))

    def make(n: int, hits: int) -> CountScore:
        return CountScore(n, hits, round(hits / n, 4) if n else None)

    datasets = {d: {o: make(*nh) for o, nh in by.items()} for d, by in sorted(tally.items())}
    overall = {o: make(sum(by[o][0] for by in tally.values()),
                       sum(by[o][1] for by in tally.values())) for o in _COUNTED}
    return CountsReport(datasets, overall, tuple(misses))


def evaluate_file(path: Path, options: Any = None) -> EvalReport | CountsReport:
    """Score tolltrack's extractor on a gold file of either kind.

    Takes the path and an Options (None for defaults); returns an EvalReport for
    claims files and a CountsReport for counts files. Raises GoldError for a bad file.
    """
    from .extract import extract_many

    if gold_kind(path) == "claims":
        golds = load_gold(path)
        articles = [g.article for g in golds]
    else:
        items = load_counts(path)
        articles = [i.article for i in items]
    found = dict(zip((a.id for a in articles), extract_many(articles, options), strict=True))

    def predict(article: Article) -> list[Claim]:
        return found[article.id]

    if gold_kind(path) == "claims":
        return score(golds, predict)
    return score_counts(items, predict)

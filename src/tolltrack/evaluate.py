"""Score an extractor against gold files (spec/claims.md, "Scoring").

Claims files are scored claim by claim (precision, recall, F1 and the accuracy
of nine attributes over matched claims); counts files by how often a figure
states an article's true killed and injured counts. Reading and validating the
files is gold.py's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from .gold import (
    CountsArticle,
    GoldArticle,
    GoldClaim,
    GoldError,
    gold_kind,
    load_counts,
    load_gold,
)
from .model import Article, Claim, Figure, Outcome, Qualifier

__all__ = [
    "ATTRIBUTES", "AttributeScore", "CountScore", "CountsArticle", "CountsReport", "EvalReport",
    "GoldArticle", "GoldClaim", "GoldError", "claim_matches", "evaluate_file",
    "figure_contains", "figure_matches", "gold_kind", "load_counts", "load_gold", "score",
    "score_counts",
]

Predictor = Callable[[Article], list[Claim]]

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

    def predictions(articles: list[Article]) -> Predictor:
        found = dict(zip((a.id for a in articles), extract_many(articles, options),
                         strict=True))
        return lambda article: found[article.id]

    if gold_kind(path) == "claims":
        golds = load_gold(path)
        return score(golds, predictions([g.article for g in golds]))
    items = load_counts(path)
    return score_counts(items, predictions([i.article for i in items]))

"""Tests for tolltrack.evaluate: gold loading, claim scoring and counts scoring."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tolltrack.evaluate import (
    ATTRIBUTES,
    AttributeScore,
    CountsArticle,
    GoldArticle,
    GoldClaim,
    GoldError,
    figure_contains,
    figure_matches,
    gold_kind,
    load_counts,
    load_gold,
    score,
    score_counts,
)
from tolltrack.model import (
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
)

GOLD_DIR = Path(__file__).parents[1].parent / "shared" / "gold"

TEXT = ("Officials said 10 soldiers died in the raid. A clinic treated 4 hurt people. "
        "The army found 5 bodies near the river. Hundreds fled the town.")


def gold(**kw: Any) -> GoldClaim:
    base: dict[str, Any] = dict(
        outcome=Outcome.KILLED, alt_outcomes=(), low=10, high=None, qualifier=Qualifier.EXACT,
        figure_text="10", victim_text="soldiers", victim_country="AAA",
        victim_type=VictimType.MILITARY, claimant_text="Officials", claimant_code="BBB",
        claimant_type=ClaimantType.OFFICIAL, status=Status.CLAIMED, unverified=False,
        scope=Scope.INCIDENT, location_country="AAA",
        evidence="Officials said 10 soldiers died", optional=False)
    base.update(kw)
    return GoldClaim(**base)


def pred(outcome: Outcome = Outcome.KILLED, low: int | None = 10, high: int | None = 10,
         qualifier: Qualifier = Qualifier.EXACT, sentence: str = "Officials said 10 soldiers "
         "died in the raid.", code: str | None = "BBB", status: Status = Status.CLAIMED,
         location: str | None = "AAA") -> Claim:
    return Claim(
        outcome=outcome, figure=Figure(low, high, qualifier, str(low)),
        victim=Victim("soldiers", "AAA", VictimType.MILITARY),
        claimant=Actor("Officials", code, ClaimantType.OFFICIAL),
        status=status, unverified=False, scope=Scope.INCIDENT,
        location=Place("", location) if location else None,
        mentions=(Mention(sentence, 0, len(sentence)),))


def run(golds: list[GoldClaim], preds: list[Claim]):
    article = Article(id="a1", text=TEXT)
    return score([GoldArticle(article, tuple(golds))], lambda _a: preds)


# --------------------------------------------------------------------------- scoring


def test_perfect_match_scores_one_with_all_attributes() -> None:
    r = run([gold()], [pred()])
    assert (r.precision, r.recall, r.f1, r.tp, r.pred, r.gold) == (1.0, 1.0, 1.0, 1, 1, 1)
    assert r.attributes == {name: AttributeScore(1.0, 1) for name in ATTRIBUTES}
    assert not r.misses and not r.false_alarms and not r.mismatches


def test_optional_gold_neither_missed_nor_false_alarm() -> None:
    opt = gold(outcome=Outcome.INJURED, low=4, evidence="A clinic treated 4 hurt", optional=True)
    # Matching the optional claim is left out of pred; the stray prediction still counts.
    r = run([gold(), opt], [pred(), pred(Outcome.INJURED, 4, 4), pred(Outcome.MISSING, 7, 7)])
    assert (r.tp, r.pred, r.gold) == (1, 2, 1)
    assert (r.precision, r.recall, r.f1) == (0.5, 1.0, 0.6667)
    assert [f.outcome for f in r.false_alarms] == ["missing"]
    # Not predicting the optional claim costs nothing.
    r = run([gold(), opt], [pred()])
    assert (r.precision, r.recall, r.tp, r.pred, r.gold) == (1.0, 1.0, 1, 1, 1)
    assert r.misses == ()
    # Attributes of a pair with an optional gold claim are not scored.
    r = run([opt], [pred(Outcome.INJURED, 4, 4, code="ZZZ")])
    assert (r.tp, r.pred, r.gold, r.precision, r.recall) == (0, 0, 0, 0.0, 0.0)
    assert r.attributes["claimant_code"] == AttributeScore(None, 0)


def test_alt_outcomes_match_but_other_outcomes_do_not() -> None:
    g = gold(outcome=Outcome.BODIES, alt_outcomes=(Outcome.KILLED,), low=5,
             evidence="The army found 5 bodies")
    assert run([g], [pred(Outcome.KILLED, 5, 5)]).tp == 1
    assert run([g], [pred(Outcome.BODIES, 5, 5)]).tp == 1
    r = run([g], [pred(Outcome.INJURED, 5, 5)])
    assert (r.tp, r.precision, r.recall) == (0, 0.0, 0.0)
    assert [m.figure_text for m in r.misses] == ["10"]


def test_exact_outcome_wins_over_alt_outcome_in_one_to_one_matching() -> None:
    # Gold order puts the alt-outcome claim first so index tie-breaking alone would fail.
    g_bodies = gold(outcome=Outcome.BODIES, alt_outcomes=(Outcome.KILLED,), low=5)
    g_killed = gold(low=5)
    r = run([g_bodies, g_killed], [pred(Outcome.KILLED, 5, 5), pred(Outcome.BODIES, 5, 5)])
    assert (r.tp, r.pred, r.gold, r.precision, r.recall) == (2, 2, 2, 1.0, 1.0)


@pytest.mark.parametrize(("g", "figure", "ok"), [
    # gold high null: only low compared
    (gold(low=5, high=None), Figure(5, 5, Qualifier.EXACT, "5"), True),
    (gold(low=20, high=None, qualifier=Qualifier.AT_LEAST), Figure(20, None, Qualifier.AT_LEAST,
                                                                   "over 20"), True),
    (gold(low=5, high=None), Figure(6, 6, Qualifier.EXACT, "6"), False),
    # gold has a high: it must agree
    (gold(low=7, high=15, qualifier=Qualifier.RANGE), Figure(7, 15, Qualifier.RANGE, ""), True),
    (gold(low=7, high=15, qualifier=Qualifier.RANGE), Figure(7, 7, Qualifier.EXACT, "7"), False),
    # both vague with the same low: high need not agree
    (gold(low=200, high=999, qualifier=Qualifier.VAGUE), Figure(200, None, Qualifier.VAGUE,
                                                                "hundreds"), True),
    (gold(low=200, high=999, qualifier=Qualifier.VAGUE), Figure(200, 200, Qualifier.EXACT,
                                                                "200"), False),
    (gold(low=200, high=999, qualifier=Qualifier.VAGUE), Figure(24, 99, Qualifier.VAGUE,
                                                                "dozens"), False),
    # both without a number
    (gold(low=None, high=None, qualifier=Qualifier.VAGUE), Figure(None, None, Qualifier.VAGUE,
                                                                  "many"), True),
    (gold(low=None, high=None, qualifier=Qualifier.VAGUE), Figure(3, 9, Qualifier.VAGUE,
                                                                  "several"), False),
    (gold(low=3, high=9, qualifier=Qualifier.VAGUE), Figure(None, None, Qualifier.VAGUE,
                                                            "many"), False),
])
def test_figure_agreement(g: GoldClaim, figure: Figure, ok: bool) -> None:
    assert figure_matches(g, figure) is ok


def test_vague_and_numberless_claims_score_through_score() -> None:
    g = gold(outcome=Outcome.DISPLACED, low=200, high=999, qualifier=Qualifier.VAGUE,
             evidence="Hundreds fled the town")
    r = run([g], [pred(Outcome.DISPLACED, 200, None, Qualifier.VAGUE)])
    assert (r.tp, r.precision, r.recall) == (1, 1.0, 1.0)
    g = gold(low=None, high=None, qualifier=Qualifier.VAGUE)
    r = run([g], [pred(low=None, high=None, qualifier=Qualifier.VAGUE)])
    assert (r.tp, r.precision, r.recall) == (1, 1.0, 1.0)


def test_two_predictions_compete_for_one_gold_claim() -> None:
    wrong = pred(code="CCC")
    right = pred()
    r = run([gold()], [wrong, right])
    assert (r.tp, r.pred, r.gold, r.precision, r.recall, r.f1) == (1, 2, 1, 0.5, 1.0, 0.6667)
    # The prediction agreeing on more attributes took the gold claim.
    assert r.attributes["claimant_code"] == AttributeScore(1.0, 1)
    assert len(r.false_alarms) == 1 and r.false_alarms[0].low == 10


def test_text_overlap_breaks_ties_between_equal_predictions() -> None:
    far = pred(sentence="Elsewhere a report gave a total of 10.")
    near = pred(sentence="Officials said 10 soldiers died in the raid.")
    r = run([gold()], [far, near])
    assert r.tp == 1
    assert [f.sentence for f in r.false_alarms] == ["Elsewhere a report gave a total of 10."]


def test_null_gold_attributes_are_skipped_and_mismatches_reported() -> None:
    g1 = gold(claimant_code=None, location_country=None)
    g2 = gold(outcome=Outcome.INJURED, low=4, evidence="A clinic treated 4 hurt",
              location_country=None)
    r = run([g1, g2], [pred(code="ZZZ", location=None),
                       pred(Outcome.INJURED, 4, 4, status=Status.CONFIRMED, location=None)])
    assert (r.tp, r.precision, r.recall) == (2, 1.0, 1.0)
    assert r.attributes["claimant_code"] == AttributeScore(1.0, 1)  # only g2 had a code
    assert r.attributes["location_country"] == AttributeScore(None, 0)
    assert r.attributes["status"] == AttributeScore(0.5, 2)
    assert r.attributes["victim_type"] == AttributeScore(1.0, 2)
    [m] = r.mismatches
    assert (m.attribute, m.gold, m.predicted, m.evidence) == (
        "status", "claimed", "confirmed", "A clinic treated 4 hurt")


def test_missing_location_prediction_is_a_mismatch() -> None:
    r = run([gold()], [pred(location=None)])
    assert r.attributes["location_country"] == AttributeScore(0.0, 1)


def test_empty_denominators_give_zero() -> None:
    r = run([], [])
    assert (r.precision, r.recall, r.f1, r.tp, r.pred, r.gold) == (0.0, 0.0, 0.0, 0, 0, 0)
    r = run([gold()], [])
    assert (r.precision, r.recall, r.f1) == (0.0, 0.0, 0.0)
    assert [(m.article_id, m.outcome, m.evidence) for m in r.misses] == [
        ("a1", "killed", "Officials said 10 soldiers died")]


def test_to_dict_includes_errors_only_when_asked() -> None:
    r = run([gold()], [pred(), pred(Outcome.MISSING, 2, 2)])
    d = r.to_dict()
    assert set(d) == {"precision", "recall", "f1", "tp", "pred", "gold", "attributes"}
    assert d["attributes"]["scope"] == {"accuracy": 1.0, "n": 1}
    json.dumps(d)
    d = r.to_dict(errors=True)
    assert d["errors"]["false_alarms"] == [{"article_id": "a1", "outcome": "missing", "low": 2,
                                            "high": 2, "sentence": pred().mentions[0].sentence}]
    assert d["errors"]["misses"] == [] and d["errors"]["mismatches"] == []
    json.dumps(d)


# --------------------------------------------------------------------------- loading

GOOD_CLAIM = {
    "outcome": "killed", "alt_outcomes": [], "low": 3, "high": None, "qualifier": "exact",
    "figure_text": "three", "victim_text": "people", "victim_country": None,
    "victim_type": "unknown", "claimant_text": "", "claimant_code": None,
    "claimant_type": "outlet", "status": "claimed", "unverified": False, "scope": "incident",
    "location_country": None, "evidence": "three people died", "optional": False,
}


def record(n: int = 1, **claim: Any) -> dict[str, Any]:
    return {"id": f"t{n}", "text": "A storm hit. Then three people died.",
            "date": "2024-01-02", "claims": [GOOD_CLAIM | claim]}


def write(tmp_path: Path, lines: list[Any]) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(GoldError) as info:
        load_gold(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_load_gold_reads_a_good_file(tmp_path: Path) -> None:
    [item] = load_gold(write(tmp_path, [record()]))
    assert item.article.id == "t1" and item.article.date is not None
    assert item.claims[0].qualifier is Qualifier.EXACT
    assert item.claims[0].claimant_type is ClaimantType.OUTLET


def test_gold_error_bad_json(tmp_path: Path) -> None:
    path = write(tmp_path, [record(), '{"id": "t2", "text": '])
    assert error_of(path).startswith(f"{path}:2: bad JSON")


def test_gold_error_missing_text(tmp_path: Path) -> None:
    bad = record(2)
    del bad["text"]
    path = write(tmp_path, [record(), bad])
    assert error_of(path) == f"{path}:2: missing field 'text'"


def test_gold_error_unknown_qualifier(tmp_path: Path) -> None:
    good2 = record(2)
    good2["claims"].append(GOOD_CLAIM | {"qualifier": "apprx"})
    path = write(tmp_path, [record(), "", good2])
    assert error_of(path) == f"{path}:3: claim 2: field 'qualifier' has unknown value 'apprx'"


@pytest.mark.parametrize(("claim", "reason"), [
    ({"low": "12"}, "field 'low' must be int or null, got '12'"),
    ({"low": 1.5}, "field 'low' must be int or null, got 1.5"),
    ({"low": True}, "field 'low' must be int or null, got True"),
    ({"low": 9, "high": 3}, "field 'high' (3) is below 'low' (9)"),
    ({"outcome": "dead"}, "field 'outcome' has unknown value 'dead'"),
    ({"alt_outcomes": ["hurt"]}, "field 'alt_outcomes' has unknown value 'hurt'"),
    ({"optional": "no"}, "field 'optional' must be bool, got 'no'"),
    ({"qualifer": "exact"}, "unknown field 'qualifer'"),
    ({"evidence": "four people died"}, "evidence 'four people died' is not in the article text"),
])
def test_gold_error_bad_claim_fields(tmp_path: Path, claim: dict[str, Any], reason: str) -> None:
    path = write(tmp_path, [record(**claim)])
    assert error_of(path) == f"{path}:1: claim 1: {reason}"


def test_gold_error_missing_claim_field_and_article_fields(tmp_path: Path) -> None:
    bad = record()
    del bad["claims"][0]["scope"]
    path = write(tmp_path, [bad])
    assert error_of(path) == f"{path}:1: claim 1: missing field 'scope'"
    no_id = record()
    del no_id["id"]
    assert error_of(write(tmp_path, [no_id])).endswith(":1: missing field 'id'")
    assert error_of(write(tmp_path, [record(), record()])).endswith(
        ":2: duplicate id 't1' (first on line 1)")
    assert error_of(write(tmp_path, [record() | {"date": "02/01/2024"}])).endswith(
        ":1: field 'date' is not an ISO date: '02/01/2024'")
    assert error_of(write(tmp_path, ["[1, 2]"])).endswith(":1: expected a JSON object, got list")


def test_gold_error_is_a_value_error() -> None:
    assert issubclass(GoldError, ValueError)


def test_gold_kind_and_counts_validation(tmp_path: Path) -> None:
    claims = write(tmp_path, [record()])
    assert gold_kind(claims) == "claims"
    counts = tmp_path / "counts.jsonl"
    counts.write_text(json.dumps({"id": "c1", "text": "x", "source_dataset": "ds one",
                                  "gold": {"killed": 2, "injured": None}}) + "\n")
    assert gold_kind(counts) == "counts"
    [item] = load_counts(counts)
    assert (item.gold["killed"], item.source_dataset) == (2, "ds one")
    with pytest.raises(GoldError, match=r"counts\.jsonl:1: missing field 'claims'"):
        load_gold(counts)
    counts.write_text(json.dumps({"id": "c1", "text": "x", "source_dataset": "ds",
                                  "gold": {"killed": "2", "injured": None}}) + "\n")
    with pytest.raises(GoldError, match=r":1: field 'killed' must be int or null, got '2'"):
        load_counts(counts)
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(GoldError, match="no records"):
        gold_kind(tmp_path / "empty.jsonl")


# --------------------------------------------------------------------------- counts scoring


def test_figure_contains() -> None:
    assert figure_contains(Figure(5, None, Qualifier.AT_LEAST, ""), 5)
    assert not figure_contains(Figure(3, None, Qualifier.AT_LEAST, ""), 5)
    assert figure_contains(Figure(5, 5, Qualifier.EXACT, ""), 5)
    assert figure_contains(Figure(3, 9, Qualifier.VAGUE, ""), 9)
    assert not figure_contains(Figure(3, 9, Qualifier.VAGUE, ""), 10)
    assert not figure_contains(Figure(None, None, Qualifier.VAGUE, ""), 0)


def test_score_counts_per_dataset() -> None:
    def art(i: int, ds: str, killed: int | None, injured: int | None) -> CountsArticle:
        return CountsArticle(Article(id=f"c{i}", text="t"),
                             {"killed": killed, "injured": injured}, ds)

    items = [art(1, "alpha (some repo)", 3, None), art(2, "alpha other", 4, None),
             art(3, "beta-set (x)", 1, 2), art(4, "beta-set", 0, 0)]
    claims = {
        "c1": [pred(Outcome.BODIES, 3, 3)],                          # bodies count as killed
        "c2": [pred(Outcome.INJURED, 4, 4), pred(low=5, high=None)],  # wrong outcome / figure
        "c3": [pred(low=1, high=1), pred(Outcome.INJURED, 1, 3, Qualifier.RANGE)],
        # A true count of zero is met by naming no one killed; a stated injured
        # figure where nobody was hurt is a miss.
        "c4": [pred(Outcome.INJURED, 2, 2)],
    }
    r = score_counts(items, lambda a: claims[a.id])
    d = r.to_dict()
    assert d["datasets"] == {
        "alpha": {"killed": {"n": 2, "hits": 1, "rate": 0.5},
                  "injured": {"n": 0, "hits": 0, "rate": None}},
        "beta-set": {"killed": {"n": 2, "hits": 2, "rate": 1.0},
                     "injured": {"n": 2, "hits": 1, "rate": 0.5}},
    }
    assert d["overall"]["killed"] == {"n": 4, "hits": 3, "rate": 0.75}
    assert "errors" not in d
    misses = {(m.article_id, m.outcome): m.figures for m in r.misses}
    assert misses == {("c2", "killed"): ((5, None),), ("c4", "injured"): ((2, 2),)}
    json.dumps(r.to_dict(errors=True))


# --------------------------------------------------------------------------- real gold files


def shared(name: str) -> Path:
    path = GOLD_DIR / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def oracle(items: list[GoldArticle], keep=lambda g: True):
    by_id = {item.article.id: item for item in items}
    return lambda a: [g.to_claim(a) for g in by_id[a.id].claims if keep(g)]


def test_dev_gold_loads_and_perfect_predictor_scores_one() -> None:
    items = load_gold(shared("dev.jsonl"))
    assert len(items) == 50
    assert gold_kind(shared("dev.jsonl")) == "claims"
    r = score(items, oracle(items))
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)
    assert r.tp == r.pred == r.gold == sum(not g.optional for i in items for g in i.claims)
    assert all(a.accuracy == 1.0 for a in r.attributes.values())
    # Order of predictions must not matter to the matching.
    by_id = {item.article.id: item for item in items}
    r = score(items, lambda a: [g.to_claim(a) for g in reversed(by_id[a.id].claims)])
    assert (r.precision, r.recall) == (1.0, 1.0)


def test_dev_dropping_claims_lowers_recall_only() -> None:
    items = load_gold(shared("dev.jsonl"))
    r = score(items, oracle(items, keep=lambda g: g.outcome is not Outcome.INJURED))
    injured = sum(not g.optional and g.outcome is Outcome.INJURED
                  for i in items for g in i.claims)
    assert injured > 0
    assert r.precision == 1.0
    assert r.gold - r.tp == injured == len(r.misses)


def test_seed_gold_has_five_non_optional_claims() -> None:
    items = load_gold(shared("seed.jsonl"))
    assert sum(not g.optional for i in items for g in i.claims) == 5
    r = score(items, oracle(items, keep=lambda g: not g.optional))
    assert (r.precision, r.recall, r.tp) == (1.0, 1.0, 5)


def test_counts_dev_loads() -> None:
    items = load_counts(shared("counts-dev.jsonl"))
    assert len(items) == 150
    assert gold_kind(shared("counts-dev.jsonl")) == "counts"
    r = score_counts(items, lambda a: [])
    assert set(r.datasets) == {"fa-kes", "semeval2018t5-gva"}
    assert r.datasets["fa-kes"]["killed"].n == 60
    # Predicting nothing only meets the articles whose true count is zero.
    zero = sum(1 for item in items if item.gold.get("killed") == 0)
    assert r.overall["killed"].n == 150 and r.overall["killed"].hits == zero


def test_to_claim_fills_high_for_point_qualifiers() -> None:
    article = Article(id="a1", text=TEXT)
    claim = gold().to_claim(article)
    assert (claim.figure.low, claim.figure.high) == (10, 10)
    assert TEXT[claim.mentions[0].start:claim.mentions[0].end] == gold().evidence
    claim = gold(qualifier=Qualifier.AT_LEAST).to_claim(article)
    assert claim.figure.high is None
    assert dataclasses.replace(gold(), optional=True).to_claim(article).article_id == "a1"

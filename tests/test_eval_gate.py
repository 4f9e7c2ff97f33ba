"""The accuracy gate: score the shared gold files and fail below the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tolltrack.evaluate import CountsReport, EvalReport, evaluate_file

FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["seed.jsonl", "dev.jsonl"])
def test_claims_gold_stays_above_floors(gold_dir: Path, name: str) -> None:
    path = gold_dir / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report = evaluate_file(path)
    assert isinstance(report, EvalReport)
    floors = FLOORS[name]
    scores = report.to_dict()
    for metric in ("precision", "recall", "f1"):
        if metric in floors:
            assert scores[metric] >= floors[metric], f"{name} {metric} fell to {scores[metric]}"
    for attribute, floor in floors.get("attributes", {}).items():
        accuracy = scores["attributes"][attribute]["accuracy"]
        assert accuracy is not None and accuracy >= floor, \
            f"{name} {attribute} accuracy fell to {accuracy}"


def test_counts_gold_stays_above_floors(gold_dir: Path) -> None:
    path = gold_dir / "counts-dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report = evaluate_file(path)
    assert isinstance(report, CountsReport)
    for dataset, outcomes in FLOORS["counts-dev.jsonl"].items():
        for outcome, floor in outcomes.items():
            rate = report.datasets[dataset][outcome].rate
            assert rate is not None and rate >= floor, f"{dataset} {outcome} hit rate {rate}"

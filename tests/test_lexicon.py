"""Lexicon files: packaged groups load, a user's folder overrides them, bad files say so."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from tolltrack import lexicon
from tolltrack.extract import extract
from tolltrack.extract.words import words
from tolltrack.model import Article, Outcome
from tolltrack.options import Options

GROUPS = ["actors", "context", "countries", "furniture", "grammar", "numbers", "outcomes",
          "places", "reporting", "victims"]


@pytest.mark.parametrize("name", GROUPS)
def test_packaged_groups_load_and_say_what_they_are(name: str) -> None:
    data = lexicon.load(name)
    assert isinstance(data, dict) and "_about" in data


def _packaged(name: str) -> dict:
    text = resources.files("tolltrack.lexicon").joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)


def test_a_users_folder_extends_the_rules(tmp_path: Path) -> None:
    sentence = "The militia annihilated 40 soldiers near the border."
    assert extract(Article(id="a", text=sentence)) == []
    outcomes = _packaged("outcomes")
    outcomes["killed"]["verbs"].append("annihilate")
    outcomes["screen"] = outcomes["screen"].replace("(kill|", "(kill|annihilat|")
    (tmp_path / "outcomes.json").write_text(json.dumps(outcomes), encoding="utf-8")
    [claim] = extract(Article(id="a", text=sentence), Options(lexicon_dir=str(tmp_path)))
    assert (claim.outcome, claim.figure.low) == (Outcome.KILLED, 40)


def test_a_malformed_file_is_a_lexicon_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "outcomes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"outcomes\.json"):
        words(str(tmp_path))
    (tmp_path / "victims.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"victims\.json: expected a JSON object"):
        lexicon.load("victims", str(tmp_path))
    (tmp_path / "places.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"places\.json: not valid JSON"):
        lexicon.load("places", str(tmp_path))

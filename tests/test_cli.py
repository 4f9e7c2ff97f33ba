"""Tests for the `tolltrack` command: real runs on the bundled example and on bad input."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tolltrack import __version__
from tolltrack.cli import app
from tolltrack.ingest import content_hash

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "article.txt"
EXAMPLE_DATE = dt.date(2024, 3, 14)

CLAIM_KEYS = {"article_id", "outcome", "figure", "victim", "claimant", "status", "unverified",
              "scope", "location", "as_of", "period_start", "perpetrator", "mentions"}
FIGURE_KEYS = {"low", "high", "qualifier", "text"}
VICTIM_KEYS = {"text", "country", "type"}
ACTOR_KEYS = {"text", "code", "type"}
PLACE_KEYS = {"text", "country", "name", "lat", "lon", "geonames_id"}
MENTION_KEYS = {"sentence", "start", "end"}
SCORED = {"claimant_code", "claimant_type", "victim_country", "victim_type", "qualifier",
          "status", "unverified", "scope", "location_country"}

HTML = (Path(__file__).resolve().parents[0] / "data" / "sumy_market.html").read_text(
    encoding="utf-8")

GOLD_TEXT = ("Sudan's health ministry said 25 people were killed in an air strike on a market "
             "in Omdurman on Monday. Hundreds of residents fled the area, aid workers said.")


def gold_claim(**changes: Any) -> dict[str, Any]:
    claim = {
        "outcome": "killed", "alt_outcomes": [], "low": 25, "high": None,
        "qualifier": "exact", "figure_text": "25", "victim_text": "people",
        "victim_country": "SDN", "victim_type": "unknown",
        "claimant_text": "Sudan's health ministry", "claimant_code": "SDN",
        "claimant_type": "government", "status": "claimed", "unverified": False,
        "scope": "incident", "location_country": "SDN",
        "evidence": "Sudan's health ministry said 25 people were killed", "optional": False,
    }
    claim.update(changes)
    return claim


def gold_record(ident: str, *claims: dict[str, Any]) -> dict[str, Any]:
    return {"id": ident, "title": "Air strike on Omdurman market", "date": "2024-06-04",
            "outlet": "Example Wire", "url": f"https://example.org/{ident}", "text": GOLD_TEXT,
            "claims": list(claims)}


DISPLACED = gold_claim(
    outcome="displaced", low=200, high=999, qualifier="vague", figure_text="Hundreds",
    victim_text="residents", victim_type="civilian", claimant_text="aid workers",
    claimant_code=None, claimant_type="ngo", scope="incident",
    evidence="Hundreds of residents fled the area, aid workers said")


runner = CliRunner()


def run(*args: str | Path, stdin: str | bytes | None = None,
        env: dict[str, str] | None = None) -> Result:
    """Invoke the app in-process; fail on any exception other than a clean exit."""
    result = runner.invoke(app, [str(a) for a in args], input=stdin, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception, result.output)
    assert "Traceback" not in result.output
    return result


SUMMARY = re.compile(r"^tolltrack: \d+ articles?, (?:\d+ claims?, )?\d+ rejected")


def summary_line(result: Result) -> str:
    """The closing summary line on stderr, which every reading command prints."""
    lines = result.stderr.strip().splitlines()
    assert lines and SUMMARY.match(lines[-1]), result.stderr
    return lines[-1]


def one_error_line(result: Result) -> str:
    """The one message on stderr besides the summary line."""
    lines = [line for line in result.stderr.strip().splitlines() if not SUMMARY.match(line)]
    assert len(lines) == 1, result.stderr
    return lines[0]


def jsonl(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def check_shape(claim: dict[str, Any]) -> None:
    assert set(claim) == CLAIM_KEYS
    assert set(claim["figure"]) == FIGURE_KEYS
    assert set(claim["victim"]) == VICTIM_KEYS
    assert set(claim["claimant"]) == ACTOR_KEYS
    if claim["location"] is not None:
        assert set(claim["location"]) == PLACE_KEYS
    if claim["perpetrator"] is not None:
        assert set(claim["perpetrator"]) == ACTOR_KEYS
    assert claim["mentions"]
    for mention in claim["mentions"]:
        assert set(mention) == MENTION_KEYS


def figures(claims: list[dict[str, Any]]) -> set[int]:
    return {c["figure"]["low"] for c in claims} | {c["figure"]["high"] for c in claims}


@pytest.fixture(scope="module")
def example_claims() -> list[dict[str, Any]]:
    result = run("extract", EXAMPLE, "--date", EXAMPLE_DATE.isoformat(), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert summary_line(result).startswith("tolltrack: 1 article, ")
    assert result.stderr.count("\n") == 1
    return jsonl(result)


# --------------------------------------------------------------------------- extract


def test_example_jsonl_claims_have_the_spec_shape(example_claims: list[dict[str, Any]]) -> None:
    text = EXAMPLE.read_bytes().decode("utf-8-sig")
    assert len(example_claims) >= 3
    for claim in example_claims:
        check_shape(claim)
        assert claim["article_id"] == content_hash(text)
        for mention in claim["mentions"]:
            assert 0 <= mention["start"] < mention["end"] <= len(text)
            assert text[mention["start"]:mention["end"]] == mention["sentence"]


def test_example_claims_hold_its_figures(example_claims: list[dict[str, Any]]) -> None:
    found = figures(example_claims)
    assert {1200, 41} <= found
    outcomes = {c["outcome"] for c in example_claims}
    assert {"killed", "injured"} <= outcomes
    first = next(c for c in example_claims if c["figure"]["low"] == 1200)
    assert first["figure"]["qualifier"] == "at_least"
    assert "1,200" in first["figure"]["text"]


def test_example_non_claims_are_not_counted(example_claims: list[dict[str, Any]]) -> None:
    # an age, a unit, a population, a year and sums of money
    assert not figures(example_claims) & {61, 37, 27_000, 2022, 50_000_000, 8_000_000}


def test_example_dates_resolve_against_the_given_date(
        example_claims: list[dict[str, Any]]) -> None:
    dates = [dt.date.fromisoformat(c["as_of"]) for c in example_claims if c["as_of"]]
    assert dates
    assert all(d <= EXAMPLE_DATE for d in dates)


def test_json_format_is_one_document() -> None:
    result = run("extract", EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"articles", "claims"}
    assert doc["articles"] == 1
    assert len(doc["claims"]) >= 3
    for claim in doc["claims"]:
        check_shape(claim)
    assert 1200 in figures(doc["claims"])


def test_table_format() -> None:
    result = run("extract", EXAMPLE, "--format", "table", env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "claimant" in result.stdout
    assert "1,200" in result.stdout


def test_empty_file_gives_no_claims(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run("extract", path, "--format", "jsonl")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr

    result = run("extract", path, "--format", "table")
    assert result.exit_code == 0
    assert "No casualty claims found." in result.stdout


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    result = run("extract", path)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert str(path) in line
    assert "no such file" in line
    assert result.stdout == ""


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("scan.txt", random.Random(3).randbytes(50) + b"\x00" + random.Random(4).randbytes(350),
     "binary"),
    ("scan.html", b"\x89PNG\r\n\x1a\n" + random.Random(5).randbytes(200), "PNG image"),
    ("huge.txt", b"Officials said 3 people were killed.\n" * 300_000, "larger than 10 MB"),
])
def test_unreadable_file(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("extract", path)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert str(path) in line
    assert reason in line


def test_bad_file_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    result = run("extract", path, EXAMPLE, "--format", "jsonl")
    assert result.exit_code == 2  # something was unreadable ...
    assert str(path) in one_error_line(result)
    assert 1200 in figures(jsonl(result))  # ... and the rest still went through


def test_jsonl_bad_line_is_skipped(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "raid", "text": "Officials said 10 soldiers were killed in the raid."}),
        "{this is not json",
        json.dumps({"id": "city", "text": "At least 40 civilians died in the city, "
                                          "the mayor said."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("extract", path, "--format", "jsonl")
    assert result.exit_code == 0
    line = one_error_line(result)
    assert f"{path}:2" in line
    claims = jsonl(result)
    assert {c["article_id"] for c in claims} == {"raid", "city"}
    assert {10, 40} <= figures(claims)


def test_stdin(tmp_path: Path) -> None:
    result = run("extract", "-", "--format", "jsonl",
                 stdin="The governor said 7 people were wounded in the shelling.\n")
    assert result.exit_code == 0, result.output
    claims = jsonl(result)
    assert [c["article_id"] for c in claims] == [
        content_hash("The governor said 7 people were wounded in the shelling.")]
    assert claims[0]["outcome"] == "injured"
    assert claims[0]["figure"]["low"] == 7


def test_bad_date() -> None:
    result = run("extract", EXAMPLE, "--date", "2024-13-45")
    assert result.exit_code == 2
    assert "2024-13-45" in one_error_line(result)
    assert result.stdout == ""


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "sumy.html"
    path.write_text(HTML, encoding="utf-8")
    result = run("extract", path, "--format", "jsonl", "--date", "2024-05-02")
    assert result.exit_code == 0, result.output
    claims = jsonl(result)
    assert claims
    assert 14 in figures(claims)
    for claim in claims:
        check_shape(claim)
        assert claim["article_id"] == claims[0]["article_id"]
        assert "Copyright" not in claim["mentions"][0]["sentence"]


def test_lexicon_folder(tmp_path: Path) -> None:
    empty = tmp_path / "lexicon"
    empty.mkdir()
    result = run("extract", EXAMPLE, "--lexicon", empty, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert 1200 in figures(jsonl(result))

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "outcomes.json").write_text("{not json", encoding="utf-8")
    result = run("extract", EXAMPLE, "--lexicon", broken)
    assert result.exit_code == 2
    assert "outcomes.json" in one_error_line(result)

    result = run("extract", EXAMPLE, "--lexicon", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "nowhere" in one_error_line(result)


def test_unknown_model() -> None:
    result = run("extract", EXAMPLE, "--model", "no_such_pipeline")
    assert result.exit_code == 2
    assert "no_such_pipeline" in one_error_line(result)


def test_help_and_version() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "extract" in result.stdout and "eval" in result.stdout
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="run from a checkout")
def test_readme_command_with_the_installed_script() -> None:
    script = (shutil.which("tolltrack", path=str(Path(sys.executable).parent))
              or shutil.which("tolltrack"))
    if script is None:
        pytest.skip("the tolltrack console script is not installed")
    proc = subprocess.run(
        [script, "extract", "examples/article.txt", "--date", "2024-03-14"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    claims = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(claims) >= 3
    for claim in claims:
        check_shape(claim)
    assert 1200 in figures(claims)


# --------------------------------------------------------------------------- eval


def write_jsonl(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_eval_claims_file(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", gold_record("omdurman", gold_claim(), DISPLACED))
    result = run("eval", gold, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"precision", "recall", "f1", "tp", "pred", "gold", "attributes"}
    assert data["gold"] == 2
    # Both gold claims are stated plainly in the record: both are found, nothing else.
    assert (data["tp"], data["pred"]) == (2, 2)
    assert data["precision"] == data["recall"] == data["f1"] == 1.0
    assert set(data["attributes"]) == SCORED
    for score in data["attributes"].values():
        assert set(score) == {"accuracy", "n"}
        assert score["n"] <= data["tp"]

    result = run("eval", gold, "--format", "json", "--show-errors")
    assert result.exit_code == 0, result.output
    errors = json.loads(result.stdout)["errors"]
    assert set(errors) == {"misses", "false_alarms", "mismatches"}

    result = run("eval", gold, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "P=" in result.stdout


def test_eval_counts_file(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "counts.jsonl",
                       {"id": "c1", "text": GOLD_TEXT, "date": "2024-06-04",
                        "gold": {"killed": 25, "injured": None},
                        "source_dataset": "ACLED sample"})
    result = run("eval", gold, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"datasets", "overall"}
    assert data["datasets"]["ACLED"]["killed"]["n"] == 1
    assert data["overall"]["injured"]["n"] == 0


def test_eval_bad_gold_field(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl",
                       gold_record("good", gold_claim()),
                       gold_record("bad", gold_claim(qualifier="apprx")))
    result = run("eval", gold)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert f"{gold}:2" in line
    assert "apprx" in line
    assert result.stdout == ""


def test_eval_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.jsonl"
    result = run("eval", path)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert str(path) in line and "no such file" in line


# --------------------------------------------------------------------------- read

ARTICLE_KEYS = {"id", "title", "date", "outlet", "url", "language", "source", "date_source",
                "furniture", "text"}


def test_read_prints_clean_articles() -> None:
    result = run("read", EXAMPLE, "--format", "jsonl", "--date", "2024-03-14")
    assert result.exit_code == 0, result.output
    [article] = jsonl(result)
    assert set(article) == ARTICLE_KEYS
    assert article["id"] == content_hash(article["text"])
    assert (article["date"], article["date_source"]) == ("2024-03-14", "given")
    assert article["language"] == "en"
    assert article["source"] == str(EXAMPLE)
    assert "1,200 enemy soldiers" in article["text"]
    assert summary_line(result) == "tolltrack: 1 article, 0 rejected"


def test_read_table_lists_each_article(tmp_path: Path) -> None:
    (tmp_path / "sumy.html").write_text(HTML, encoding="utf-8")
    result = run("read", tmp_path, "--format", "table", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Strike on market in Sumy" in result.stdout
    assert "en" in result.stdout


def test_read_field_options_map_a_dump(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"guid": "w-17", "story": "Rescuers said 9 miners were "
                                "killed in the collapse.", "when": "2024-02-29"}) + "\n",
                    encoding="utf-8")
    result = run("read", path, "--format", "jsonl")
    assert "no text" in one_error_line(result)
    assert jsonl(result) == []
    result = run("read", path, "--format", "jsonl", "--text-field", "body,story",
                 "--id-field", "guid", "--date-field", "when")
    [article] = jsonl(result)
    assert (article["id"], article["date"], article["date_source"]) == (
        "w-17", "2024-02-29", "record")
    result = run("read", path, "--text-field", " , ")
    assert result.exit_code == 2
    assert "--text-field" in one_error_line(result)


def test_extract_skips_other_languages_and_records_why(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "de.txt").write_text(
        "Bei dem Angriff auf das Wohnhaus wurden nach Angaben der Behörden fünf Menschen "
        "getötet und zwölf weitere verletzt.", encoding="utf-8")
    (folder / "en.txt").write_text("The governor said 7 people were wounded in the "
                                     "shelling of the town.", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = run("extract", folder, "--format", "jsonl", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    assert [c["figure"]["low"] for c in jsonl(result)] == [7]
    [reject] = [json.loads(line) for line in rejects.read_text("utf-8").splitlines()]
    assert reject["reason"] == "not_english"
    assert reject["source"] == str(folder / "de.txt")
    assert "'de'" in reject["message"]
    assert summary_line(result) == "tolltrack: 1 article, 1 claim, 1 rejected: 1 not english"


def test_offline_url_is_an_error_without_a_fetch() -> None:
    result = run("read", "https://news.invalid/story", "--offline")
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "https://news.invalid/story" in line and "--offline" in line


def test_rejects_file_that_cannot_be_written(tmp_path: Path) -> None:
    result = run("read", EXAMPLE, "--rejects", tmp_path / "no" / "such" / "dir.jsonl")
    assert result.exit_code == 2
    assert "--rejects" in one_error_line(result)


# --------------------------------------------------------------------------- docs


def test_readme_documents_every_command_and_option() -> None:
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"tolltrack {name}" in readme
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"{name} {opt} is not in README.md"
    test_command = ("python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
                    ".venv/bin/python -m pytest")
    assert test_command in readme


def test_table_prints_square_brackets_as_text(tmp_path: Path) -> None:
    path = tmp_path / "brackets.txt"
    path.write_text("Rebels [/b] said 30 people were killed in [bold]Aleppo.", encoding="utf-8")
    result = run("extract", path, "--format", "table")
    assert result.exit_code == 0
    assert "30" in result.stdout


# --------------------------------------------------------------------------- read: bad input


@pytest.mark.parametrize("url", ["http://host:abc/x", "http://[::1"])
def test_read_a_malformed_url_is_one_error_line(url: str) -> None:
    result = run("read", url, "--format", "jsonl")
    assert result.exit_code == 2
    assert one_error_line(result).startswith(f"tolltrack: error: {url}: bad URL (")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert summary_line(result) == "tolltrack: 0 articles, 1 rejected: 1 network"


def test_read_a_malformed_url_between_good_files(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Rescuers said 9 miners were killed in the collapse.\n", encoding="utf-8")
    result = run("read", good, "http://host:abc/x", "--format", "jsonl")
    assert result.exit_code == 2
    assert [a["source"] for a in jsonl(result)] == [str(good)]
    assert "bad URL" in one_error_line(result)


FURNITURE_JSON = json.loads((ROOT / "src" / "tolltrack" / "lexicon" / "furniture.json")
                            .read_text(encoding="utf-8"))


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"lines": 5}),
    json.dumps({"date_lines": []}),  # no "lines"
    json.dumps({**FURNITURE_JSON, "date_lines": ["^(published|updated"]}),
    json.dumps({**FURNITURE_JSON, "lines": ["[unclosed"]}),
    json.dumps({**FURNITURE_JSON, "teasers": ["(?P<x>a)(?P<x>b)"]}),
    json.dumps({**FURNITURE_JSON, "date_line_max_words": "four"}),
], ids=["not-json", "a-list", "lines-not-a-list", "no-lines", "bad-date-line-regex",
        "bad-line-regex", "bad-teaser-regex", "max-words-not-a-number"])
def test_read_with_a_malformed_furniture_lexicon(tmp_path: Path, content: str) -> None:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "furniture.json").write_text(content, encoding="utf-8")
    result = run("read", EXAMPLE, "--lexicon", folder, "--format", "jsonl")
    assert result.exit_code == 2
    line = one_error_line(result)
    assert line.startswith("tolltrack: error: ") and "furniture.json" in line
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_read_with_a_good_furniture_lexicon(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "furniture.json").write_text(json.dumps({"lines": ["^ADVERT$"]}),
                                           encoding="utf-8")
    path = tmp_path / "page.txt"
    path.write_text("Rescuers said 9 miners were killed in the collapse.\nADVERT\n"
                    "Read more: Mine collapse kills nine\n", encoding="utf-8")
    result = run("read", path, "--lexicon", folder, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    [article] = jsonl(result)
    assert article["furniture"] == ["ADVERT"]
    assert "Read more: Mine collapse kills nine" in article["text"]


@pytest.mark.parametrize("command", ["read", "extract"])
def test_a_lexicon_folder_that_does_not_exist(tmp_path: Path, command: str) -> None:
    for missing in (tmp_path / "nowhere", Path("/nonexistent")):
        result = run(command, EXAMPLE, "--lexicon", missing)
        assert result.exit_code == 2
        assert str(missing) in one_error_line(result)
        assert result.stdout == ""


# --------------------------------------------------------------------------- extract: input


def test_extract_keeps_story_lines_that_look_like_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("\n".join([
        "Russian shelling wounded 14 people in the centre of Kharkiv on Monday, regional "
        "officials said.",
        "Related: 52 people have now died, the ministry said.",
        "More: 30 more bodies were recovered from the rubble.",
        "Source: the UN says 10,000 civilians have been killed.",
        "Updated figures released on March 3, 2024 show 300 people were killed.",
        "Published figures show 1,200 killed as of May 1, 2024.",
        "The strike, captured in a photo by a local resident, killed 12 people.",
        "Related: Kharkiv strike kills five",
        "Rescuers at the scene. (AP Photo/Felipe Dana)",
    ]) + "\n", encoding="utf-8")
    # --no-clean hands the text over whole: the extractor sets furniture aside itself.
    result = run("extract", path, "--no-clean", "--format", "jsonl", "--date", "2024-06-01")
    assert result.exit_code == 0, result.output
    claims = jsonl(result)
    found = figures(claims)
    assert {14, 52, 30, 10000, 300, 1200, 12} <= found
    assert 5 not in found  # the teaser's "five"
    sentences = {c["mentions"][0]["sentence"] for c in claims}
    assert not any(s.startswith(("Related: Kharkiv", "Rescuers at the scene")) for s in sentences)


def test_extract_reads_records_tagged_as_english_in_any_spelling(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "us", "language": "en-US",
         "text": "The governor said 7 people were wounded in the shelling of the town."},
        {"id": "upper", "language": "EN",
         "text": "Police said 4 people were killed in the blast at the market."},
        {"id": "name", "language": "English",
         "text": "Rescuers said 9 miners were killed in the collapse."},
        {"id": "de", "language": "de-DE",
         "text": "Die Polizei sagte, 6 Menschen seien bei der Explosion getötet worden."},
    ]) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = run("extract", path, "--format", "jsonl", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    assert {(c["article_id"], c["figure"]["low"]) for c in jsonl(result)} == {
        ("us", 7), ("upper", 4), ("name", 9)}
    [reject] = [json.loads(line) for line in rejects.read_text("utf-8").splitlines()]
    assert (reject["reason"], reject["source"]) == ("not_english", str(path))
    assert "'de'" in reject["message"]
    assert summary_line(result) == "tolltrack: 3 articles, 3 claims, 1 rejected: 1 not english"

"""The ledger commands through the CLI runner: ingest, reextract, claims, timeline,
conflicts, export and stats, on SQLite and PostgreSQL, and their one-line errors."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tolltrack.cli import app

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "tests" / "data" / "ledger" / "week.jsonl"
BAD = ROOT / "tests" / "data" / "ledger" / "bad.jsonl"
EXAMPLE = ROOT / "examples" / "article.txt"
CLAIM_KEYS = {"id", "article_id", "cluster_id", "outcome", "figure", "victim", "claimant",
              "status", "unverified", "scope", "location", "as_of", "period_start",
              "perpetrator", "mentions", "review"}

runner = CliRunner()


def tt(*args: str | Path, code: int = 0) -> Result:
    """Run tolltrack in-process; check the exit code and that no traceback shows."""
    # Wide enough that table cells are not folded.
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "300"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception, result.output)
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    return result


def error_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tolltrack: error: ")
    return lines[0]


def jsonl(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def week(ledger_url: str) -> str:
    """A ledger holding the week corpus."""
    tt("ingest", WEEK, "--db", ledger_url, "--batch-size", "4")
    return ledger_url


def test_ingest_prints_one_summary_and_is_idempotent(ledger_url: str) -> None:
    first = tt("ingest", WEEK, "--db", ledger_url)
    assert first.stderr.strip().splitlines()[-1] == (
        "tolltrack: 9 articles stored, 0 already stored, 24 claims, 0 rejected")
    again = tt("ingest", WEEK, "--db", ledger_url)
    assert again.stderr.strip() == (
        "tolltrack: 0 articles stored, 9 already stored, 0 claims, 0 rejected")


def test_ingest_stores_and_reports_rejects(week: str, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    result = tt("ingest", BAD, "--db", week, "--rejects", rejects)
    assert result.stderr.strip().splitlines()[-1] == (
        "tolltrack: 1 article stored, 0 already stored, 1 claim, "
        "3 rejected: 1 not english, 1 id taken, 1 no text")
    assert sorted(json.loads(line)["reason"] for line in rejects.read_text().splitlines()) == [
        "id_taken", "no_text", "not_english"]
    stats = json.loads(tt("stats", "--db", week, "--format", "jsonl").stdout)
    assert stats["rejects_by_reason"] == {"id_taken": 1, "no_text": 1, "not_english": 1}
    assert (stats["articles"], stats["wire_copies"]) == (10, 2)


def test_claims_jsonl_has_the_spec_fields_and_ids(week: str) -> None:
    rows = jsonl(tt("claims", "--db", week, "--format", "jsonl"))
    assert len(rows) == 24
    assert all(set(r) == CLAIM_KEYS for r in rows)
    for r in rows:
        assert r["id"].startswith(f"{r['article_id']}-")
    copies = [r for r in rows if r["article_id"] in ("wk-03", "wk-04", "wk-05")]
    assert {r["cluster_id"] for r in copies} == {"wk-03-1", "wk-03-2", "wk-03-3"}


@pytest.mark.parametrize(("flags", "expected"), [
    (["--outcome", "injured"], {("injured", 11), ("injured", 19), ("injured", 210),
                                ("injured", 6)}),
    (["--claimant", "WESTERN"], {("killed", 700)}),
    (["--victim-country", "Russia", "--since", "2024-03-15"], {("killed", 2250),
                                                             ("killed", 2400)}),
    (["--search", "Zaporizhzhia", "--outcome", "killed"], {("killed", 2)}),
    (["--status", "estimated"], {("killed", 700)}),
])
def test_claims_filters(week: str, flags: list[str], expected: set) -> None:
    rows = jsonl(tt("claims", "--db", week, *flags))
    assert {(r["outcome"], r["figure"]["low"]) for r in rows} == expected


def test_claims_as_csv_and_table(week: str) -> None:
    rows = list(csv.DictReader(io.StringIO(
        tt("claims", "--db", week, "--format", "csv", "--claimant", "WESTERN").stdout)))
    assert [(r["low"], r["high"], r["qualifier"], r["claimant_code"], r["status"])
            for r in rows] == [("700", "900", "range", "WESTERN", "estimated")]
    table = tt("claims", "--db", week, "--format", "table", "--claimant", "WESTERN").stdout
    assert "700–900" in table and "WESTERN" in table


@pytest.mark.parametrize(("flags", "named"), [
    (["--since", "yesterdayish"], "--since 'yesterdayish': not accepted; use YYYY-MM-DD"),
    (["--until", "2024-02-30"], "--until '2024-02-30'"),
    (["--outcome", "kiled"], "--outcome 'kiled': not accepted; use one of killed"),
    (["--victim-type", "soldiers"], "--victim-type 'soldiers'"),
    (["--status", "maybe"], "--status 'maybe'"),
    (["--victim-country", "Narnia"], "--victim-country 'Narnia'"),
])
def test_bad_filter_values_name_the_flag(tmp_path: Path, flags: list[str], named: str) -> None:
    for command in ("claims", "timeline", "conflicts"):
        if command != "claims" and flags[0] in ("--status",):
            continue
        result = tt(command, "--db", tmp_path / "none.db", *flags, code=2)
        assert named in error_line(result)


def test_timeline_table_plot_and_vega(week: str, tmp_path: Path) -> None:
    png, vega = tmp_path / "t.png", tmp_path / "t.json"
    result = tt("timeline", "--db", week, "--victim-country", "RUS", "--plot", png,
                "--vega", vega)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    spec = json.loads(vega.read_text())
    assert spec["$schema"].endswith("vega-lite/v5.json")
    values = spec["data"]["values"]
    assert {v["claimant"] for v in values} == {
        "Ukraine's general staff (UKR, military)", "Western officials (WESTERN, official)"}
    assert sorted(v["low"] for v in values) == [700, 1800, 2100, 2250, 2400]
    assert "2024-03-13" in result.stdout and "up" in result.stdout
    assert "claimed, unverified" in result.stdout and "estimated" in result.stdout


def test_conflicts_of_one_claimant_keep_the_other_side(week: str) -> None:
    for claimant in ("UKR", "WESTERN", "western officials"):
        assert len(jsonl(tt("conflicts", "--db", week, "--claimant", claimant))) == 4
    assert jsonl(tt("conflicts", "--db", week, "--claimant", "RUS")) == []


def test_claimant_codes_never_match_inside_names(week: str) -> None:
    # "UN" is the UN's code, not the letters in "the city council".
    rows = jsonl(tt("claims", "--db", week, "--claimant", "UN"))
    assert {r["claimant"]["code"] for r in rows} == {"UN"}
    assert jsonl(tt("claims", "--db", week, "--claimant", "council"))


def test_conflicts_jsonl(week: str) -> None:
    found = jsonl(tt("conflicts", "--db", week, "--format", "jsonl"))
    assert len(found) == 4
    for c in found:
        assert (c["outcome"], c["victim_country"], c["victim_type"]) == (
            "killed", "RUS", "military")
        assert {c["first"]["claimant_code"], c["second"]["claimant_code"]} == {
            "UKR", "WESTERN"}
        assert c["days_apart"] <= 7


def test_export_every_format(week: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = {fmt: tmp_path / f"claims.{fmt}" for fmt in ("csv", "jsonl", "parquet", "geojson")}
    for fmt, path in out.items():
        result = tt("export", "--db", week, "--format", fmt, "-o", path)
        assert result.stderr.startswith("tolltrack: ")
    with out["csv"].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    lines = [json.loads(line) for line in out["jsonl"].read_text().splitlines()]
    table = pq.read_table(out["parquet"])
    assert len(rows) == len(lines) == table.num_rows == 24
    assert table.schema.field("low").type == "int64"
    assert str(table.schema.field("as_of").type) == "date32[day]"
    assert sorted(table.column("id").to_pylist()) == sorted(r["id"] for r in rows)
    features = json.loads(out["geojson"].read_text())["features"]
    placed = [r for r in rows if r["location_lat"]]
    assert len(features) == len(placed) > 0
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        assert 44 < lat < 53 and 22 < lon < 41  # inside Ukraine
        assert f["properties"]["claimant_text"] is not None


def test_reextract_only_touches_older_versions(week: str) -> None:
    result = tt("reextract", "--db", week)
    assert result.stderr.strip() == (
        "tolltrack: 0 articles re-extracted, 0 claims, 0 rejected")
    result = tt("reextract", "--db", week, "--all")
    assert result.stderr.strip().startswith("tolltrack: 9 articles re-extracted")


def test_stats_table(week: str) -> None:
    out = tt("stats", "--db", week).stdout
    assert "wire copies" in out and "claims: killed" in out


@pytest.mark.parametrize(("db", "reason"), [
    ("mysql://me@host/claims", "tolltrack stores its ledger in SQLite"),
    ("postgresql://me:pw@127.0.0.1:1/claims", "postgresql://me:***@127.0.0.1:1/claims: "),
])
def test_bad_database_urls_are_one_line(db: str, reason: str) -> None:
    for args in (["ingest", EXAMPLE], ["claims"], ["stats"]):
        assert reason in error_line(tt(*args, "--db", db, code=2))


def test_a_query_on_a_missing_ledger_says_so(tmp_path: Path) -> None:
    line = error_line(tt("claims", "--db", tmp_path / "nothing.db", code=2))
    assert "no ledger here yet (tolltrack ingest creates one)" in line
    assert not (tmp_path / "nothing.db").exists()


def test_a_newer_schema_stops_every_command(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    tt("ingest", EXAMPLE, "--db", db)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')")
    for args in (["ingest", EXAMPLE], ["claims"], ["reextract"], ["stats"]):
        line = error_line(tt(*args, "--db", db, code=2))
        assert "written by a newer tolltrack (schema 99" in line


def test_a_read_only_ledger_refuses_ingest_but_answers_queries(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    tt("ingest", EXAMPLE, "--db", db)
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    line = error_line(tt("ingest", WEEK, "--db", read_only, code=2))
    assert line.endswith("the database is read-only")
    assert len(jsonl(tt("claims", "--db", read_only))) == 11


def test_the_db_can_come_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(app, ["ingest", str(EXAMPLE)], env={"TOLLTRACK_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert db.is_file()


def test_a_damaged_ledger_is_one_line_for_every_query(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    tt("ingest", EXAMPLE, "--db", db)
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE articles RENAME TO lost_articles")
    for args in (["claims"], ["stats"], ["timeline"], ["conflicts"],
                 ["export", "--format", "csv", "-o", tmp_path / "out.csv"]):
        line = error_line(tt(*args, "--db", db, code=2))
        assert line.startswith(f"tolltrack: error: sqlite:///{db}: no such table"), args


def test_each_article_of_a_file_is_its_own_reject(tmp_path: Path) -> None:
    path = tmp_path / "same-ids.jsonl"
    path.write_text("".join(json.dumps({"id": "same", "text": f"Report number {n}: police "
                                        f"said {n} people were hurt."}) + "\n"
                            for n in range(3)), encoding="utf-8")
    db = tmp_path / "ledger.db"
    result = tt("ingest", path, "--db", db)
    assert "2 rejected: 2 id taken" in result.stderr
    stats = json.loads(tt("stats", "--db", db, "--format", "jsonl").stdout)
    assert stats["rejects_by_reason"] == {"id_taken": 2}

"""The REST API against a real server over a real ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import TOKEN, serving
from typer.testing import CliRunner

from tolltrack.cli import app

AUTH = {"Authorization": f"Bearer {TOKEN}"}
REPORT = ("KYIV, March 20 - Russian missiles killed at least 14 civilians and injured 40 in "
          "Odesa on Wednesday, the regional governor said.")


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is an error in the one shape, with this status and code."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"status", "code", "message", "param"}
    assert error["status"] == status and error["code"] == code
    assert error["message"] and "\n" not in error["message"]
    return error


def test_claims_page_through_with_a_total(api: httpx.Client) -> None:
    first = api.get("/api/claims", params={"limit": 10}).json()
    assert first["total"] == 27 and len(first["claims"]) == 10 and first["next_offset"] == 10
    rest = api.get("/api/claims", params={"limit": 500, "offset": 10}).json()
    ids = [c["id"] for c in first["claims"] + rest["claims"]]
    assert len(ids) == len(set(ids)) == 27 and rest["next_offset"] is None
    assert {"id", "article_id", "cluster_id", "review", "figure", "mentions"} <= set(
        first["claims"][0])


@pytest.mark.parametrize(("params", "expected"), [
    ({"outcome": "injured"}, {"injured"}),
    ({"outcome": "killed", "victim_country": "Russia"}, {"killed"}),
    ({"claimant": "RUS"}, None),
    ({"search": "chasiv yar"}, None),
])
def test_claims_filter_like_the_command_line(api: httpx.Client, params: dict[str, str],
                                             expected: set[str] | None) -> None:
    body = api.get("/api/claims", params={**params, "limit": 500}).json()
    assert body["claims"], params
    if expected:
        assert {c["outcome"] for c in body["claims"]} == expected
    if "victim_country" in params:
        assert {c["victim"]["country"] for c in body["claims"]} == {"RUS"}
    if "claimant" in params:
        assert {c["claimant"]["code"] for c in body["claims"]} == {"RUS"}
    if "search" in params:
        assert all("chasiv yar" in json.dumps(c).lower() for c in body["claims"])


@pytest.mark.parametrize(("path", "status", "code", "param"), [
    ("/api/claims?since=yesterdayish", 400, "bad_filter", "since"),
    ("/api/claims?outcome=exploded", 400, "bad_filter", "outcome"),
    ("/api/claims?limit=0", 422, "invalid", "limit"),
    ("/api/claims?limit=many", 422, "invalid", "limit"),
    ("/api/claims/no-such-claim", 404, "not_found", None),
    ("/api/articles/no-such-article", 404, "not_found", None),
    ("/api/nothing-here", 404, "not_found", None),
    ("/api/claims/", 404, "not_found", None),
])
def test_every_error_has_the_one_shape(api: httpx.Client, path: str, status: int, code: str,
                                       param: str | None) -> None:
    error = assert_error(api.get(path), status, code)
    assert error.get("param") == param


def test_a_wrong_method_is_an_error_of_the_same_shape(api: httpx.Client) -> None:
    assert_error(api.delete("/api/claims"), 405, "method_not_allowed")


def test_a_claim_comes_with_its_article_cluster_and_evidence(api: httpx.Client) -> None:
    some = api.get("/api/claims", params={"claimant": "RUS"}).json()["claims"][0]
    body = api.get(f"/api/claims/{some['id']}").json()
    assert body["claim"]["id"] == some["id"]
    assert body["article"]["id"] == some["article_id"] and "text" not in body["article"]
    assert body["cluster"]["id"] == some["cluster_id"]
    assert body["reviews"] == [] and body["original"] is None
    assert body["claim"]["mentions"][0]["sentence"]


def test_an_article_gives_offsets_into_its_own_text(api: httpx.Client) -> None:
    body = api.get("/api/articles/wk-01").json()
    text = body["article"]["text"]
    assert body["claims"]
    for claim in body["claims"]:
        for m in claim["mentions"]:
            assert text[m["start"]:m["end"]].strip() in m["sentence"]
            assert claim["figure"]["text"] in text[m["start"]:m["end"]]


def test_series_conflicts_and_stats(api: httpx.Client) -> None:
    series = api.get("/api/series", params={"victim_country": "RUS"}).json()["series"]
    assert series and all(s["victim_country"] == "RUS" for s in series)
    assert all(p["date"] for s in series for p in s["points"])
    body = api.get("/api/conflicts").json()
    conflicts = body["conflicts"]
    assert body["total"] == len(conflicts) and body["next_offset"] is None
    latest = [max(c["first"]["date"], c["second"]["date"]) for c in conflicts]
    assert latest == sorted(latest, reverse=True)
    assert api.get("/api/conflicts", params={"limit": 1}).json()["conflicts"] == conflicts[:1]
    assert conflicts and all(c["days_apart"] <= 7 for c in conflicts)
    stats = api.get("/api/stats").json()
    assert stats["articles"] == 10 and stats["claims"] == 27
    assert stats["reviews"] == {"unreviewed": 27}


def test_extract_reads_text_and_html_and_stores_nothing(api: httpx.Client) -> None:
    before = api.get("/api/stats").json()
    text = api.post("/api/extract", json={"document": REPORT, "date": "2024-03-20"}).json()
    [found] = text["articles"]
    killed = [c for c in found["claims"] if c["outcome"] == "killed"]
    assert killed[0]["figure"]["low"] == 14 and killed[0]["figure"]["qualifier"] == "at_least"
    m = killed[0]["mentions"][0]
    assert "14" in found["article"]["text"][m["start"]:m["end"]]
    page = f"<html><head><title>Odesa</title></head><body><article><p>{REPORT}</p></article>" \
           "</body></html>"
    html = api.post("/api/extract", json={"document": page}).json()
    assert {c["figure"]["low"] for c in html["articles"][0]["claims"]} >= {14, 40}
    assert api.get("/api/stats").json() == before


@pytest.mark.parametrize(("body", "reason"), [
    ({"document": "По словам генштаба Украины, за неделю в боях погибли более двух тысяч "
                  "российских военных."}, "not_english"),
    ({"document": "   \n  "}, "empty"),
])
def test_extract_reports_what_it_cannot_read(api: httpx.Client, body: dict[str, str],
                                             reason: str) -> None:
    r = api.post("/api/extract", json=body)
    assert r.status_code == 200
    assert [x["reason"] for x in r.json()["rejects"]] == [reason]


def test_bodies_over_two_megabytes_are_refused(api: httpx.Client) -> None:
    big = {"document": "x" * (2 * 1024 * 1024 + 1)}
    assert_error(api.post("/api/extract", json=big), 413, "too_large")

    def chunks() -> Any:  # no Content-Length: the limit still holds
        yield b'{"document": "'
        for _ in range(300):
            yield b"y" * 10_000
        yield b'"}'

    r = api.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert_error(r, 413, "too_large")
    assert_error(api.post("/api/extract", json={}), 422, "invalid")


def test_writes_need_the_token(api: httpx.Client, ledger_file: Path) -> None:
    docs = {"documents": [{"document": REPORT, "date": "2024-03-20", "outlet": "Wire"}]}
    assert_error(api.post("/api/ingest", json=docs), 401, "unauthorized")
    wrong = {"Authorization": "Bearer not-the-token"}
    assert_error(api.post("/api/ingest", json=docs, headers=wrong), 401, "unauthorized")
    review = {"verdict": "confirmed"}
    assert_error(api.post("/api/claims/wk-01-1/review", json=review), 401, "unauthorized")
    with serving(str(ledger_file), token=None) as url:
        r = httpx.post(f"{url}/api/ingest", json=docs, headers=AUTH)
        assert_error(r, 403, "read_only")


def test_ingest_stores_once(api: httpx.Client) -> None:
    docs = {"documents": [{"document": REPORT, "date": "2024-03-20", "outlet": "Wire",
                           "id": "odesa-1"}]}
    first = api.post("/api/ingest", json=docs, headers=AUTH).json()
    assert first["stored"] == 1 and first["claims"] >= 2
    again = api.post("/api/ingest", json=docs, headers=AUTH).json()
    assert again["stored"] == 0 and again["skipped"] == 1
    body = api.get("/api/articles/odesa-1").json()
    assert body["article"]["outlet"] == "Wire" and len(body["claims"]) == first["claims"]


def _claim(api: httpx.Client, claim_id: str) -> dict[str, Any]:
    return api.get(f"/api/claims/{claim_id}").json()


def test_a_correction_wins_everywhere_and_the_original_is_kept(
        api: httpx.Client, ledger_file: Path, tmp_path: Path) -> None:
    target = api.get("/api/claims", params={"claimant": "RUS"}).json()["claims"][0]
    cid = target["id"]
    fields = {"low": 9000, "high": 16000, "qualifier": "range", "victim_country": "RUS",
              "scope": "cumulative"}
    r = api.post(f"/api/claims/{cid}/review", headers=AUTH,
                 json={"verdict": "corrected", "fields": fields, "note": "checked the wire",
                       "reviewer": "ana"})
    assert r.status_code == 200, r.text
    assert r.json()["claim"]["figure"]["low"] == 9000
    detail = _claim(api, cid)
    assert detail["claim"]["review"] == "corrected"
    assert detail["original"]["low"] == target["figure"]["low"]
    assert [x["verdict"] for x in detail["reviews"]] == ["corrected"]
    assert detail["reviews"][0]["note"] == "checked the wire"
    listed = api.get("/api/claims", params={"claimant": "RUS", "limit": 500}).json()["claims"]
    assert next(c for c in listed if c["id"] == cid)["figure"]["high"] == 16000
    points = [p for s in api.get("/api/series").json()["series"] for p in s["points"]
              if p["claim_id"] == cid or p["cluster_id"] == detail["claim"]["cluster_id"]]
    assert points and all(p["low"] == 9000 for p in points)
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["export", "--db", str(ledger_file), "--format", "jsonl",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = {c["id"]: c for c in map(json.loads, out.read_text().splitlines())}
    assert exported[cid]["figure"]["low"] == 9000 and exported[cid]["review"] == "corrected"
    # A second review is appended, never replacing the first.
    api.post(f"/api/claims/{cid}/review", headers=AUTH, json={"verdict": "confirmed"})
    detail = _claim(api, cid)
    assert [x["verdict"] for x in detail["reviews"]] == ["corrected", "confirmed"]
    assert detail["claim"]["figure"]["low"] == 9000
    assert detail["original"]["low"] == target["figure"]["low"]


def test_a_rejected_claim_leaves_lists_series_and_counts(api: httpx.Client) -> None:
    cid = api.get("/api/claims", params={"claimant": "RUS"}).json()["claims"][0]["id"]
    total = api.get("/api/claims").json()["total"]
    counted = api.get("/api/stats").json()
    api.post(f"/api/claims/{cid}/review", headers=AUTH, json={"verdict": "rejected"})
    assert api.get("/api/claims").json()["total"] == total - 1
    stats = api.get("/api/stats").json()
    assert stats["claims"] == counted["claims"] - 1
    assert sum(stats["claims_by_outcome"].values()) == stats["claims"]
    rejected = api.get("/api/claims", params={"review": "rejected"}).json()["claims"]
    assert [c["id"] for c in rejected] == [cid]
    assert all(p["claim_id"] != cid for s in api.get("/api/series").json()["series"]
               for p in s["points"])
    assert _claim(api, cid)["cluster"] is None
    assert api.get("/api/stats").json()["reviews"]["rejected"] == 1


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"verdict": "corrected"}, 400, "invalid"),
    ({"verdict": "corrected", "fields": {"low": -3}}, 400, "invalid"),
    ({"verdict": "corrected", "fields": {"low": 900, "high": 100}}, 400, "invalid"),
    ({"verdict": "corrected", "fields": {"evidence": "made up"}}, 400, "invalid"),
    ({"verdict": "confirmed", "fields": {"low": 1}}, 400, "invalid"),
    ({"verdict": "corrected", "fields": {"qualifier": "range"}}, 400, "invalid"),
    ({"verdict": "corrected", "fields": {"low": None, "high": 5}}, 400, "invalid"),
    ({"verdict": "approved"}, 422, "invalid"),
])
def test_a_bad_review_changes_nothing(api: httpx.Client, body: dict[str, Any], status: int,
                                      code: str) -> None:
    before = _claim(api, "wk-01-1")
    assert_error(api.post("/api/claims/wk-01-1/review", headers=AUTH, json=body), status, code)
    assert _claim(api, "wk-01-1") == before


def test_a_review_of_a_missing_claim_is_not_found(api: httpx.Client) -> None:
    r = api.post("/api/claims/nope-1/review", headers=AUTH, json={"verdict": "confirmed"})
    assert_error(r, 404, "not_found")


def test_the_openapi_document_lists_every_route(api: httpx.Client) -> None:
    paths = set(api.get("/openapi.json").json()["paths"])
    assert {"/api/claims", "/api/claims/{claim_id}", "/api/articles/{article_id}",
            "/api/series", "/api/conflicts", "/api/stats", "/api/extract", "/api/ingest",
            "/api/claims/{claim_id}/review"} <= paths
    docs = api.get("/docs")
    assert docs.status_code == 200
    for path in paths:
        assert path in docs.text
    assert "cdn." not in docs.text

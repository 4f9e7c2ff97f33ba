"""The web pages: dashboard, claims, evidence, timeline, conflicts, article,
paste and review queue, rendered on the server from the same library calls
as the API. Jinja2 escapes every value a page shows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from tolltrack.charts import group_label, vega_lite
from tolltrack.comparisons import find_series, point_dict, series_dict
from tolltrack.model import Outcome
from tolltrack.store.queries import (
    ClaimFilter,
    daily_counts,
    evidence_of,
    find_claims,
    stats,
)
from tolltrack.web.api import (
    Filters,
    article_detail,
    claim_detail,
    claim_page,
    conflict_page,
    newest_conflicts,
)
from tolltrack.web.app import HERE
from tolltrack.web.highlight import runs

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
PAGE = 50
QUEUE = 50
TOP_GROUPS = 6


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"outcomes": [str(o) for o in Outcome],
                                                      **context}, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An HTML page for an error met while serving a page."""
    return _render(request, "error.html", status=status, status_code=status, message=message)


def _cached(request: Request, key: Any, compute: Any) -> Any:
    return request.app.state.cache.get(("page", *key), compute)


def _latest_by_group(all_series: list[Any]) -> list[dict[str, Any]]:
    """The most reported victim groups, each with every claimant's latest figure."""
    groups: dict[tuple, list[Any]] = defaultdict(list)
    for s in all_series:
        groups[(s.outcome, s.victim_country, s.victim_type)].append(s)
    ranked = sorted(groups.items(), key=lambda kv: -sum(p.reports for s in kv[1]
                                                        for p in s.points))
    out = []
    for (outcome, country, kind), members in ranked[:TOP_GROUPS]:
        latest = sorted((point_dict(s.points[-1], s.claimant) for s in members),
                        key=lambda p: p["date"] or "", reverse=True)
        out.append({"outcome": outcome, "victim_country": country, "victim_type": kind,
                    "label": group_label(members[0]), "latest": latest})
    return out


def _activity_spec(days: list[dict[str, Any]]) -> dict[str, Any]:
    values = [{"date": d["date"].isoformat(), "what": what, "count": d[what]}
              for d in days for what in ("articles", "claims")]
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "description": "Articles and claims per day", "width": "container", "height": 160,
            "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "date", "type": "temporal", "title": None},
                         "y": {"field": "count", "type": "quantitative", "title": None},
                         "color": {"field": "what", "type": "nominal", "title": None},
                         "tooltip": [{"field": "date", "type": "temporal"},
                                     {"field": "what"}, {"field": "count"}]}}


def _dashboard(request: Request) -> dict[str, Any]:
    ledger = request.app.state.ledger
    all_series = find_series(ledger, ClaimFilter(scopes=("cumulative",)))
    newest = newest_conflicts(request, ClaimFilter(scopes=("cumulative",)))
    return {"stats": stats(ledger).to_dict(), "groups": _latest_by_group(all_series),
            "conflicts": newest[:10],
            "activity": _activity_spec(daily_counts(ledger))}


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    """Articles and claims over time, each claimant's latest figure for the
    most reported victim groups, and the newest conflicts."""
    return _render(request, "dashboard.html", page="dashboard",
                   **_cached(request, ("dashboard",), lambda: _dashboard(request)))


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, filters: Annotated[Filters, Depends()],
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    """The claims table with the filter form; each row links to its evidence."""
    f = filters.claim_filter()
    found = _cached(request, ("claims", f, offset),
                    lambda: claim_page(request, f, PAGE, offset))
    given = {k: v for k, v in filters.given.items() if v}

    def link(at: int) -> str:
        return "/claims?" + urlencode({**given, "offset": at})

    return _render(request, "claims.html", page="claims", given=given, found=found,
                   previous=link(max(0, offset - PAGE)) if offset else None,
                   next=link(found["next_offset"]) if found["next_offset"] else None)


@router.get("/claims/{claim_id:path}", response_class=HTMLResponse)
def claim_evidence(request: Request, claim_id: str) -> Response:
    """One claim: its sentences, fields, article, cluster, reviews and a review form."""
    detail = _cached(request, ("claim", claim_id), lambda: claim_detail(request, claim_id))
    return _render(request, "claim.html", page="claims", d=detail,
                   correctable=_correctable(detail["claim"]))


def _correctable(claim: dict[str, Any]) -> list[tuple[str, Any]]:
    """The claim's correctable fields and their values, for the edit form."""
    fig, victim, who = claim["figure"], claim["victim"], claim["claimant"]
    return [("outcome", claim["outcome"]), ("low", fig["low"]), ("high", fig["high"]),
            ("qualifier", fig["qualifier"]), ("victim_text", victim["text"]),
            ("victim_country", victim["country"]), ("victim_type", victim["type"]),
            ("claimant_text", who["text"]), ("claimant_code", who["code"]),
            ("claimant_type", who["type"]), ("status", claim["status"]),
            ("scope", claim["scope"]), ("as_of", claim["as_of"])]


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request,
             group: Annotated[str | None, Query(max_length=200)] = None,
             outcome: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    """Pick a victim group and outcome; one series per claimant on a chart."""
    ledger = request.app.state.ledger
    all_series = _cached(request, ("series",),
                         lambda: find_series(ledger, ClaimFilter(scopes=("cumulative",))))
    groups = sorted({f"{s.victim_country or '?'} {s.victim_type}" for s in all_series})
    group = group if group in groups else (groups[0] if groups else None)
    kinds = sorted({s.outcome for s in all_series
                    if f"{s.victim_country or '?'} {s.victim_type}" == group})
    outcome = outcome if outcome in kinds else (kinds[0] if kinds else None)
    chosen = [s for s in all_series if s.outcome == outcome
              and f"{s.victim_country or '?'} {s.victim_type}" == group]
    ids = [p.point.id for s in chosen for p in s.points]
    sentences = evidence_of(ledger, ids)
    details = {p.point.id: {"outlet": p.point.outlet or "", "sentence": sentences.get(
        p.point.id, "")} for s in chosen for p in s.points}
    spec = vega_lite(chosen, details) if chosen else None
    if spec:
        spec["spec"]["width"] = "container"
    return _render(request, "timeline.html", page="timeline", groups=groups, group=group,
                   kinds=kinds, outcome=outcome, spec=spec,
                   series=[series_dict(s) for s in chosen])


@router.get("/conflicts", response_class=HTMLResponse)
def conflicts_page(request: Request, filters: Annotated[Filters, Depends()],
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    """Conflicting figures side by side, each with its sentence, newest first,
    a page at a time."""
    f = filters.claim_filter(scope="cumulative")

    def compute() -> dict[str, Any]:
        found = conflict_page(request, f, PAGE, offset)
        shown = [{**c, "first": dict(c["first"]), "second": dict(c["second"])}
                 for c in found["conflicts"]]
        sentences = evidence_of(request.app.state.ledger,
                                [c[side]["claim_id"] for c in shown
                                 for side in ("first", "second")])
        for c in shown:
            for side in ("first", "second"):
                c[side]["sentence"] = sentences.get(c[side]["claim_id"], "")
        return {**found, "conflicts": shown}

    found = _cached(request, ("conflicts", f, offset), compute)
    given = {k: v for k, v in filters.given.items() if v}

    def link(at: int) -> str:
        return "/conflicts?" + urlencode({**given, "offset": at})

    return _render(request, "conflicts.html", page="conflicts", conflicts=found["conflicts"],
                   total=found["total"], given=given,
                   previous=link(max(0, offset - PAGE)) if offset else None,
                   next=link(found["next_offset"]) if found["next_offset"] else None)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    """The article's text with every claim's mentions highlighted by outcome."""
    detail = _cached(request, ("article", article_id),
                     lambda: article_detail(request, article_id))
    found = detail["claims"]
    spans = [(m["start"], m["end"], n) for n, c in enumerate(found) for m in c["mentions"]]
    rejected = [n for n, c in enumerate(found) if c["review"] == "rejected"]
    return _render(request, "article.html", page="claims", article=detail["article"],
                   claims=found, runs=runs(detail["article"]["text"], spans), rejected=rejected)


@router.get("/paste", response_class=HTMLResponse)
def paste(request: Request) -> Response:
    """Paste a text or a page and see its claims highlighted; nothing is stored."""
    return _render(request, "paste.html", page="paste")


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, filters: Annotated[Filters, Depends()]) -> Response:
    """Unreviewed claims, least certain first, with keys to confirm, reject or edit."""
    f = filters.claim_filter(review="unreviewed")
    found = [sc.to_dict() for sc in find_claims(
        request.app.state.ledger, f, QUEUE, least_certain_first=True,
        lexicon_dir=request.app.state.options.lexicon_dir)]
    return _render(request, "review.html", page="review", claims=found,
                   writable=request.app.state.token is not None,
                   today=dt.date.today().isoformat())


def _schema_fields(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of a request body schema (following a $ref), with type and
    whether each is required."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    needed = set(schema.get("required", ()))
    return [{"name": name, "type": _type(field), "required": name in needed,
             "description": field.get("description", "")}
            for name, field in schema.get("properties", {}).items()]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    return str(schema.get("type") or schema.get("format") or "any")


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The REST API's operations, read from the app's own OpenAPI document."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"],
                                "required": p.get("required", False),
                                "type": _type(p.get("schema", {})),
                                "description": p.get("description", "")}
                               for p in op.get("parameters", ())],
                "body": _schema_fields(spec, body["schema"]) if body else [],
                "responses": sorted(op.get("responses", {}))})
    return _render(request, "api_docs.html", page="api", spec=spec, operations=operations)

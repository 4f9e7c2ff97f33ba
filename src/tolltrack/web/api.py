"""The REST API under /api: claims, articles, series, conflicts and stats to
read; extraction, ingestion and reviews to write (the last two with the
bearer token).

Every route is a thin layer over the library: it parses parameters, calls a
store or extract function and shapes the answer. The CachedAnswers middleware
keeps each read's answer until the ledger changes, so routes compute afresh.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import threading
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tolltrack.comparisons import conflict_dict, find_conflicts, find_series, series_dict
from tolltrack.filters import FilterError, claim_filter
from tolltrack.model import Article
from tolltrack.store.queries import (
    ClaimFilter,
    count_claims,
    find_article,
    find_claim,
    find_claims,
    find_cluster,
    stats,
)
from tolltrack.store.reviews import CORRECTABLE, ReviewError, original, review_claim, reviews_of
from tolltrack.web.errors import ApiError, error_body

router = APIRouter(prefix="/api")

MAX_PAGE = 500
MAX_OFFSET = 1_000_000
# spaCy's pipeline is shared by the request threads; one parse at a time.
_EXTRACTING = threading.Lock()


def _error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    example = {"application/json": {"example": error_body(404, "not_found", "…")}}
    return {code: {"description": "an error, in the one error shape", "content": example}
            for code in codes}


class Filters:
    """The claim filters as query parameters, the CLI's words: lists are
    comma-separated, dates take the CLI's forms."""

    def __init__(
        self,
        request: Request,
        outcome: Annotated[str | None, Query(description="killed, injured, … (comma list)",
                                             max_length=200)] = None,
        victim_country: Annotated[str | None, Query(description="ISO alpha-3 code or name",
                                                    max_length=200)] = None,
        victim_type: Annotated[str | None, Query(max_length=200)] = None,
        claimant: Annotated[str | None, Query(description="a code in capitals or words of "
                                                          "the name", max_length=200)] = None,
        status: Annotated[str | None, Query(max_length=200)] = None,
        scope: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[str | None, Query(description="YYYY-MM-DD, YYYY-MM, YYYY, today, "
                                                       "'N days ago'", max_length=40)] = None,
        until: Annotated[str | None, Query(max_length=40)] = None,
        search: Annotated[str | None, Query(max_length=200)] = None,
        review: Annotated[str | None, Query(description="unreviewed, confirmed, corrected, "
                                                        "rejected (default: all but rejected)",
                                            max_length=100)] = None,
    ) -> None:
        self.lexicon_dir = request.app.state.options.lexicon_dir
        self.given = {"outcome": outcome, "victim_country": victim_country,
                      "victim_type": victim_type, "claimant": claimant, "status": status,
                      "scope": scope, "since": since, "until": until, "search": search,
                      "review": review}

    def claim_filter(self, **fixed: str) -> ClaimFilter:
        """The ClaimFilter, or a 400 naming the parameter and the accepted forms."""
        try:
            return claim_filter(lexicon_dir=self.lexicon_dir, **{**self.given, **fixed})
        except FilterError as exc:
            raise ApiError(400, "bad_filter", f"{exc.name}: {exc}", param=exc.name) from None


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False, default=_plain),
                    media_type="application/json", status_code=status)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")



def claim_page(request: Request, f: ClaimFilter, limit: int, offset: int) -> dict[str, Any]:
    """One page of claims with the total: ``{"total", "limit", "offset",
    "next_offset", "claims"}``."""
    ledger = request.app.state.ledger
    found = [sc.to_dict() for sc in find_claims(ledger, f, limit, offset)]
    total = count_claims(ledger, f)
    after = offset + len(found)
    return {"total": total, "limit": limit, "offset": offset,
            "next_offset": after if after < total else None, "claims": found}


@router.get("/claims", summary="Claims matching the filters, a page at a time",
            responses=_error_responses(400, 422))
def list_claims(request: Request, filters: Annotated[Filters, Depends()],
                limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> Response:
    """Claims in the CLI's order (oldest claim date first), each in the spec's
    shape plus ``id``, ``cluster_id`` and ``review``, with the total count."""
    f = filters.claim_filter()
    return _json(claim_page(request, f, limit, offset))


def claim_detail(request: Request, claim_id: str) -> dict[str, Any]:
    """A claim with its article's details, its cluster, its review log and,
    when corrected, its fields as first extracted. Raises a 404 ApiError."""
    ledger = request.app.state.ledger
    sc = find_claim(ledger, claim_id)
    if sc is None:
        raise ApiError(404, "not_found", f"no claim {claim_id!r} in the ledger")
    article = find_article(ledger, sc.claim.article_id or "") or {}
    article.pop("text", None)
    article.pop("furniture", None)
    return {"claim": sc.to_dict(), "article": article,
            "cluster": find_cluster(ledger, sc.cluster_id) if sc.cluster_id else None,
            "reviews": [r.to_dict() for r in reviews_of(ledger, claim_id)],
            "original": original(ledger, claim_id)}


@router.get("/claims/{claim_id:path}", summary="One claim with its evidence",
            responses=_error_responses(404))
def get_claim(request: Request, claim_id: str) -> Response:
    """The claim (with every mention's sentence and offsets), its article's
    title, date, outlet and url, its cluster, and its reviews."""
    return _json(claim_detail(request, claim_id))


def article_detail(request: Request, article_id: str) -> dict[str, Any]:
    """A stored article (its text and details) and all its claims, rejected
    ones included. Raises a 404 ApiError."""
    ledger = request.app.state.ledger
    article = find_article(ledger, article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article {article_id!r} in the ledger")
    every = ("unreviewed", "confirmed", "corrected", "rejected")
    found = find_claims(ledger, ClaimFilter(article_id=article_id, reviews=every))
    return {"article": article, "claims": sorted((sc.to_dict() for sc in found),
                                                 key=lambda c: c["id"])}


@router.get("/articles/{article_id:path}", summary="An article's text and its claims",
            responses=_error_responses(404))
def get_article(request: Request, article_id: str) -> Response:
    """The article's stored text with each claim's mention offsets into it."""
    return _json(article_detail(request, article_id))


@router.get("/series", summary="Each claimant's cumulative figures over time",
            responses=_error_responses(400, 422))
def get_series(request: Request, filters: Annotated[Filters, Depends()]) -> Response:
    """Series of cumulative claims (one point per cluster) for the filters."""
    f = filters.claim_filter(scope="cumulative")
    return _json({"series": [series_dict(s) for s in find_series(request.app.state.ledger, f)]})


@router.get("/conflicts", summary="Claimants whose figures cannot both be true",
            responses=_error_responses(400, 422))
def get_conflicts(request: Request, filters: Annotated[Filters, Depends()],
                  limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
                  offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> Response:
    """Pairs of cumulative figures for one group, within 7 days, whose ranges
    do not overlap: newest first, a page at a time, with the total."""
    f = filters.claim_filter(scope="cumulative")
    return _json(conflict_page(request, f, limit, offset))


def newest_conflicts(request: Request, f: ClaimFilter) -> list[dict[str, Any]]:
    """Every conflict the filter keeps, as dicts, the most recent first (by the
    later of its two dates)."""
    def compute() -> list[dict[str, Any]]:
        found = find_conflicts(request.app.state.ledger, f)
        found.sort(key=lambda c: max(c.first.point.date, c.second.point.date), reverse=True)
        return [conflict_dict(c) for c in found]
    return request.app.state.cache.get(("all conflicts", f), compute)


def conflict_page(request: Request, f: ClaimFilter, limit: int, offset: int
                  ) -> dict[str, Any]:
    """One page of conflicts: ``{"total", "limit", "offset", "next_offset",
    "conflicts"}``."""
    every = newest_conflicts(request, f)
    after = min(offset + limit, len(every))
    return {"total": len(every), "limit": limit, "offset": offset,
            "next_offset": after if after < len(every) else None,
            "conflicts": every[offset:after]}


@router.get("/stats", summary="What the ledger holds")
def get_stats(request: Request) -> Response:
    """Counts of articles, claims by outcome and review, clusters and rejects."""
    return _json(stats(request.app.state.ledger).to_dict())


class Document(BaseModel):
    """A document to read: its text or HTML (told apart by content, as files
    are) and what is known of it. Nothing is fetched: ``url`` is a label."""

    document: str = Field(min_length=1, description="plain text, or an HTML page")
    title: str | None = Field(None, max_length=1000)
    date: dt.date | None = Field(None, description="the article's date, YYYY-MM-DD")
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)
    id: str | None = Field(None, min_length=1, max_length=200)


class Documents(BaseModel):
    """Documents to store, up to 100 a request."""

    documents: list[Document] = Field(min_length=1, max_length=100)


def _articles(request: Request, doc: Document, name: str) -> list[Any]:
    """The Articles (or Rejects) in one posted document, with its given details."""
    from tolltrack.ingest import read_document

    out = []
    for item in read_document(name, doc.document.encode("utf-8"),
                              request.app.state.read_options):
        if isinstance(item, Article):
            given = {k: v for k, v in (("title", doc.title), ("outlet", doc.outlet),
                                       ("url", doc.url), ("id", doc.id)) if v}
            if doc.date:
                given |= {"date": doc.date, "date_source": "given"}
            item = replace(item, **given)
        out.append(item)
    return out


@router.post("/extract", summary="Claims in a posted text or page; nothing is stored",
             responses=_error_responses(413, 422))
def post_extract(request: Request, doc: Document) -> Response:
    """Reads the document as the CLI reads a file and extracts its claims.
    Returns ``{"articles": [{"article": …, "claims": […]}], "rejects": […]}``:
    the article's text is the text the mention offsets point into."""
    from tolltrack.extract import extract
    from tolltrack.ingest import Reject, not_extractable

    options = request.app.state.options
    found: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    for item in _articles(request, doc, "request"):
        if isinstance(item, Reject):
            rejects.append({"reason": item.reason, "message": item.message})
            continue
        skip = not_extractable(item)
        if skip is not None:
            rejects.append({"reason": skip.reason, "message": skip.message})
            continue
        with _EXTRACTING:
            claims = extract(item, options)
        found.append({"article": item.to_dict(), "claims": [c.to_dict() for c in claims]})
    return _json({"articles": found, "rejects": rejects})


def need_token(request: Request) -> None:
    """Let a write through only with the server's bearer token in the
    Authorization header; a server started without a token is read-only."""
    token = request.app.state.token
    if not token:
        raise ApiError(403, "read_only", "this server is read-only: start it with "
                                         "TOLLTRACK_TOKEN set to allow writes")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(),
                                                             token.encode()):
        raise ApiError(401, "unauthorized", "a write needs the header 'Authorization: "
                                            "Bearer <token>' with the server's token",
                       headers={"WWW-Authenticate": "Bearer"})


@router.post("/ingest", summary="Store documents and their claims (token needed)",
             dependencies=[Depends(need_token)], responses=_error_responses(401, 403, 413, 422))
def post_ingest(request: Request, body: Documents) -> Response:
    """Reads, extracts and stores the documents like ``tolltrack ingest``:
    already stored texts are skipped, rejects are stored. Returns the run's
    report."""
    from tolltrack.ledger import ingest_items

    items = [item for n, doc in enumerate(body.documents, start=1)
             for item in _articles(request, doc, f"request#{n}")]
    rejects: list[dict[str, Any]] = []
    with _EXTRACTING:
        report = ingest_items(request.app.state.ledger, items, request.app.state.options,
                              sources=["api"], on_reject=lambda r: rejects.append(
                                  {"source": r.source, "reason": r.reason,
                                   "message": r.message}))
    return _json({"run_id": report.run_id, "stored": report.stored,
                  "skipped": report.skipped, "claims": report.claims,
                  "rejects": rejects, "summary": report.summary()})


class ReviewBody(BaseModel):
    """A review: the verdict, the corrected fields (only with ``corrected``),
    a note and who reviewed."""

    verdict: Literal["confirmed", "corrected", "rejected"]
    fields: dict[str, Any] | None = Field(
        None, description="with 'corrected': the corrected columns, of "
                          + ", ".join(CORRECTABLE))
    note: str = Field("", max_length=2000)
    reviewer: str | None = Field(None, max_length=200)


@router.post("/claims/{claim_id:path}/review", summary="Confirm, reject or correct a claim "
             "(token needed)", dependencies=[Depends(need_token)],
             responses=_error_responses(400, 401, 403, 404, 413, 422))
def post_review(request: Request, claim_id: str, body: ReviewBody) -> Response:
    """Appends the review to the claim's log; the reviewed values then show in
    every query, export and page. Returns the log entry and the claim."""
    ledger = request.app.state.ledger
    try:
        entry = review_claim(ledger, claim_id, body.verdict, body.fields, body.note,
                             body.reviewer)
    except ReviewError as exc:
        status = 404 if exc.code == "not_found" else 400
        raise ApiError(status, exc.code, str(exc)) from None
    sc = find_claim(ledger, claim_id)
    return _json({"review": entry.to_dict(), "claim": sc.to_dict() if sc else None})

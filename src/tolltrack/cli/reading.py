"""`tolltrack read` and `tolltrack extract`: sources to articles, articles to claims."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tolltrack.cli.common import (
    CleanOpt,
    DateField,
    DateOpt,
    FollowOpt,
    IdField,
    Intake,
    LexiconOpt,
    ModelOpt,
    OfflineOpt,
    OutFormat,
    ReadFormat,
    RejectsOpt,
    SourcesArg,
    TextField,
    TitleField,
    UrlField,
    app,
    extract_options,
    fail,
    reading_options,
)
from tolltrack.model import Figure
from tolltrack.options import DEFAULT_MODEL


@app.command()
def read(
    sources: SourcesArg = None,
    date: DateOpt = None,
    fmt: Annotated[ReadFormat | None, typer.Option(
        "--format", help="table (default on a terminal) or jsonl (default otherwise).")] = None,
    rejects: RejectsOpt = None,
    follow_links: FollowOpt = False,
    offline: OfflineOpt = False,
    clean: CleanOpt = None,
    text_field: TextField = None,
    id_field: IdField = None,
    date_field: DateField = None,
    title_field: TitleField = None,
    url_field: UrlField = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Read the sources and print the clean articles: id, title, date, outlet, url,
    language, source and text."""
    options = reading_options(date, follow_links, offline, clean, lexicon, {
        "text": text_field, "id": id_field, "date": date_field, "title": title_field,
        "url": url_field})
    fmt = fmt or (ReadFormat.table if sys.stdout.isatty() else ReadFormat.jsonl)
    from tolltrack.lexicon import LexiconError

    intake = Intake(sources, options, rejects)
    rows = []
    try:
        for article in intake.articles():
            intake.tally.add(article)
            if fmt is ReadFormat.jsonl:
                typer.echo(json.dumps(article.to_dict(), ensure_ascii=False))
            else:
                rows.append(article)
    except LexiconError as exc:
        intake.close(summary=False)
        raise fail(str(exc)) from None
    intake.close()
    if fmt is ReadFormat.table:
        _print_articles(rows)
    if intake.fatal:
        raise typer.Exit(2)


def _print_articles(articles: list[Any]) -> None:
    console = Console(markup=False, highlight=False)
    if not articles:
        console.print("No articles read.")
        return
    table = Table()
    for name in ("id", "date", "language", "outlet", "title", "words", "source"):
        table.add_column(name, overflow="fold")
    for a in articles:
        table.add_row(a.id, str(a.date or ""), a.language or "", a.outlet or "", a.title or "",
                      str(len(a.text.split())), a.source or "")
    console.print(table)


@app.command()
def extract(
    sources: SourcesArg = None,
    date: DateOpt = None,
    fmt: Annotated[OutFormat | None, typer.Option(
        "--format", help="table (default on a terminal), jsonl (default otherwise) or json.")
    ] = None,
    rejects: RejectsOpt = None,
    follow_links: FollowOpt = False,
    offline: OfflineOpt = False,
    clean: CleanOpt = None,
    text_field: TextField = None,
    id_field: IdField = None,
    date_field: DateField = None,
    title_field: TitleField = None,
    url_field: UrlField = None,
    model: ModelOpt = DEFAULT_MODEL,
    lexicon: LexiconOpt = None,
) -> None:
    """Find every casualty claim in the given articles and print them.

    Articles in a language other than English are skipped, with the reason
    recorded: English is the only language tolltrack extracts from.
    """
    from tolltrack.extract import iter_extract
    from tolltrack.extract.parse import ModelError
    from tolltrack.ingest import Reject, not_extractable
    from tolltrack.lexicon import LexiconError

    read_options = reading_options(date, follow_links, offline, clean, lexicon, {
        "text": text_field, "id": id_field, "date": date_field, "title": title_field,
        "url": url_field})
    options = extract_options(model, lexicon, read_options.date)
    fmt = fmt or (OutFormat.table if sys.stdout.isatty() else OutFormat.jsonl)
    intake = Intake(sources, read_options, rejects)
    articles = 0
    broken = False

    def english() -> Any:
        nonlocal articles
        for article in intake.articles():
            skip = not_extractable(article)
            if skip is not None:
                intake.reject(skip)
                continue
            articles += 1
            intake.tally.add(article)
            yield article

    def report(article: Any, exc: Exception) -> None:
        nonlocal broken
        broken = True
        intake.reject(Reject(article.source or article.id, "extraction_failed",
                             f"article {article.id}: extraction failed "
                             f"({type(exc).__name__}: {exc})"))

    rows: list[dict[str, Any]] = []
    found = 0
    try:
        for claims in iter_extract(english(), options, on_error=report):
            for claim in claims:
                found += 1
                row = claim.to_dict()
                if fmt is OutFormat.jsonl:
                    typer.echo(json.dumps(row, ensure_ascii=False))
                else:
                    rows.append(row)
    except (ModelError, LexiconError) as exc:
        intake.close(summary=False)
        raise fail(str(exc)) from None
    intake.close(extra=f"{found} claim{'' if found == 1 else 's'}")
    if fmt is OutFormat.json:
        typer.echo(json.dumps({"articles": articles, "claims": rows}, ensure_ascii=False,
                              indent=2))
    elif fmt is OutFormat.table:
        _print_claims(rows)
    if intake.fatal:
        raise typer.Exit(2)
    if broken:
        raise typer.Exit(1)


def _print_claims(rows: list[dict[str, Any]]) -> None:
    # Article text may hold "[/b]" and the like: print it as text, never as markup.
    console = Console(markup=False, highlight=False)
    if not rows:
        console.print("No casualty claims found.")
        return
    table = Table(show_lines=False)
    for name in ("article", "outcome", "figure", "victim", "claimant", "status", "scope",
                 "place", "evidence"):
        table.add_column(name, overflow="fold")
    for row in rows:
        claimant = row["claimant"]
        who = claimant["text"] or "(the outlet)"
        if claimant["code"]:
            who += f" [{claimant['code']}]"
        victim = row["victim"]
        status = row["status"] + (", unverified" if row["unverified"] else "")
        place = row["location"]["text"] if row["location"] else ""
        figure = Figure.from_dict(row["figure"]).words()
        table.add_row(str(row["article_id"]), row["outcome"], figure,
                      f"{victim['text']} ({victim['type']}"
                      f"{', ' + victim['country'] if victim['country'] else ''})",
                      who, status, row["scope"], place, row["mentions"][0]["sentence"])
    console.print(table)

"""The `tolltrack` command: thin wrappers that parse options, call the library, print."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tolltrack import __version__
from tolltrack.model import parse_date
from tolltrack.options import DEFAULT_MODEL, Options

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract, store and compare casualty claims from news articles.")
err = Console(stderr=True)


class OutFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def _fail(message: str) -> typer.Exit:
    """Print one line on stderr and give the exit that stops the command (code 2)."""
    err.print(f"tolltrack: error: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise _fail(f"--date {value!r} is not a YYYY-MM-DD date") from None


ModelOpt = Annotated[str, typer.Option("--model", help="spaCy pipeline package to parse with.")]
LexiconOpt = Annotated[Path | None, typer.Option(
    "--lexicon", help="Folder of lexicon JSON files overriding the packaged ones.",
    file_okay=False)]


def _options(model: str, lexicon: Path | None, date: dt.date | None = None) -> Options:
    if lexicon is not None and not lexicon.is_dir():
        raise _fail(f"--lexicon {lexicon}: no such folder")
    return Options(model=model, lexicon_dir=str(lexicon) if lexicon else None, default_date=date)


@app.callback(invoke_without_command=True)
def main(version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False
         ) -> None:
    """Extract, store and compare casualty claims from news articles."""
    if version:
        typer.echo(__version__)
        raise typer.Exit()


@app.command()
def extract(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Files (.txt, .html, .jsonl) or - for standard input.")] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="Article date (YYYY-MM-DD) for text that has none.")] = None,
    fmt: Annotated[OutFormat | None, typer.Option(
        "--format", help="table (default on a terminal), jsonl (default otherwise) or json.")
    ] = None,
    model: ModelOpt = DEFAULT_MODEL,
    lexicon: LexiconOpt = None,
) -> None:
    """Find every casualty claim in the given articles and print them."""
    from tolltrack.extract import iter_extract
    from tolltrack.extract.parse import ModelError
    from tolltrack.ingest import Reject, read_sources
    from tolltrack.lexicon import LexiconError

    options = _options(model, lexicon, _parse_date(date))
    fmt = fmt or (OutFormat.table if sys.stdout.isatty() else OutFormat.jsonl)
    failed = False
    articles = []

    def good() -> Any:
        nonlocal failed
        for item in read_sources(sources or ["-"], options.default_date):
            if isinstance(item, Reject):
                err.print(f"tolltrack: {'error' if item.fatal else 'skipped'}: {item}",
                          markup=False, highlight=False, soft_wrap=True)
                failed = failed or item.fatal
                continue
            articles.append(item)
            yield item

    rows: list[dict[str, Any]] = []
    broken = False

    def report(article: Any, exc: Exception) -> None:
        nonlocal broken
        broken = True
        err.print(f"tolltrack: skipped: {article.source or article.id}: {article.id}: "
                  f"extraction failed ({type(exc).__name__}: {exc})",
                  markup=False, highlight=False, soft_wrap=True)

    try:
        for claims in iter_extract(good(), options, on_error=report):
            for claim in claims:
                row = claim.to_dict()
                if fmt is OutFormat.jsonl:
                    typer.echo(json.dumps(row, ensure_ascii=False))
                else:
                    rows.append(row)
    except (ModelError, LexiconError) as exc:
        raise _fail(str(exc)) from None
    if fmt is OutFormat.json:
        typer.echo(json.dumps({"articles": len(articles), "claims": rows}, ensure_ascii=False,
                              indent=2))
    elif fmt is OutFormat.table:
        _print_claims(rows)
    if failed:
        raise typer.Exit(2)
    if broken:
        raise typer.Exit(1)


def _figure_words(row: dict[str, Any]) -> str:
    fig = row["figure"]
    low, high, qual = fig["low"], fig["high"], fig["qualifier"]
    if low is None:
        return f"{fig['text']} (no number)"
    if qual == "range" or (qual == "vague" and high not in (None, low)):
        return f"{low:,}\u2013{high:,}" if high is not None else f"{low:,}+"
    prefix = {"at_least": "≥ ", "at_most": "≤ ", "approx": "~ "}.get(qual, "")
    return f"{prefix}{low:,}"


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
        table.add_row(str(row["article_id"]), row["outcome"], _figure_words(row),
                      f"{victim['text']} ({victim['type']}"
                      f"{', ' + victim['country'] if victim['country'] else ''})",
                      who, status, row["scope"], place, row["mentions"][0]["sentence"])
    console.print(table)


@app.command(name="eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL file (claims or counts).")],
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table or json.")] = EvalFormat.table,
    show_errors: Annotated[bool, typer.Option(
        "--show-errors", help="List misses, false alarms and attribute mismatches.")] = False,
    model: ModelOpt = DEFAULT_MODEL,
    lexicon: LexiconOpt = None,
) -> None:
    """Score the extractor against a gold file, as spec/claims.md's Scoring section says."""
    from tolltrack.evaluate import GoldError, evaluate_file
    from tolltrack.extract.parse import ModelError
    from tolltrack.lexicon import LexiconError

    if not gold.is_file():
        raise _fail(f"{gold}: no such file")
    try:
        report = evaluate_file(gold, _options(model, lexicon))
    except (GoldError, ModelError, LexiconError) as exc:
        raise _fail(str(exc)) from None
    data = report.to_dict(errors=show_errors)
    if fmt is EvalFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_report(data)


def _print_report(data: dict[str, Any]) -> None:
    console = Console(markup=False, highlight=False)
    if "datasets" in data:
        table = Table(title="Count hit rates")
        for name in ("dataset", "outcome", "n", "hits", "rate"):
            table.add_column(name)
        for dataset, outcomes in data["datasets"].items():
            for outcome, s in outcomes.items():
                table.add_row(dataset, outcome, str(s["n"]), str(s["hits"]), str(s["rate"]))
        console.print(table)
    else:
        console.print(f"claims: P={data['precision']} R={data['recall']} F1={data['f1']} "
                      f"(tp={data['tp']} pred={data['pred']} gold={data['gold']})")
        table = Table(title="Attribute accuracy over matched claims")
        table.add_column("attribute")
        table.add_column("accuracy")
        table.add_column("n")
        for name, s in data["attributes"].items():
            table.add_row(name, str(s["accuracy"]), str(s["n"]))
        console.print(table)
    if "errors" in data:
        console.print_json(json.dumps(data["errors"], ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    app()

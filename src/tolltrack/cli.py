"""The `tolltrack` command: thin wrappers that parse options, call the library, print."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tolltrack import __version__
from tolltrack.model import parse_date
from tolltrack.options import DEFAULT_MODEL, Fields, Options, ReadOptions

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract, store and compare casualty claims from news articles.")
err = Console(stderr=True)


class OutFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


class ReadFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


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


SourcesArg = Annotated[list[str] | None, typer.Argument(
    help="Files, folders (read recursively), glob patterns, http(s) URLs, or - for "
         "standard input. Text, HTML, RSS/Atom, WARC, JSONL and CSV, plain or "
         ".gz/.bz2/.xz/.zst; the kind is told from the content.")]
DateOpt = Annotated[str | None, typer.Option(
    "--date", help="Date (YYYY-MM-DD) for articles that carry none.")]
RejectsOpt = Annotated[Path | None, typer.Option(
    "--rejects", help="Write every input that gave no article to this JSONL file.",
    dir_okay=False)]
FollowOpt = Annotated[bool, typer.Option(
    "--follow-links", help="For feed entries, fetch and read the linked page.")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Never use the network.")]
CleanOpt = Annotated[bool | None, typer.Option(
    "--clean/--no-clean", help="Drop page-furniture lines (captions, 'Read more', widgets). "
    "Default: on for pages, feeds, archives and text; off for JSONL/CSV records.",
    show_default=False)]


def _field_opt(name: str, default: tuple[str, ...]) -> Any:
    return typer.Option(f"--{name}-field", help=f"JSONL/CSV field(s) holding the {name}, "
                        f"comma-separated, first found wins [default: {','.join(default)}].",
                        show_default=False)


_FIELDS = Fields()
TextField = Annotated[str | None, _field_opt("text", _FIELDS.text)]
IdField = Annotated[str | None, _field_opt("id", _FIELDS.id)]
DateField = Annotated[str | None, _field_opt("date", _FIELDS.date)]
TitleField = Annotated[str | None, _field_opt("title", _FIELDS.title)]
UrlField = Annotated[str | None, _field_opt("url", _FIELDS.url)]


def _read_options(given_date: str | None, follow_links: bool, offline: bool,
                  clean: bool | None, lexicon: Path | None, fields: dict[str, str | None]
                  ) -> ReadOptions:
    chosen = {name: tuple(n.strip() for n in value.split(",") if n.strip())
              for name, value in fields.items() if value is not None}
    for name, names in chosen.items():
        if not names:
            raise _fail(f"--{name}-field needs a field name")
    if lexicon is not None and not lexicon.is_dir():
        raise _fail(f"--lexicon {lexicon}: no such folder")
    return ReadOptions(date=_parse_date(given_date), fields=replace(_FIELDS, **chosen),
                       follow_links=follow_links, offline=offline, clean=clean,
                       lexicon_dir=str(lexicon) if lexicon else None)


class _Intake:
    """Reads the sources for a command: reports each reject on stderr (and in the
    --rejects file), shows a progress bar on a terminal, and tallies for the
    summary line."""

    def __init__(self, sources: list[str] | None, options: ReadOptions,
                 rejects: Path | None) -> None:
        from tolltrack.ingest import Tally

        self.sources = sources or ["-"]
        self.options = options
        self.tally = Tally()
        self.fatal = False
        self.out: Any = None
        if rejects is not None:
            try:
                self.out = rejects.open("w", encoding="utf-8")
            except OSError as exc:
                raise _fail(f"--rejects {rejects}: {exc.strerror or 'cannot be written'}"
                            ) from None

    def reject(self, item: Any) -> None:
        """Record one reject: count it, print it, write it to the rejects file."""
        self.tally.add(item)
        self.fatal = self.fatal or item.fatal
        err.print(f"tolltrack: {'error' if item.fatal else 'skipped'}: {item}",
                  markup=False, highlight=False, soft_wrap=True)
        if self.out is not None:
            self.out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")

    def articles(self) -> Any:
        """The articles read, one at a time; rejects are recorded on the way. The
        caller counts the articles it keeps with ``tally.add``."""
        from rich.progress import Progress, SpinnerColumn, TextColumn

        from tolltrack.ingest import Reject, read_sources

        progress = Progress(SpinnerColumn(), TextColumn("reading: {task.completed} articles"),
                            console=err, transient=True, disable=not err.is_terminal)
        with progress:
            task = progress.add_task("read", total=None)
            for item in read_sources(self.sources, self.options):
                if isinstance(item, Reject):
                    self.reject(item)
                    continue
                progress.advance(task)
                yield item

    def close(self, extra: str = "", summary: bool = True) -> None:
        """Print the summary line (``extra`` goes after the article count) and close
        the rejects file."""
        if summary:
            line = self.tally.summary()
            if extra:
                head, _, tail = line.partition(", ")
                line = f"{head}, {extra}, {tail}"
            err.print(f"tolltrack: {line}", markup=False, highlight=False, soft_wrap=True)
        if self.out is not None:
            self.out.close()


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
    options = _read_options(date, follow_links, offline, clean, lexicon, {
        "text": text_field, "id": id_field, "date": date_field, "title": title_field,
        "url": url_field})
    fmt = fmt or (ReadFormat.table if sys.stdout.isatty() else ReadFormat.jsonl)
    from tolltrack.lexicon import LexiconError

    intake = _Intake(sources, options, rejects)
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
        raise _fail(str(exc)) from None
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

    read_options = _read_options(date, follow_links, offline, clean, lexicon, {
        "text": text_field, "id": id_field, "date": date_field, "title": title_field,
        "url": url_field})
    options = _options(model, lexicon, read_options.date)
    fmt = fmt or (OutFormat.table if sys.stdout.isatty() else OutFormat.jsonl)
    intake = _Intake(sources, read_options, rejects)
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
        raise _fail(str(exc)) from None
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

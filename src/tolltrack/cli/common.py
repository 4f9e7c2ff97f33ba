"""What every `tolltrack` command shares: the app, option types, error exits and
the reader intake with its progress bar and summary line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from tolltrack import __version__
from tolltrack.model import parse_date
from tolltrack.options import Fields, Options, ReadOptions

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract, store and compare casualty claims from news articles.")
err = Console(stderr=True)


class OutFormat(StrEnum):
    """Output of `extract`."""

    table = "table"
    jsonl = "jsonl"
    json = "json"


class ReadFormat(StrEnum):
    """Output of `read` and `stats`."""

    table = "table"
    jsonl = "jsonl"


class EvalFormat(StrEnum):
    """Output of `eval`."""

    table = "table"
    json = "json"


def fail(message: str) -> typer.Exit:
    """Print one line on stderr and give the exit that stops the command (code 2)."""
    err.print(f"tolltrack: error: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def date_option(value: str | None) -> dt.date | None:
    """The --date value as a date (None when not given), or the one-line error exit."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise fail(f"--date {value!r} is not a YYYY-MM-DD date") from None


ModelOpt = Annotated[str, typer.Option("--model", help="spaCy pipeline package to parse with.")]
LexiconOpt = Annotated[Path | None, typer.Option(
    "--lexicon", help="Folder of lexicon JSON files overriding the packaged ones.",
    file_okay=False)]


def extract_options(model: str, lexicon: Path | None, date: dt.date | None = None) -> Options:
    """Extraction Options from --model, --lexicon and a date, or the error exit."""
    if lexicon is not None and not lexicon.is_dir():
        raise fail(f"--lexicon {lexicon}: no such folder")
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


def reading_options(given_date: str | None, follow_links: bool, offline: bool,
                    clean: bool | None, lexicon: Path | None, fields: dict[str, str | None]
                    ) -> ReadOptions:
    """ReadOptions from the read flags (``fields`` maps text/id/date/title/url to
    the comma-separated --*-field values), or the one-line error exit."""
    chosen = {name: tuple(n.strip() for n in value.split(",") if n.strip())
              for name, value in fields.items() if value is not None}
    for name, names in chosen.items():
        if not names:
            raise fail(f"--{name}-field needs a field name")
    if lexicon is not None and not lexicon.is_dir():
        raise fail(f"--lexicon {lexicon}: no such folder")
    return ReadOptions(date=date_option(given_date), fields=replace(_FIELDS, **chosen),
                       follow_links=follow_links, offline=offline, clean=clean,
                       lexicon_dir=str(lexicon) if lexicon else None)


class Intake:
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
                raise fail(f"--rejects {rejects}: {exc.strerror or 'cannot be written'}"
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


DbOpt = Annotated[str | None, typer.Option(
    "--db", envvar="TOLLTRACK_DB", show_default=False,
    help="The ledger: a SQLite file path or sqlite:///PATH, or postgresql://USER@HOST/DB "
         "[default: ./tolltrack.db; env TOLLTRACK_DB].")]


def open_or_fail(db: str | None, create: bool = False) -> Any:
    """The ledger named by --db, or the one-line error exit."""
    from tolltrack.store import LedgerError, open_ledger

    try:
        return open_ledger(db, create=create)
    except LedgerError as exc:
        raise fail(str(exc)) from None


@contextmanager
def reading_ledger(db: str | None) -> Iterator[Any]:
    """The ledger named by --db, open for reading, closed afterwards. A database
    error while reading it (a corrupt or locked file, a dropped connection)
    becomes the one-line error exit."""
    from sqlalchemy.exc import DBAPIError

    from tolltrack.store.connection import database_reason

    ledger = open_or_fail(db)
    try:
        yield ledger
    except DBAPIError as exc:
        raise fail(f"{ledger.name}: {database_reason(exc)}") from None
    finally:
        ledger.close()

"""`tolltrack ingest`, `reextract` and `stats`: filling the ledger and counting it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tolltrack.cli.common import (
    CleanOpt,
    DateField,
    DateOpt,
    DbOpt,
    FollowOpt,
    IdField,
    Intake,
    LexiconOpt,
    ModelOpt,
    OfflineOpt,
    ReadFormat,
    RejectsOpt,
    SourcesArg,
    TextField,
    TitleField,
    UrlField,
    app,
    err,
    extract_options,
    fail,
    open_or_fail,
    reading_ledger,
    reading_options,
)
from tolltrack.options import DEFAULT_MODEL, ReadOptions

BatchOpt = Annotated[int, typer.Option(
    "--batch-size", min=1, help="Articles stored per transaction.")]


def _progress(verb: str) -> Any:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn(f"{verb}: {{task.fields[line]}}"), console=err,
                    transient=True, disable=not err.is_terminal)


def _run(intake: Intake, ledger: Any, work: Any, verb: str) -> Any:
    """Run an ingest or reextract with a progress line; print the summary; turn
    ledger errors and Ctrl-C into one line and an exit code."""
    from tolltrack.batch.errors import BatchError
    from tolltrack.extract.parse import ModelError
    from tolltrack.lexicon import LexiconError
    from tolltrack.store import LedgerError

    progress = _progress(verb)
    task = progress.add_task(verb, total=None, line="starting")

    def stored(report: Any) -> None:
        progress.update(task, line=report.summary())

    try:
        with progress:
            report = work(stored)
    except KeyboardInterrupt:
        intake.close(summary=False)
        err.print(f"tolltrack: interrupted; the batches committed so far are stored in "
                  f"{ledger.name}; run the command again to finish", markup=False,
                  highlight=False, soft_wrap=True)
        raise typer.Exit(130) from None
    except (LedgerError, ModelError, LexiconError, BatchError) as exc:
        intake.close(summary=False)
        raise fail(str(exc)) from None
    finally:
        ledger.close()
    intake.close(summary=False)
    err.print(f"tolltrack: {report.summary()}", markup=False, highlight=False,
              soft_wrap=True)
    if intake.fatal:
        raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)
    return report


@app.command()
def ingest(
    ctx: typer.Context,
    sources: SourcesArg = None,
    db: DbOpt = None,
    date: DateOpt = None,
    rejects: RejectsOpt = None,
    follow_links: FollowOpt = False,
    offline: OfflineOpt = False,
    clean: CleanOpt = None,
    text_field: TextField = None,
    id_field: IdField = None,
    date_field: DateField = None,
    title_field: TitleField = None,
    url_field: UrlField = None,
    batch_size: BatchOpt = 50,
    model: ModelOpt = DEFAULT_MODEL,
    lexicon: LexiconOpt = None,
    from_batch: Annotated[Path | None, typer.Option(
        "--from-batch", file_okay=False, show_default=False,
        help="Store the output of `tolltrack batch` (its --out folder) instead of reading "
             "sources: its complete shards, as an ingest of its sources would.")] = None,
) -> None:
    """Read the sources, extract their claims and store everything in the ledger.

    Articles already in the ledger (same text) are skipped, so running it again
    changes nothing. Each batch of articles is one transaction: an interrupted
    run keeps every finished batch, and running it again finishes the job.
    Rejects are stored with their reasons.
    """
    from tolltrack.ledger import ingest as run_ingest

    if from_batch is not None:
        if sources or any(v is not None for v in (date, clean, text_field, id_field,
                                                  date_field, title_field, url_field,
                                                  lexicon)) or follow_links or offline:
            raise fail("--from-batch takes no sources or read options: the batch was read "
                       "with its own")
        if _given(ctx, "model"):
            raise fail("--from-batch takes no --model: the batch was extracted with its own")
        _ingest_batch(from_batch, db, rejects, batch_size)
        return
    read_options = reading_options(date, follow_links, offline, clean, lexicon, {
        "text": text_field, "id": id_field, "date": date_field, "title": title_field,
        "url": url_field})
    options = extract_options(model, lexicon, read_options.date)
    ledger = open_or_fail(db, create=True)
    intake = Intake(sources, read_options, rejects)
    _run(intake, ledger, lambda stored: run_ingest(
        ledger, intake.sources, read_options, options, batch_size=batch_size,
        on_reject=intake.reject, on_stored=stored), "ingesting")


def _given(ctx: typer.Context, parameter: str) -> bool:
    """Whether the command line (or the environment) set ``parameter``, rather
    than its default standing."""
    source = ctx.get_parameter_source(parameter)
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")


def _ingest_batch(folder: Path, db: str | None, rejects: Path | None, batch_size: int) -> None:
    """Store a batch folder's complete shards; warn about the others."""
    from tolltrack.batch import BatchError, batch_items, missing_sources, open_batch
    from tolltrack.ledger import ingest_extracted
    from tolltrack.options import Options

    try:
        manifest = open_batch(folder)
    except BatchError as exc:
        raise fail(str(exc)) from None
    missing = missing_sources(manifest)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                          else "")
        err.print(f"tolltrack: warning: {folder}: {len(missing)} of {len(manifest.order)} "
                  f"shards are not complete and are not stored: {shown}; run tolltrack batch "
                  "again to finish them", markup=False, highlight=False, soft_wrap=True)
    options = Options(model=manifest.job.get("options", {}).get("model", DEFAULT_MODEL))
    ledger = open_or_fail(db, create=True)
    intake = Intake([], ReadOptions(), rejects)
    _run(intake, ledger, lambda stored: ingest_extracted(
        ledger, batch_items(folder, manifest), manifest.job.get("sources", []), options,
        batch_size=batch_size, on_reject=intake.reject, on_stored=stored), "ingesting")


@app.command()
def reextract(
    db: DbOpt = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Extract every stored article again, not only those extracted by "
                      "another extractor version (use after changing --lexicon or --model).")
    ] = False,
    batch_size: BatchOpt = 50,
    model: ModelOpt = DEFAULT_MODEL,
    lexicon: LexiconOpt = None,
) -> None:
    """Run this version's extractor again over stored articles whose claims came
    from another version, replacing their claims and reclustering."""
    from tolltrack.ledger import reextract as run_reextract

    options = extract_options(model, lexicon)
    ledger = open_or_fail(db)
    intake = Intake([], ReadOptions(), None)
    _run(intake, ledger, lambda stored: run_reextract(
        ledger, options, every=every, batch_size=batch_size, on_reject=intake.reject,
        on_stored=stored), "re-extracting")


@app.command()
def stats(
    db: DbOpt = None,
    fmt: Annotated[ReadFormat, typer.Option(
        "--format", help="table or jsonl (one JSON object).")] = ReadFormat.table,
) -> None:
    """Count what the ledger holds: articles, wire copies, claims by outcome,
    clusters, and rejects by reason."""
    from tolltrack.store import stats as ledger_stats

    with reading_ledger(db) as ledger:
        data = ledger_stats(ledger).to_dict()
    if fmt is ReadFormat.jsonl:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    console = Console(markup=False, highlight=False)
    table = Table(title=f"Ledger {ledger.name}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("articles", "wire_copies", "claims", "clusters", "rejects", "runs"):
        table.add_row(key.replace("_", " "), str(data[key]))
    table.add_row("claim dates", f"{data['first_date'] or '–'} to {data['last_date'] or '–'}")
    for outcome, n in data["claims_by_outcome"].items():
        table.add_row(f"claims: {outcome}", str(n))
    for reason, n in data["rejects_by_reason"].items():
        table.add_row(f"rejects: {reason.replace('_', ' ')}", str(n))
    for version, n in data["extractor_versions"].items():
        table.add_row(f"extractor {version}", f"{n} articles")
    console.print(table)


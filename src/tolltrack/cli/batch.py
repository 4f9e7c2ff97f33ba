"""`tolltrack batch`: read and extract many sources, shard by shard, on a local
process pool or a Dask cluster, into a folder of Parquet files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tolltrack.cli.common import (
    CleanOpt,
    DateField,
    DateOpt,
    FollowOpt,
    IdField,
    LexiconOpt,
    ModelOpt,
    OfflineOpt,
    TextField,
    TitleField,
    UrlField,
    app,
    err,
    extract_options,
    fail,
    reading_options,
)
from tolltrack.options import DEFAULT_MODEL


def say(line: str) -> None:
    """Print one line on stderr, as it is."""
    err.print(line, markup=False, highlight=False, soft_wrap=True)


def _progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("shards"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[line]}"), console=err, transient=True,
                    disable=not err.is_terminal)


@app.command()
def batch(
    sources: Annotated[list[str], typer.Argument(
        help="Files, folders (read recursively), glob patterns, http(s) URLs, or s3://-style "
             "URLs read through fsspec. Each file is one shard.", show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", help="The batch folder: Parquet files and manifest.json. Rerunning into it "
                      "skips the shards already complete.", file_okay=False,
        show_default=False)],
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, show_default=False,
        help="Local worker processes [default: the CPU count].")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", show_default=False,
        help="A Dask scheduler address (tcp://HOST:8786): run the shards as tasks on that "
             "cluster instead of locally. Needs tolltrack[cluster].")] = None,
    date: DateOpt = None,
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
    """Read and extract the sources shard by shard (one shard per file) on local
    worker processes or a Dask cluster, writing articles, claims and rejects as
    Parquet under --out. Load the result with `tolltrack ingest --from-batch`."""
    from tolltrack.batch import BatchError, run_batch

    if workers is not None and scheduler:
        raise fail("--workers is for the local pool; with --scheduler the cluster's workers "
                   "run the shards")
    read_options = reading_options(date, follow_links, offline, clean, lexicon, {
        "text": text_field, "id": id_field, "date": date_field, "title": title_field,
        "url": url_field})
    options = extract_options(model, lexicon, read_options.date)
    progress = _progress()
    task = progress.add_task("batch", total=None, line="planning")

    def started(report: Any) -> None:
        progress.update(task, total=report.shards, completed=report.done_before,
                        line=f"{report.articles} articles")

    def finished(report: Any) -> None:
        progress.update(task, completed=report.done_before + report.ran + len(report.failed),
                        line=f"{report.articles} articles, {report.claims} claims")

    try:
        with progress:
            report = run_batch(sources, out, read_options, options, workers=workers,
                               scheduler=scheduler, on_start=started, on_shard=finished)
    except BatchError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        say(f"tolltrack: interrupted; the shards finished so far are recorded in {out}; "
            "run the command again to finish")
        raise typer.Exit(130) from None
    for line in report.fatal:
        say(f"tolltrack: error: {line}")
    for ident, source, reason in report.failed:
        say(f"tolltrack: error: {source}: shard {ident} failed: {reason}; run the command "
            "again to retry it")
    say(f"tolltrack: {report.summary()}")
    if report.fatal:
        raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)

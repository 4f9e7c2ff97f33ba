"""`tolltrack claims`, `timeline`, `conflicts` and `export`: asking the ledger."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tolltrack.cli.common import DbOpt, LexiconOpt, app, err, fail, reading_ledger

OutcomeOpt = Annotated[str | None, typer.Option(
    "--outcome", help="killed, injured, casualties, missing, captured, bodies, displaced "
                      "(comma-separated for several).")]
CountryOpt = Annotated[str | None, typer.Option(
    "--victim-country", help="Whose people: ISO alpha-3 code or country name (RUS, Ukraine).")]
VictimTypeOpt = Annotated[str | None, typer.Option(
    "--victim-type", help="military, civilian, mixed or unknown.")]
ClaimantOpt = Annotated[str | None, typer.Option(
    "--claimant", help="Claimant code (UKR, NATO, UN) or words of the claimant's name.")]
StatusOpt = Annotated[str | None, typer.Option(
    "--status", help="claimed, acknowledged, estimated, confirmed or denied.")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", help="From this date: YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, "
                    "'N days ago'.")]
UntilOpt = Annotated[str | None, typer.Option(
    "--until", help="Up to this date (same forms as --since).")]
SearchOpt = Annotated[str | None, typer.Option(
    "--search", help="Words in the evidence sentence, claimant, victims or place.")]


class TableFormat(StrEnum):
    """Output of `claims`."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ConflictFormat(StrEnum):
    """Output of `conflicts`."""

    table = "table"
    jsonl = "jsonl"


def _filter(lexicon: Path | None = None, **given: str | None) -> Any:
    """The ClaimFilter for the filter flags, or the one-line error naming the flag."""
    from tolltrack.filters import FilterError, claim_filter

    try:
        return claim_filter(lexicon_dir=str(lexicon) if lexicon else None, **given)
    except FilterError as exc:
        raise fail(f"--{exc.name.replace('_', '-')} {exc.value!r}: not accepted; use "
                    f"{exc.accepted}") from None


def _console() -> Console:
    # Claim text may hold "[/b]" and the like: print it as text, never as markup.
    return Console(markup=False, highlight=False)


def _who(text: str, code: str | None) -> str:
    return (text or "(the outlet)") + (f" [{code}]" if code else "")


@app.command()
def claims(
    db: DbOpt = None,
    outcome: OutcomeOpt = None,
    victim_country: CountryOpt = None,
    victim_type: VictimTypeOpt = None,
    claimant: ClaimantOpt = None,
    status: StatusOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    search: SearchOpt = None,
    fmt: Annotated[TableFormat | None, typer.Option(
        "--format", help="table (default on a terminal), jsonl (default otherwise) or csv.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")
                     ] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """List stored claims, oldest first, filtered. jsonl uses the spec's field
    names plus id, article_id and cluster_id."""
    from tolltrack.export import write_csv, write_jsonl
    from tolltrack.store import find_claims

    f = _filter(lexicon, outcome=outcome, victim_country=victim_country,
                victim_type=victim_type, claimant=claimant, status=status, since=since,
                until=until, search=search)
    fmt = fmt or (TableFormat.table if sys.stdout.isatty() else TableFormat.jsonl)
    with reading_ledger(db) as ledger:
        found = find_claims(ledger, f, limit=limit)
        if fmt is TableFormat.jsonl:
            write_jsonl(found, sys.stdout)
            return
        if fmt is TableFormat.csv:
            write_csv(found, sys.stdout)
            return
        rows = list(found)
    console = _console()
    if not rows:
        console.print("No claims match.")
        return
    table = Table()
    for name in ("date", "outlet", "outcome", "figure", "victims", "claimant", "status",
                 "evidence", "id"):
        table.add_column(name, overflow="fold")
    for sc in rows:
        row = sc.to_dict()
        victim = row["victim"]
        status_words = row["status"] + (", unverified" if row["unverified"] else "")
        table.add_row(str(row["as_of"] or sc.article_date or ""), sc.outlet or "",
                      row["outcome"], sc.claim.figure.words(),
                      f"{victim['text']} ({victim['type']}"
                      f"{', ' + victim['country'] if victim['country'] else ''})",
                      _who(row["claimant"]["text"], row["claimant"]["code"]), status_words,
                      row["mentions"][0]["sentence"] if row["mentions"] else "", sc.id)
    console.print(table)


def _series(db: str | None, f: Any) -> list[Any]:
    from tolltrack.comparisons import find_series

    with reading_ledger(db) as ledger:
        return find_series(ledger, f)


@app.command()
def timeline(
    db: DbOpt = None,
    outcome: OutcomeOpt = None,
    victim_country: CountryOpt = None,
    victim_type: VictimTypeOpt = None,
    claimant: ClaimantOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Draw the series to this PNG file (matplotlib).", dir_okay=False)
    ] = None,
    vega: Annotated[Path | None, typer.Option(
        "--vega", help="Write a Vega-Lite spec of the series to this JSON file.",
        dir_okay=False)] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Each claimant's cumulative figures for each outcome and victim group over
    time, one row per claim (reports by many outlets count once), with how
    each figure moved from the claimant's figure before."""
    from tolltrack.charts import (
        ChartError,
        figure_words,
        group_label,
        plot_png,
        standing,
        vega_lite,
    )

    found = _series(db, _filter(lexicon, scope="cumulative", outcome=outcome,
                                victim_country=victim_country, victim_type=victim_type,
                                claimant=claimant, since=since, until=until))
    try:
        if plot is not None:
            plot_png(found, plot)
        if vega is not None:
            vega.write_text(json.dumps(vega_lite(found), ensure_ascii=False, indent=2),
                            encoding="utf-8")
    except ChartError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"--vega {vega}: {exc.strerror or 'cannot be written'}") from None
    console = _console()
    if not found:
        console.print("No cumulative figures match.")
        return
    table = Table()
    for name in ("victims", "claimant", "date", "figure", "change", "status", "reports",
                 "claim"):
        table.add_column(name, overflow="fold")
    for s in found:
        for n, p in enumerate(s.points):
            table.add_row(group_label(s) if n == 0 else "", s.claimant if n == 0 else "",
                          p.point.date.isoformat(), figure_words(p), p.change, standing(p),
                          str(p.reports), p.point.id)
    console.print(table)


@app.command()
def conflicts(
    db: DbOpt = None,
    outcome: OutcomeOpt = None,
    victim_country: CountryOpt = None,
    victim_type: VictimTypeOpt = None,
    claimant: ClaimantOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: Annotated[ConflictFormat | None, typer.Option(
        "--format", help="table (default on a terminal) or jsonl (default otherwise).")
    ] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Pairs of claimants whose cumulative figures for the same outcome and victim
    group, stated within 7 days of each other, cannot both be true (their
    ranges do not overlap). tolltrack does not say which one is right."""
    from tolltrack.charts import figure_words, standing
    from tolltrack.comparisons import conflict_dict, find_conflicts

    f = _filter(lexicon, scope="cumulative", outcome=outcome, victim_country=victim_country,
                victim_type=victim_type, claimant=claimant, since=since, until=until)
    with reading_ledger(db) as ledger:
        found = find_conflicts(ledger, f)
    fmt = fmt or (ConflictFormat.table if sys.stdout.isatty() else ConflictFormat.jsonl)
    if fmt is ConflictFormat.jsonl:
        for c in found:
            typer.echo(json.dumps(conflict_dict(c), ensure_ascii=False))
        return
    console = _console()
    if not found:
        console.print("No conflicting claims found.")
        return
    table = Table()
    for name in ("victims", "claimant", "date", "figure", "against", "date ", "figure ",
                 "days"):
        table.add_column(name, overflow="fold")
    for c in found:
        table.add_row(f"{c.outcome}: {c.victim_country} {c.victim_type}", c.first_claimant,
                      c.first.point.date.isoformat(),
                      f"{figure_words(c.first)} ({standing(c.first)})",
                      c.second_claimant, c.second.point.date.isoformat(),
                      f"{figure_words(c.second)} ({standing(c.second)})", str(c.days_apart))
    console.print(table)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl, parquet or geojson.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.",
                                         dir_okay=False)],
    db: DbOpt = None,
    outcome: OutcomeOpt = None,
    victim_country: CountryOpt = None,
    victim_type: VictimTypeOpt = None,
    claimant: ClaimantOpt = None,
    status: StatusOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    search: SearchOpt = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Write the stored claims (filtered like `claims`) to a file: CSV or Parquet
    (one flat row per claim), JSON Lines (the spec's shape, every mention), or
    GeoJSON (a point per claim whose place has coordinates)."""
    from tolltrack.export import ExportError, ExportFormat
    from tolltrack.export import export as write
    from tolltrack.store import find_claims

    try:
        kind = ExportFormat(fmt.lower())
    except ValueError:
        raise fail(f"--format {fmt!r}: not accepted; use csv, jsonl, parquet or geojson"
                    ) from None
    f = _filter(lexicon, outcome=outcome, victim_country=victim_country,
                victim_type=victim_type, claimant=claimant, status=status, since=since,
                until=until, search=search)
    with reading_ledger(db) as ledger:
        try:
            n = write(find_claims(ledger, f), kind, output)
        except ExportError as exc:
            raise fail(str(exc)) from None
    err.print(f"tolltrack: {n} claim{'' if n == 1 else 's'} written to {output}",
              markup=False, highlight=False, soft_wrap=True)

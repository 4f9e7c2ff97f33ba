"""`tolltrack eval`: score the extractor against a gold file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tolltrack.cli.common import EvalFormat, LexiconOpt, ModelOpt, app, extract_options, fail
from tolltrack.options import DEFAULT_MODEL


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
        raise fail(f"{gold}: no such file")
    try:
        report = evaluate_file(gold, extract_options(model, lexicon))
    except (GoldError, ModelError, LexiconError) as exc:
        raise fail(str(exc)) from None
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

"""The `tolltrack` command: thin wrappers that parse options, call the library, print.

Each module holds a family of commands; importing them registers the commands
on the one Typer app.
"""

from tolltrack.cli import batch, evaluation, ledger, queries, reading, serve  # noqa: F401
from tolltrack.cli.common import app

__all__ = ["app"]

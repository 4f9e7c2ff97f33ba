"""Readers: turn sources (files, folders, globs, stdin, URLs; text, HTML, feeds, WARC,
JSONL, CSV, compressed or not) into Articles, or coded Rejects."""

from tolltrack.ingest.language import not_extractable
from tolltrack.ingest.reader import content_hash, read_document, read_sources
from tolltrack.ingest.rejects import Reject, Tally

__all__ = ["Reject", "Tally", "content_hash", "not_extractable", "read_document",
           "read_sources"]

"""Readers: turn sources (text, HTML, JSONL, stdin) into Articles, or coded rejects."""

from tolltrack.ingest.sources import Reject, read_sources

__all__ = ["Reject", "read_sources"]

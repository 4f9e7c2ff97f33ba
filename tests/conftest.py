"""Shared fixtures: the gold folder beside the checkout, and the extractor's parser."""

from __future__ import annotations

from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold"


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    """The shared gold folder; tests that need it are skipped where it is absent."""
    if not GOLD.is_dir():
        pytest.skip(f"no gold folder at {GOLD}")
    return GOLD

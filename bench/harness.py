"""Shared by the benchmarks: one-core pinning and peak memory, so that both sides of
a comparison are measured the same way."""

from __future__ import annotations

import os
import sys


def pin_to_one_core() -> int | None:
    """Pin this process to its first allowed CPU; return that CPU, or None if unsupported."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError, ValueError):
        return None
    return cpu


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (MiB)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024

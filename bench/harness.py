"""Shared by the benchmarks: one-core pinning and peak memory, so that both sides of
a comparison are measured the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Native thread pools pinned to one thread, so a side uses the one core it is given.
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


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


def run_side(script: str, side: str, args: list[str]) -> dict[str, Any]:
    """Re-invoke ``script`` with ``--side side`` and ``args`` in a fresh single-threaded
    process; return the JSON object on the last line of its output."""
    env = dict(os.environ)
    env.update({name: "1" for name in THREAD_ENV})
    cmd = [sys.executable, str(Path(script).resolve()), "--side", side, *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{side} run failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])

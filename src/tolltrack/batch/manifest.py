"""The batch folder's manifest (``manifest.json``): what the batch is and which
shards are done.

Only the driver writes it, and always whole: to a temporary file that is then
renamed over the old one, after the shard's Parquet files are in place. So a
shard is ``complete`` in the manifest only once all its files are, and a worker
killed half way through leaves at most files that nothing points to (removed
by the next run).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tolltrack.batch.errors import BatchError
from tolltrack.ingest import Reject
from tolltrack.options import Options, ReadOptions

MANIFEST = "manifest.json"
FORMAT = 1
TABLES = ("articles", "claims", "rejects")


@dataclass(frozen=True)
class ShardEntry:
    """One shard as the manifest records it: its source, ``pending``,
    ``complete`` or ``failed`` (with the reason), English articles and claims,
    rejects by reason, extraction failures, its Parquet files (paths relative
    to the batch folder, by table), the extractor version that wrote them, and
    the lines of its fatal rejects (a named source that could not be read, told
    again on every run)."""

    id: str
    source: str
    status: str
    articles: int = 0
    claims: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    files: dict[str, str] = field(default_factory=dict)
    extractor_version: str = ""
    error: str | None = None
    fatal: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Manifest:
    """A batch: the job that defines it (sources and options, compared on every
    rerun), the shard ids in reading order, the rejects met while listing the
    sources, and the entry of every shard that has run."""

    job: dict[str, Any]
    order: tuple[str, ...] = ()
    plan_rejects: tuple[Reject, ...] = ()
    shards: dict[str, ShardEntry] = field(default_factory=dict)

    def complete(self) -> list[ShardEntry]:
        """The complete shards, in reading order."""
        return [self.shards[i] for i in self.order
                if i in self.shards and self.shards[i].status == "complete"]

    def missing(self) -> list[str]:
        """The ids of the planned shards that are not complete."""
        return [i for i in self.order
                if i not in self.shards or self.shards[i].status != "complete"]


def job_of(sources: list[str], read_options: ReadOptions, options: Options,
           extractor_version: str) -> dict[str, Any]:
    """The job a batch folder belongs to, as plain JSON data: the sources as
    given, every read and extraction option, and the extractor version."""
    def plain(value: Any) -> Any:
        return json.loads(json.dumps(value, default=_json_default))

    return plain({"sources": sources, "read_options": dataclasses.asdict(read_options),
                  "options": dataclasses.asdict(options),
                  "extractor_version": extractor_version})


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON data: {type(value).__name__}")


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in ``folder``, None when there is none yet. Raises
    BatchError naming the file when it is not a manifest this version reads."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BatchError(f"{path}: {exc.strerror or 'cannot be read'}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BatchError(f"{path}: not a tolltrack batch manifest ({exc})") from None
    try:
        if data["format"] != FORMAT:
            raise BatchError(f"{path}: manifest format {data['format']!r}; this tolltrack "
                             f"reads format {FORMAT}")
        if not isinstance(data["job"], dict) or not isinstance(data["order"], list):
            raise TypeError("job or order")
        entries = [_entry(e) for e in data["shards"]]
        return Manifest(
            job=data["job"], order=tuple(str(i) for i in data["order"]),
            plan_rejects=tuple(Reject(r["source"], r["reason"], r["message"], r["line"],
                                      bool(r.get("fatal"))) for r in data["plan_rejects"]),
            shards={e.id: e for e in entries})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BatchError(f"{path}: not a tolltrack batch manifest (bad or missing "
                         f"{exc})") from None


STATUSES = ("pending", "complete", "failed")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_map(value: Any, kind: type) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, kind)
                                           for k, v in value.items())


# What each field of a manifest's shard entry must hold.
_ENTRY_FIELDS = {
    "id": lambda v: isinstance(v, str), "source": lambda v: isinstance(v, str),
    "status": lambda v: v in STATUSES, "articles": _is_count, "claims": _is_count,
    "rejects": lambda v: _is_map(v, int), "failed": _is_count, "files": lambda v: _is_map(v, str),
    "extractor_version": lambda v: isinstance(v, str),
    "error": lambda v: v is None or isinstance(v, str),
    "fatal": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


def _entry(data: Any) -> ShardEntry:
    """The ShardEntry a manifest's JSON object holds. Raises TypeError naming
    the shard and field when a field is missing, unknown or of the wrong kind."""
    if not isinstance(data, dict):
        raise TypeError("shard entry (not an object)")
    try:
        entry = ShardEntry(**data)
    except TypeError:
        raise TypeError(f"shard {data.get('id')!r} fields") from None
    bad = next((name for name, ok in _ENTRY_FIELDS.items() if not ok(getattr(entry, name))),
               None)
    if bad is not None:
        raise TypeError(f"shard {entry.id!r} {bad}")
    return entry


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Replace ``folder``'s manifest with ``manifest`` in one rename. Raises
    BatchError when the folder cannot be written."""
    from tolltrack import __version__

    data = {"format": FORMAT, "tolltrack_version": __version__, "job": manifest.job,
            "order": list(manifest.order),
            "plan_rejects": [{**r.to_dict(), "fatal": r.fatal} for r in manifest.plan_rejects],
            "shards": [dataclasses.asdict(e) for e in manifest.shards.values()]}
    path = folder / MANIFEST
    temporary = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    try:
        with temporary.open("w", encoding="utf-8") as out:
            # ASCII: a file name that is not UTF-8 keeps its lone surrogates as escapes.
            json.dump(data, out, ensure_ascii=True, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise BatchError(f"{folder}: {exc.strerror or 'cannot be written'}") from None


def differs(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The first part of a job in which ``new`` differs from ``old`` (e.g.
    ``sources`` or ``read_options.date``), None when they are the same job."""
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            return f"{key}.{differs(a, b)}"
        return key
    return None

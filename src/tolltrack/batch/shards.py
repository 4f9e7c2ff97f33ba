"""Splitting a batch's sources into shards: one shard per input file.

A file is the unit of work because it is the unit in which crawls come (a
CC-NEWS month is hundreds of WARC files of about a gigabyte each, so a job has
hundreds of shards, plenty for a cluster), because listing files is all the
driver has to do (it never opens a file, which matters when they sit in an
object store), and because a worker streams its file record by record, so a
big file costs time, not memory. A single huge dump is best split into files
before a batch (``split -l``).

Local sources are expanded exactly as the reader expands them (folders
recursively, hidden files passed over, globs sorted), so a shard's articles
carry the same ``source`` names as a direct ``ingest`` of the same sources.
``s3://``-style URLs are listed through fsspec, http(s) URLs are one shard
each, and standard input cannot be sharded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tolltrack.batch.errors import BatchError, need
from tolltrack.ingest import Reject
from tolltrack.ingest.reader import locate

_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Shard:
    """One unit of work: a file (or URL) read and extracted by one worker.

    ``source`` is the name its articles and rejects carry (as a direct read
    names them); ``id`` is a hash of it, so a rerun finds the shard again
    however the plan around it changed. ``path`` is where a worker opens it:
    an absolute path (workers need not share the driver's working folder) or
    a URL. ``kind`` is ``file``, ``url`` (fetched by the reader) or ``remote``
    (opened through fsspec). ``named`` says the command line named it directly
    (an unreadable named file is an error, a file in a folder a skip)."""

    id: str
    source: str
    path: str
    kind: str = "file"
    named: bool = True


@dataclass(frozen=True)
class Plan:
    """The shards of a batch in reading order, and the rejects met while
    listing the sources (a missing file, a glob matching nothing)."""

    shards: tuple[Shard, ...]
    rejects: tuple[Reject, ...]


def shard_id(source: str) -> str:
    """A stable 16-hex-digit id for the shard that reads ``source``."""
    # A file name that is not UTF-8 comes as lone surrogates: its own bytes back.
    return hashlib.blake2b(source.encode("utf-8", "surrogateescape"),
                           digest_size=8).hexdigest()


def plan(sources: Sequence[str]) -> Plan:
    """Shards for ``sources`` (files, folders, globs, http(s) URLs and fsspec
    URLs such as ``s3://bucket/crawl/*.warc.gz``), each file once, in reading
    order. Raises BatchError for standard input, and for a remote URL whose
    protocol cannot be used (the message names the package to install)."""
    shards: dict[str, Shard] = {}
    rejects: list[Reject] = []
    for source in sources:
        for item in _expand(source):
            if isinstance(item, Reject):
                rejects.append(item)
            elif item.id not in shards:  # a file named twice is read once
                shards[item.id] = item
    return Plan(tuple(shards.values()), tuple(rejects))


def _expand(source: str) -> Iterator[Shard | Reject]:
    if source == "-":
        raise BatchError("batch cannot read standard input: name files, folders, globs "
                         "or URLs")
    if _HTTP.match(source):
        yield Shard(shard_id(source), source, source, kind="url")
    elif _REMOTE.match(source):
        yield from _remote(source)
    else:
        # A worker cannot wait on a named FIFO or device as a direct read does.
        for found in locate(source, named_streams=False):
            if isinstance(found, Reject):
                yield found
            else:
                name = str(found.path)
                yield Shard(shard_id(name), name, str(found.path.absolute()), named=found.named)


def _remote(url: str) -> Iterator[Shard | Reject]:
    """The files an fsspec URL names: a file, every file under a folder, or a glob."""
    fsspec = need("fsspec", f"{url}: reading URLs other than http(s)")
    try:
        fs, path = fsspec.core.url_to_fs(url)
        if _GLOB.search(path):
            paths, named = sorted(fs.glob(path)), False
            if not paths:
                yield Reject(url, "no_match", "no file matches this pattern", fatal=True)
        elif fs.isdir(path):
            paths, named = sorted(fs.find(path)), False
            if not paths:
                yield Reject(url, "empty_folder", "folder holds no files", fatal=True)
        elif fs.exists(path):
            paths, named = [path], True
        else:
            yield Reject(url, "missing", "no such file or folder", fatal=True)
            return
    except ImportError as exc:  # fsspec names the package its protocol needs
        raise BatchError(f"{url}: {exc}") from None
    except (OSError, ValueError) as exc:
        raise BatchError(f"{url}: cannot be listed ({type(exc).__name__}: {exc})") from None
    for path in paths:
        if fs.isdir(path) or path.rsplit("/", 1)[-1].startswith("."):
            continue
        full = fs.unstrip_protocol(path)
        yield Shard(shard_id(full), full, full, kind="remote", named=named)

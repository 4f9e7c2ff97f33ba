"""Benchmark: how fast `tolltrack serve` answers GET /api/claims under load.

A SQLite ledger of ``--claims`` claims (default 100,000: the cached ledger that
``bench/ingest.py`` builds, built here the same way when it is missing; a ledger
of an older schema is migrated in place on opening) is served by a real
``tolltrack serve`` process (one uvicorn worker) on a loopback port. A separate
client process keeps ``--clients`` requests in flight (default 50, each its own
keep-alive connection) for ``--requests`` requests, cycling through URLs built
from bench/ingest.py's QUERY_MIX filters, each at several page offsets, so the
server sees many different queries. Reported per run: requests per second, and
p50/p99 latency in milliseconds (target: p99 under 100 ms).

Two server set-ups are measured in the same run:

* ``no cache`` (``--cache 0``): every request is a real query (a page of 50
  claims with mentions, and the count of all matches);
* ``cache``: the default answer cache; one untimed pass over the URLs fills it,
  so the timed requests are what a dashboard in steady use sees. Answers are
  dropped whenever the ledger changes.

Run from the repository root::

    .venv/bin/python bench/serve.py [--claims 100000] [--clients 50] [--requests 3000]
                                    [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from ingest import (  # noqa: E402  (bench scripts import each other by path)
    DEFAULT_SOURCES,
    QUERY_MIX,
    build_ledger,
    cache_path,
    default_cache_dir,
    percentile,
)

OFFSETS = (0, 50, 100, 500, 1000)
TARGET_P99_MS = 100.0


def urls() -> list[str]:
    """The request mix: every QUERY_MIX filter at every offset."""
    return [f"/api/claims?{urlencode({**given, 'limit': 50, 'offset': at})}"
            for at in OFFSETS for given in QUERY_MIX]


def ledger_path(n_claims: int) -> Path:
    """The cached benchmark ledger, built when missing; an older schema's cached
    ledger of the same size is used (and migrated) rather than built again."""
    sources = [str(p) for p in DEFAULT_SOURCES if p.is_file()]
    path = cache_path(default_cache_dir(), sources, n_claims)
    if path.exists():
        return path
    older = sorted(default_cache_dir().glob(f"ledger-{n_claims}-*.db"))
    if older:
        return older[-1]
    print(f"building a ledger of {n_claims:,} claims (about 12 minutes)…", file=sys.stderr)
    build_ledger(sources, n_claims, path)
    return path


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, cache: int, workers: int = 1) -> tuple[subprocess.Popen[bytes], int]:
    """`tolltrack serve` over ``db`` with the answer cache size and worker
    processes given; waits until it answers."""
    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tolltrack", "serve", "--db", str(db),
                             "--port", str(port), "--cache", str(cache),
                             "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=60)
            return proc, port
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(proc.communicate()[1].decode()) from None
            time.sleep(0.3)


async def _load(port: int, paths: list[str], clients: int, total: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    failures = 0
    next_index = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 timeout=120) as client:
        async def worker() -> None:
            nonlocal next_index, failures
            while next_index < total:
                path = paths[next_index % len(paths)]
                next_index += 1
                began = time.perf_counter()
                response = await client.get(path)
                latencies.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return {"requests": len(latencies), "seconds": elapsed, "rps": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 0.50), "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies), "failures": failures}


def client(port: int, clients: int, total: int, warm: bool) -> dict[str, Any]:
    """Run the load in a child process (so the client does not share the
    server's interpreter); returns its figures."""
    code = ("import asyncio, json, sys; sys.path.insert(0, sys.argv[1]); import serve; "
            "port, clients, total, warm = int(sys.argv[2]), int(sys.argv[3]), "
            "int(sys.argv[4]), sys.argv[5] == '1'; paths = serve.urls(); "
            "warm and asyncio.run(serve._load(port, paths, 4, len(paths))); "
            "print(json.dumps(asyncio.run(serve._load(port, paths, clients, total))))")
    out = subprocess.run([sys.executable, "-c", code, str(HERE), str(port), str(clients),
                          str(total), "1" if warm else "0"], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout)


_WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def wrk(port: int, clients: int, seconds: int, warm: bool) -> dict[str, Any]:
    """The load from wrk (Debian's package): ``clients`` connections, 2 threads,
    for ``seconds``, cycling through the URLs. Returns its figures."""
    import re
    import tempfile

    import httpx

    paths = urls()
    if warm:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
            for path in paths:
                c.get(path)
    script = _WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency",
                              "--timeout", "60s", "-s", f.name, f"http://127.0.0.1:{port}"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(f.name)

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if m is None:
            raise RuntimeError(f"wrk printed no {label} latency:\n{out}")
        value, unit = float(m[1]), m[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", out)
    peak = float(latency[1]) * {"us": 0.001, "ms": 1, "s": 1000}[latency[2]] if latency else 0.0
    return {"tool": "wrk", "rps": rps, "p50_ms": ms("50%"), "p99_ms": ms("99%"),
            "max_ms": peak, "failures": int(errors[1]) if errors else 0, "raw": out}


def main(argv: list[str] | None = None) -> int:
    """Measure both set-ups and print the figures; exit status 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=20,
                        help="how long wrk runs per set-up (default 20)")
    parser.add_argument("--workers", type=int, default=1,
                        help="server worker processes (default 1)")
    parser.add_argument("--python-client", action="store_true",
                        help="use the Python client even where wrk is installed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.pop("TOLLTRACK_TOKEN", None)
    db = ledger_path(args.claims)
    results: dict[str, Any] = {"ledger": str(db), "urls": len(urls()), "clients": args.clients}
    for name, cache in (("no cache", 0), ("cache", 2048)):
        proc, port = start_server(db, cache, args.workers)
        try:
            if shutil.which("wrk") and not args.python_client:
                results[name] = wrk(port, args.clients, args.seconds, warm=cache > 0)
            else:
                results[name] = client(port, args.clients, args.requests, warm=cache > 0)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    tool = results["cache"].get("tool", "python client")
    amount = f"{args.seconds} s" if tool == "wrk" else f"{args.requests} requests"
    print(f"GET /api/claims on {db.name}: {results['urls']} different URLs, "
          f"{args.clients} connections in flight ({tool}), {amount} per set-up, "
          f"{args.workers} server worker(s)")
    print(f"{'set-up':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  target p99 "
          f"< {TARGET_P99_MS:g} ms")
    for name in ("no cache", "cache"):
        r = results[name]
        met = "met" if r["p99_ms"] < TARGET_P99_MS else "missed"
        print(f"{name:<10} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
              f"{r['max_ms']:>8.1f}  {met}" + (f" ({r['failures']} failed)" if r["failures"]
                                                else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

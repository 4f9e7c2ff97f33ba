"""`tolltrack serve` as a user starts it: a real process on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "tests" / "data" / "ledger" / "week.jsonl"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(*args: str, token: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "TOLLTRACK_TOKEN"}
    if token:
        env["TOLLTRACK_TOKEN"] = token
    return subprocess.Popen([sys.executable, "-m", "tolltrack", "serve", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "ledger.db"
    subprocess.run([sys.executable, "-m", "tolltrack", "ingest", str(WEEK), "--db", str(path)],
                   check=True, capture_output=True)
    return path


def test_serve_answers_on_loopback_and_is_read_only_without_a_token(db: Path) -> None:
    port = _port()
    proc = _serve("--db", str(db), "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats").json()
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert stats["articles"] == 9
        r = httpx.post(f"http://127.0.0.1:{port}/api/claims/wk-01-1/review",
                       json={"verdict": "confirmed"}, headers={"Authorization": "Bearer x"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "read_only"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert f"on http://127.0.0.1:{port}/ (read-only" in err
    assert "Traceback" not in err


def test_a_port_in_use_is_one_line(db: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _serve("--db", str(db), "--port", str(port))
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip().splitlines() == [
        f"tolltrack: error: 127.0.0.1:{port}: Address already in use"]


def test_a_missing_ledger_is_not_created(tmp_path: Path) -> None:
    proc = _serve("--db", str(tmp_path / "none.db"), "--port", str(_port()))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and len(err.strip().splitlines()) == 1
    assert "no ledger here yet" in err and not (tmp_path / "none.db").exists()


def test_workers_share_one_ledger_and_see_each_others_writes(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "ledger.db"
    shutil.copyfile(db, copy)
    port = _port()
    proc = _serve("--db", str(copy), "--port", str(port), "--workers", "2", token="w-token")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/stats")
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline
                time.sleep(0.2)
        r = httpx.post(f"{base}/api/claims/wk-01-1/review", json={"verdict": "rejected"},
                       headers={"Authorization": "Bearer w-token"})
        assert r.status_code == 200, r.text
        # New connections land on either worker; each must see the write.
        for _ in range(8):
            with httpx.Client() as fresh:
                assert fresh.get(f"{base}/api/stats").json()["reviews"]["rejected"] == 1
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err

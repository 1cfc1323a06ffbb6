"""Local API throughput: unchanged saves of the 2,000-caption fixture draft (two 5.5 MB JSON
files) through `draftkeeper serve`, with a Python client and with curl in the same run.

    .venv/bin/python bench/serve.py [--requests 300]

The server is a real `draftkeeper serve` process; each client runs in its own process, so
client and server do not share a GIL. Rows:
  engine floor   LocalEngine.save_sync of the unchanged draft in process (no HTTP, no scheduler)
  httpx 1        one Python client, keep-alive, one request at a time
  httpx 8        eight requests in flight at once (asyncio, keep-alive)
  curl           one curl process sending every request over one connection
  curl /health   the same curl loop to the health route: the HTTP floor
Numbers on a shared 2-core machine are noisy: run it 2-3 times and compare ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from draftkeeper.core.local.engine import LocalEngine  # noqa: E402
from draftkeeper.core.settings.table import Settings  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "capcut-mate-draft-2000-captions.tar.gz"
DRAFT_ID = "202611270045458a37b708"
SAVE = "/openapi/capcut-mate/v1/save_draft"

HTTPX_CLIENT = """
import asyncio, sys, time, httpx
url, draft_url, n, parallel = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
async def main():
    limits = httpx.Limits(max_connections=parallel)
    async with httpx.AsyncClient(timeout=60, limits=limits) as c:
        left = n
        bad = 0
        async def worker():
            nonlocal left, bad
            while left > 0:
                left -= 1
                r = await c.post(url, json={"draft_url": draft_url})
                body = r.json()
                bad += r.status_code != 200 or not body.get("unchanged")
        t = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(parallel)))
        print(n / (time.perf_counter() - t), bad)
asyncio.run(main())
"""


def start_server(tmp: Path, root: Path) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), DRAFTKEEPER_HOME=str(tmp / "home"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "draftkeeper", "serve", "--port", "0", "--root", str(root),
         "--store", str(tmp / "store")],
        cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert found, line
    return proc, found.group(0)


def httpx_rate(base: str, draft_url: str, n: int, parallel: int) -> float:
    out = subprocess.run([sys.executable, "-c", HTTPX_CLIENT, base + SAVE, draft_url, str(n),
                          str(parallel)], capture_output=True, text=True, check=True).stdout
    rate, bad = out.split()
    assert int(bad) == 0, f"{bad} answers were not 200/unchanged"
    return float(rate)


def curl_rate(url: str, n: int, body: str | None) -> float:
    args = ["curl", "-s", "-w", "%{http_code}\n", *["-o", "/dev/null"] * n]
    if body is not None:
        args += ["-H", "Content-Type: application/json", "-d", body]
    t = time.perf_counter()
    out = subprocess.run(args + [url] * n, capture_output=True, text=True, check=True).stdout
    took = time.perf_counter() - t
    codes = out.split()
    assert codes == ["200"] * n, set(codes)
    return n / took


def engine_rate(root: Path, store: Path, n: int) -> float:
    engine = LocalEngine(Settings(), roots=[root])
    engine.store = type(engine.store)(store)
    assert engine.save_sync(DRAFT_ID).unchanged
    t = time.perf_counter()
    for _ in range(n):
        engine.save_sync(DRAFT_ID)
    return n / (time.perf_counter() - t)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    n = parser.parse_args().requests
    with tempfile.TemporaryDirectory(prefix="dk-serve-") as name:
        tmp = Path(name)
        root = tmp / "drafts"
        root.mkdir()
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(root, filter="data")
        sizes = sorted((p.stat().st_size for p in (root / DRAFT_ID).rglob("*.json")),
                       reverse=True)[:2]
        print(f"draft {DRAFT_ID}: largest JSON files {[f'{s / 1e6:.1f} MB' for s in sizes]}")
        proc, base = start_server(tmp, root)
        try:
            draft_url = f"{base}/openapi/capcut-mate/v1/get_draft?draft_id={DRAFT_ID}"
            body = json.dumps({"draft_url": draft_url})
            first = subprocess.run(["curl", "-s", "-H", "Content-Type: application/json", "-d",
                                    body, base + SAVE], capture_output=True, text=True,
                                   check=True).stdout
            assert json.loads(first)["code"] == 0, first  # the real first save
            curl = shutil.which("curl") is not None
            rows = [("engine floor (in process)", engine_rate(root, tmp / "store", n))]
            rows.append(("httpx, 1 in flight", httpx_rate(base, draft_url, n, 1)))
            rows.append(("httpx, 8 in flight", httpx_rate(base, draft_url, n, 8)))
            if curl:
                rows.append(("curl, 1 connection", curl_rate(base + SAVE, n, body)))
                rows.append(("curl /health (HTTP floor)", curl_rate(base + "/health", n, None)))
            else:
                print("curl is not installed: its rows are missing")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        print(f"unchanged saves, {n} requests per row")
        for label, rate in rows:
            print(f"  {label:<28} {rate:8.0f} per second")


if __name__ == "__main__":
    main()

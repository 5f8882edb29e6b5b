"""Load on the local server: N signed `/til` requests from C concurrent clients.

    python bench/bench_serve_load.py [--requests 2000] [--concurrency 50]

Starts `python -m bot serve` as a real process on a free loopback port (SQLite state in a
scratch folder, no Slack needed: a slash command is answered in the HTTP response), then sends
signed requests, each on its own connection as Slack's are, from a thread pool. Prints errors
(connection resets, non-200), p50/p99/max latency and the server's RSS before and after.
Only 127.0.0.1 is ever contacted; the run is bounded by --requests.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
QUERIES = ["docker", "도커 이미지", "zappa 배포", "sqlalchemy가 뭐야", "ㅎㄱ 셋팅", "주말 날씨"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def signed_request(url: str, text: str) -> urllib.request.Request:
    body = urllib.parse.urlencode(
        {"command": "/til", "text": text, "channel_id": "C0LOAD", "user_id": "U0LOAD"}
    )
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }
    return urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")


def one(url: str, n: int) -> tuple[float, str | None]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(
            signed_request(url, QUERIES[n % len(QUERIES)]), timeout=30
        ) as r:
            r.read()
            error = None if r.status == 200 else f"HTTP {r.status}"
    except (urllib.error.URLError, OSError) as exc:
        error = type(exc).__name__ + ": " + str(exc)[:60]
    return time.perf_counter() - started, error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    port = free_port()
    scratch = Path(tempfile.mkdtemp(prefix="tilbot-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL="http://127.0.0.1:9/api/",  # never called for /til
        TIL_SQLITE_PATH=str(scratch / "state.sqlite3"),
        PYTHONPATH=str(REPO),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=scratch,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()  # "tilbot listening on ..."
        url = f"http://127.0.0.1:{port}/slack/events"
        one(url, 0)  # the first request builds the index
        before = rss_mib(server.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda n: one(url, n), range(args.requests)))
        wall = time.perf_counter() - started
        after = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    latencies = sorted(r[0] * 1000 for r in results)
    errors = [r[1] for r in results if r[1]]
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"{args.requests} signed /til, {args.concurrency} concurrent, one connection each")
    print(f"errors: {len(errors)}" + (f" (e.g. {errors[0]})" if errors else ""))
    print(f"latency ms: p50 {p50:.1f}  p99 {p99:.1f}  max {latencies[-1]:.1f}")
    print(f"throughput: {args.requests / wall:.0f} requests/s")
    print(f"server RSS MiB: before {before:.0f}  after {after:.0f}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

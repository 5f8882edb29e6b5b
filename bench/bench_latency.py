"""Warm latency of `/til docker` through the WSGI app (signed like Slack), and process memory.

    .venv/bin/python bench/bench_latency.py [--requests 300] [--query docker]

Measures the whole server-side path Lambda runs per request: signature check, Bolt dispatch,
search over the real notes, Block Kit rendering, JSON response. No network: the answer rides on
the HTTP response, so Slack's Web API is never called. Prints numbers only.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import io
import resource
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SECRET = "bench-signing-secret"


def signed_environ(text: str) -> Callable[[], dict[str, Any]]:
    """A factory of fresh WSGI environs for a signed /til request (bodies are read once)."""
    body = urllib.parse.urlencode(
        {"command": "/til", "text": text, "channel_id": "C0BENCH", "user_id": "U0BENCH"}
    ).encode()

    def make() -> dict[str, Any]:
        ts = str(int(time.time()))
        digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256)
        return {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/slack/events",
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
            "HTTP_X_SLACK_SIGNATURE": "v0=" + digest.hexdigest(),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
        }

    return make


def call(app: Callable[..., Any], environ: dict[str, Any]) -> tuple[str, bytes]:
    status: list[str] = []
    body = b"".join(app(environ, lambda s, h, *_: status.append(s)))
    return status[0], body


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory in MB."""
    page = resource.getpagesize()
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[1]) * page / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return current, peak


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--query", default="docker")
    args = parser.parse_args()

    started = time.perf_counter()
    from bot.app import create_app
    from bot.settings import load_settings
    from bot.sqlite_store import SQLiteStore
    from bot.wsgi import TilWsgi
    from knowledge import load_index

    imported = time.perf_counter()
    settings = load_settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url="http://127.0.0.1:9/api/",  # never called: a call would fail loudly
        slack_secret_id="",
    )
    app = TilWsgi(lambda: create_app(settings, load_index(), SQLiteStore(":memory:")))
    make = signed_environ(args.query)
    status, body = call(app, make())
    assert status.startswith("200") and b'"header"' in body, f"no answer card: {status}"
    cold = time.perf_counter() - imported

    for _ in range(20):
        call(app, make())
    samples: list[float] = []
    for _ in range(args.requests):
        environ = make()
        t0 = time.perf_counter()
        status, _ = call(app, environ)
        samples.append((time.perf_counter() - t0) * 1000)
        assert status.startswith("200"), status
    current, peak = rss_mb()

    print(f"query                 /til {args.query}")
    print(f"requests              {len(samples)}")
    print(f"import_s              {imported - started:.3f}")
    print(f"cold_first_request_s  {cold:.3f}")
    print(f"p50_ms                {percentile(samples, 0.50):.2f}")
    print(f"p90_ms                {percentile(samples, 0.90):.2f}")
    print(f"p99_ms                {percentile(samples, 0.99):.2f}")
    print(f"max_ms                {max(samples):.2f}")
    print(f"mean_ms               {statistics.fmean(samples):.2f}")
    print(f"rss_mb                {current:.1f}")
    print(f"peak_rss_mb           {peak:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Cold `/til` and peak memory as the knowledge base grows: the bundled KB vs 5k and 50k entries.

    python bench/bench_kb_scale.py [--runs 3] [--sizes 5000,50000]

Builds one KB from the seven real collections in ../shared/corpora (entries are replicated with
varied titles to reach each size; nothing is copied into the project), writes it with
`python -m knowledge build`'s own writer, then, for the bundled KB and each size, starts fresh
processes that answer one signed `/til docker` through `bot.wsgi.app` with `TIL_KB` pointing at
the file: the time from process start to the answer, and the process's peak RSS. Also prints
how long building took per entry. All in one run, so the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from knowledge.loader import build_kb  # noqa: E402
from knowledge.models import Entry, KnowledgeBase  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"

# One fresh process: import the WSGI app, answer one signed /til docker, report the seconds
# from interpreter start and the HTTP status. Kept to the stdlib and our own modules.
CHILD = r"""
import time
STARTED = time.perf_counter()
import hashlib, hmac, io, json, sys, urllib.parse
from bot.wsgi import app
body = urllib.parse.urlencode({"command": "/til", "text": "docker", "channel_id": "C1",
                               "user_id": "U1"}).encode()
ts = str(int(time.time()))
sig = "v0=" + hmac.new(b"bench", b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": io.BytesIO(body),
           "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/x-www-form-urlencoded",
           "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts, "HTTP_X_SLACK_SIGNATURE": sig,
           "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
           "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http"}
status = []
out = b"".join(app(environ, lambda s, h, *a: status.append(s)))
assert status[0].startswith("200"), (status, out[:300])
print(json.dumps({"seconds": time.perf_counter() - STARTED, "answered": b"Docker" in out}))
"""


def replicate(entries: list[Entry], n: int, rng: random.Random) -> list[Entry]:
    """`n` entries: the real ones, then copies with two other titles' words added, so the
    vocabulary grows with the size as a real collection's would."""
    if n <= len(entries):
        return rng.sample(entries, n)
    words = sorted({w for e in entries for w in e.title.split()})
    out = list(entries)
    k = 0
    while len(out) < n:
        base = entries[k % len(entries)]
        extra = " ".join(rng.sample(words, 2))
        out.append(
            base.model_copy(update={"id": f"{base.id}~{k}", "title": f"{base.title} {extra}"})
        )
        k += 1
    return out


def cold_til(kb: Path | None, runs: int) -> tuple[float, float, bool]:
    """Median seconds to a cold answer, and the largest peak RSS (MiB), over `runs` processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_", "AWS_"))}
    scratch = Path(tempfile.mkdtemp(prefix="tilbot-scale-"))
    env.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="bench",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        TIL_SQLITE_PATH=str(scratch / "state.sqlite3"),
        PYTHONPATH=str(REPO),
    )
    if kb is not None:
        env["TIL_KB"] = str(kb)
    seconds: list[float] = []
    peak = 0.0
    answered = True
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run(
            [sys.executable, "-c", CHILD],
            env=env,
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        result = __import__("json").loads(done.stdout.strip().splitlines()[-1])
        seconds.append(result["seconds"])
        answered = answered and result["answered"]
        # ru_maxrss of children is the largest of any child so far: a new maximum is this one's.
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        del before
    return statistics.median(seconds), peak, answered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="5000,50000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    started = time.perf_counter()
    real = list(build_kb(CORPORA).entries)
    parse_s = time.perf_counter() - started
    print(f"{len(real)} entries from {CORPORA.name}/ in {parse_s:.1f} s")

    out = Path(tempfile.mkdtemp(prefix="tilbot-kbs-"))
    rng = random.Random(11)
    # Peak RSS only grows over a process's children: measure the small KB first.
    rows = [("bundled", *cold_til(None, args.runs))]
    for n in sizes:
        path = out / f"kb-{n}.json"
        path.write_text(KnowledgeBase(entries=replicate(real, n, rng)).to_json())
        rows.append((f"{n:,}", *cold_til(path, args.runs)))
    base = rows[0][1]
    print(f"\n{'KB':>10} {'cold /til s':>12} {'vs bundled':>11} {'peak RSS MiB':>13}  answered")
    for name, seconds, peak, answered in rows:
        print(f"{name:>10} {seconds:12.2f} {seconds / base:10.1f}× {peak:13.0f}  {answered}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Cold `/til`, memory, build and query time as the knowledge base grows: bundled vs 5k and 50k.

    python bench/bench_kb_scale.py [--runs 3] [--sizes 5000,50000] [--build 100000] [--formats]

Builds one KB from the seven real collections in ../shared/corpora (entries are replicated with
varied titles to reach each size; nothing is copied into the project). For each size, in one
run so the ratios compare like with like:

- **build**: a fresh process validates the entries and writes the artifact as
  `python -m knowledge build` does (`knowledge.artifact`), with a progress bar: index build
  ms/entry (wall, and CPU: on a shared machine the wall time says more about the others),
  write seconds, the artifact's size and the process's peak RSS;
- **cold /til**: fresh processes answer one signed `/til docker` through `bot.wsgi.app` with
  `TIL_KB` pointing at the artifact: seconds from process start to the answer, peak RSS,
  against the bundled KB;
- **per query**: titles of the KB asked as bench/corpora.py asks them (exact, a typo,
  squashed, without number, as a question), mean ms: the artifact-backed index, the index built
  in memory (how every process searched before the artifact), and brute-force WRatio
  `extractOne` over the same titles; answers of the two indexes are compared.

`--build N` also builds N synthetic entries (only the build: time and peak RSS).
`--corpus-builds R` only times the index build of the seven corpora as they are, R rounds of
fresh processes with each `--workers` count taking turns (wall and CPU ms/entry, the load), and
`--write-readme` writes that table to README.md.
`--formats` also measures what a cold process pays to load the same index stored as marshal
and as JSON, next to opening the SQLite artifact and answering one query.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import corpora, readme  # noqa: E402
from bench.corpora import per_query_ms_each, queries_for  # noqa: E402
from knowledge import artifact  # noqa: E402
from knowledge.loader import KB_PATH, build_kb  # noqa: E402
from knowledge.models import Entry, KnowledgeBase  # noqa: E402
from knowledge.search import Index  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"

PEAK = r"""
def peak_mib():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a big parent
    # would report the parent's size.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

# One fresh process: import the WSGI app, answer one signed /til docker, report the seconds
# from interpreter start and the HTTP status. Kept to the stdlib and our own modules.
CHILD = (
    r"""
import time
STARTED = time.perf_counter()
"""
    + PEAK
    + r"""
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
print(json.dumps({"seconds": time.perf_counter() - STARTED, "answered": b"Docker" in out,
                  "peak_mib": peak_mib()}))
"""
)

# One fresh process: the KB JSON in, the artifact out, as `python -m knowledge build` writes it.
BUILD = (
    PEAK
    + r"""
import json, os, resource, sys, time
from pathlib import Path
from tqdm import tqdm
from knowledge import artifact
from knowledge.models import KnowledgeBase
def cpu_s():
    # The build's worker processes are reaped before it returns, so their CPU counts here.
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
kb = KnowledgeBase.model_validate_json(Path(sys.argv[1]).read_bytes())
workers = int(sys.argv[3]) if sys.argv[3:] else None
started, cpu, own = time.perf_counter(), cpu_s(), time.process_time()
store = artifact.build_store(
    kb, lambda items, total: tqdm(items, total=total, unit="entry", file=sys.stderr, mininterval=2),
    workers,
)
built, built_cpu, built_own = time.perf_counter(), cpu_s(), time.process_time()
artifact.save(kb, store, Path(sys.argv[2]))
print(json.dumps({"index_s": built - started, "index_cpu_s": built_cpu - cpu,
                  "index_first_cpu_s": built_own - own,
                  "write_s": time.perf_counter() - built, "peak_mib": peak_mib(),
                  # The largest build worker's peak (forked: pages it shares with this
                  # process count in both).
                  "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
)

# One fresh process: load the index stored another way (marshal or JSON), or open the artifact
# and answer one query; seconds and peak RSS.
FORMAT = (
    r"""
import json, marshal, sys, time
started = time.perf_counter()
"""
    + PEAK
    + r"""
kind, path = sys.argv[1], sys.argv[2]
if kind == "sqlite":
    from knowledge import artifact
    artifact.open_index(path).search("docker")
elif kind == "marshal":
    with open(path, "rb") as f:
        marshal.load(f)
else:
    with open(path, "rb") as f:
        json.load(f)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mib": peak_mib()}))
"""
)


def replicate(entries: list[Entry], n: int, rng: random.Random) -> list[Entry]:
    """`n` entries: a sample of the real ones, or all of them grown by bench/corpora.py's
    replicas (copies with two other titles' words added, so the vocabulary grows too)."""
    if n <= len(entries):
        return rng.sample(entries, n)
    return corpora.replicate(entries, n, rng)


def child_env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_", "AWS_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="bench",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        TIL_SQLITE_PATH=str(scratch / "state.sqlite3"),
        TIL_KB_CACHE=str(scratch / "cache"),
        PYTHONPATH=str(REPO),
    )
    return env


def run_child(code: str, args: list[str], env: dict[str, str], cwd: Path) -> dict[str, object]:
    """Run a child process; its last stdout line is JSON. Its stderr (progress) is shown."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child failed (exit {done.returncode})")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def cold_til(kb: Path | None, runs: int) -> tuple[float, float, bool]:
    """Median seconds to a cold answer, and the largest peak RSS (MiB), over `runs` processes."""
    scratch = Path(tempfile.mkdtemp(prefix="tilbot-scale-"))
    env = child_env(scratch)
    if kb is not None:
        env["TIL_KB"] = str(kb)
    seconds: list[float] = []
    peak = 0.0
    answered = True
    for _ in range(runs):
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
        result = json.loads(done.stdout.strip().splitlines()[-1])
        seconds.append(result["seconds"])
        answered = answered and result["answered"]
        peak = max(peak, result["peak_mib"])
    return statistics.median(seconds), peak, answered


def build(
    entries: list[Entry], folder: Path, name: str, workers: int | None = None
) -> tuple[Path, dict[str, object]]:
    """The artifact of `entries`, built by a fresh process with `workers` processes (None: as
    `python -m knowledge build` chooses); its figures."""
    source = folder / f"{name}.json"
    source.write_text(KnowledgeBase(entries=entries).to_json())
    out = folder / f"{name}.sqlite"
    given = [] if workers is None else [str(workers)]
    figures = run_child(BUILD, [str(source), str(out), *given], child_env(folder), folder)
    source.unlink()
    return out, figures


Timing = tuple[float, float, float, float]


def corpus_builds(
    entries: list[Entry], folder: Path, workers: list[int], rounds: int
) -> dict[int, list[Timing]]:
    """Index build ms/entry (wall, CPU of every process, CPU of the first process) and the load
    average at the start, per worker count: fresh processes building the same entries, the
    counts taking turns."""
    found: dict[int, list[Timing]] = {w: [] for w in workers}
    for _ in range(rounds):
        for w in workers:
            load = os.getloadavg()[0]
            path, f = build(entries, folder, f"corpora-{w}", w)
            path.unlink()
            n = len(entries)
            keys = ("index_s", "index_cpu_s", "index_first_cpu_s")
            wall, cpu, first = (float(str(f[k])) * 1000 / n for k in keys)
            print(
                f"  {w} worker(s): {wall:.3f} ms/entry wall, {cpu:.3f} CPU, {first:.3f} CPU of "
                f"the first process, load {load:.1f}",
                flush=True,
            )
            found[w].append((wall, cpu, first, load))
    return found


def build_speed_text(n: int, found: dict[int, list[Timing]]) -> str:
    lines = [
        f"Index build of the seven corpora ({n:,} entries), measured {time.strftime('%Y-%m-%d')} "
        f"on {workers_available()} cores, fresh processes taking turns (medians of "
        f"{len(next(iter(found.values())))}). CPU counts every process. The first process "
        "analyses its run of entries, then reads and merges the others' (equal runs, done "
        "about when its own is): its CPU is about the wall time of a build with the cores to "
        "itself, which a shared machine does not show:",
        "",
        "| workers | wall ms/entry | CPU ms/entry, all processes | CPU ms/entry, first process "
        "| load average |",
        "|---|---|---|---|---|",
    ]
    for w, runs in found.items():
        wall, cpu, first = (statistics.median(r[i] for r in runs) for i in (0, 1, 2))
        loads = [r[3] for r in runs]
        lines.append(
            f"| {w} | {wall:.2f} | {cpu:.2f} | **{first:.2f}** | "
            f"{min(loads):.1f}–{max(loads):.1f} |"
        )
    return "\n".join(lines)


def workers_available() -> int:
    from knowledge.workers import available

    return available()


def query_times(entries: list[Entry], path: Path, sample: int) -> tuple[float, float, float, int]:
    """(artifact, in memory, WRatio) ms per query, and how many answers differ."""
    from rapidfuzz import fuzz, process

    rng = random.Random(5)
    asked = queries_for(rng.sample(entries, min(sample, len(entries))), rng)
    queries = [q for pairs in asked.values() for _, q in pairs]
    opened = artifact.open_index(path)
    memory = Index(entries)
    titles = [e.title for e in entries]
    differ = sum(
        1
        for q in queries
        if [(m.entry.id, m.score) for m in opened.search(q).matches]
        != [(m.entry.id, m.score) for m in memory.search(q).matches]
    )
    ours_opened, ours_memory, brute = per_query_ms_each(
        [
            opened.search,
            memory.search,
            lambda q: process.extractOne(q, titles, scorer=fuzz.WRatio),
        ],
        queries,
    )
    return ours_opened, ours_memory, brute, differ


def formats(entries: list[Entry], folder: Path, runs: int) -> list[str]:
    """Cold cost of the same index as marshal, JSON, and the SQLite artifact."""
    import marshal

    kb = KnowledgeBase(entries=entries)
    store = artifact.build_store(kb)
    # The tables a process needs in memory to search without the artifact (sets as lists for
    # JSON), and the entries as stored records.
    tables = {
        "postings": {t: list(store.postings(t).items()) for t in store.table},
        "forms": store.title_forms,
        "latin": {str(k): v for k, v in store.latin_by_len.items()},
        "hangul": {str(k): v for k, v in store.hangul_by_len.items()},
        "jamo": store.jamo_to_word,
        "choseong": dict(store.choseong_map),
        "title_stems": [[sorted(s) for s in t] for t in store.title_tokens],
        "records": [e.model_dump_json() for e in entries],
    }
    paths = {"marshal": folder / "index.marshal", "json": folder / "index.json"}
    paths["marshal"].write_bytes(marshal.dumps(tables))
    paths["json"].write_text(json.dumps(tables, ensure_ascii=False))
    paths["sqlite"] = folder / "index.sqlite"
    artifact.save(kb, store, paths["sqlite"])
    lines = [
        f"\nformats at {len(entries):,} entries (fresh process, median of {runs}):",
        f"{'format':>8} {'MiB':>6} {'cold s':>7} {'peak RSS MiB':>13}  what",
    ]
    what = {
        "marshal": "load only (no search yet)",
        "json": "load only (no search yet)",
        "sqlite": "open + answer 'docker'",
    }
    for kind, path in paths.items():
        found = [
            run_child(FORMAT, [kind, str(path)], child_env(folder), folder) for _ in range(runs)
        ]
        seconds = statistics.median(float(str(f["seconds"])) for f in found)
        peak = max(float(str(f["peak_mib"])) for f in found)
        size = path.stat().st_size / 2**20
        lines.append(f"{kind:>8} {size:6.0f} {seconds:7.2f} {peak:13.0f}  {what[kind]}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--sample", type=int, default=300, help="entries asked per size")
    parser.add_argument("--build", type=int, default=0, help="also build this many entries")
    parser.add_argument("--formats", action="store_true", help="compare storage formats")
    parser.add_argument(
        "--corpus-builds",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="only time the index build of the seven corpora, ROUNDS times per worker count",
    )
    parser.add_argument("--workers", default="1,2", help="worker counts for --corpus-builds")
    parser.add_argument(
        "--write-readme", action="store_true", help="write the --corpus-builds table to README.md"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    started = time.perf_counter()
    real = list(build_kb(CORPORA).entries)
    print(f"{len(real)} entries from {CORPORA.name}/ in {time.perf_counter() - started:.1f} s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

    out = Path(tempfile.mkdtemp(prefix="tilbot-kbs-"))
    if args.corpus_builds:
        workers = [int(w) for w in args.workers.split(",")]
        found = corpus_builds(real, out, workers, args.corpus_builds)
        text = build_speed_text(len(real), found)
        print(text)
        if args.write_readme:
            readme.write_region("build-speed", text)
        return 0
    rng = random.Random(11)
    rows = []
    built: dict[int, tuple[list[Entry], Path, dict[str, object]]] = {}
    for n in sizes:
        entries = replicate(real, n, rng)
        path, figures = build(entries, out, f"kb-{n}")
        built[n] = (entries, path, figures)
    # The bundled KB as `bot package` puts it in the zip: without knowledge/kb.sqlite (a fresh
    # clone has none) the bundled process would parse the notes, which no deployment does.
    KB_PATH.write_bytes(artifact.dumps(build_kb()))
    bundled = cold_til(None, args.runs)
    for n in sizes:
        entries, path, figures = built[n]
        seconds, peak, answered = cold_til(path, args.runs)
        ours, memory, brute, differ = query_times(entries, path, args.sample)
        rows.append(
            (n, figures, path.stat().st_size, seconds, peak, answered, ours, memory, brute, differ)
        )

    print(f"\nbundled KB: cold /til {bundled[0]:.2f} s, peak RSS {bundled[1]:.0f} MiB")
    print(
        f"{'entries':>8} {'build ms/entry':>15} {'(CPU)':>6} {'write s':>8} {'build RSS':>10} "
        f"{'KB MiB':>7} "
        f"{'cold /til s':>12} {'vs bundled':>11} {'RSS MiB':>8} {'query ms':>9} "
        f"{'in memory':>10} {'WRatio':>7} {'differ':>7}"
    )
    for n, f, size, seconds, peak, answered, ours, memory, brute, differ in rows:
        index_ms = float(str(f["index_s"])) * 1000 / n
        index_cpu_ms = float(str(f["index_cpu_s"])) * 1000 / n
        print(
            f"{n:8,} {index_ms:15.3f} {index_cpu_ms:6.3f} {float(str(f['write_s'])):8.1f} "
            f"{float(str(f['peak_mib'])):10.0f} {size / 2**20:7.0f} {seconds:12.2f} "
            f"{seconds / bundled[0]:10.2f}× {peak:8.0f} {ours:9.2f} {memory:10.2f} {brute:7.2f} "
            f"{differ:7d}{'' if answered else '  (docker not answered!)'}"
        )
    if args.build:
        entries = replicate(real, args.build, rng)
        path, f = build(entries, out, f"kb-{args.build}")
        print(
            f"\nbuild {args.build:,} entries: index {float(str(f['index_s'])):.1f} s "
            f"({float(str(f['index_s'])) * 1000 / args.build:.3f} ms/entry, CPU "
            f"{float(str(f['index_cpu_s'])) * 1000 / args.build:.3f}), write "
            f"{float(str(f['write_s'])):.1f} s, peak RSS {float(str(f['peak_mib'])):,.0f} MiB "
            f"(a worker's {float(str(f['worker_peak_mib'])):,.0f} MiB), "
            f"artifact {path.stat().st_size / 2**20:,.0f} MiB"
        )
    if args.formats:
        print("\n".join(formats(built[sizes[0]][0], out, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

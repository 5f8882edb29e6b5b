"""Does this checkout answer every question as another revision does? For speed work on search.

    python bench/answer_identity.py [--base origin/main] [--sample 200] [--artifact] [--show 20]

The same questions are asked of this checkout's ``knowledge`` and of ``--base``'s (a temporary
git worktree), each in a fresh process with the same ``PYTHONHASHSEED``, and their answers are
compared: the first three entries (ids and scores rounded to 4 places), the words found nowhere,
the suggestions and the terms the query was read as. Prints how many answers differ per set,
shows up to ``--show`` of them, and exits 1 on any difference.

Questions: ``tests/dev_queries.tsv`` and ``bench/heldout*_note.tsv`` over our note
(``knowledge/notes``); over each ``../shared/corpora`` folder (its own index) and over all of
them in one index, ``bench/dev_corpora.tsv``, every ``bench/heldout*_corpora.tsv`` and the
title queries ``bench/corpora.py`` generates (the same ones it measures for a ``--sample``). Held-out sets are counted, never shown: their questions
and answers are not printed. ``--artifact`` asks through the built artifact (as the bot does)
instead of an index built in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpora import CORPORA, DEV, load_asked, load_folders, queries_for  # noqa: E402
from bench.dev_set import DEV_QUERIES, load_dev_queries  # noqa: E402

NOTES = REPO / "knowledge" / "notes"
# Every held-out set there is, so one written later is compared too.
HELDOUT_NOTE = sorted((REPO / "bench").glob("heldout*_note.tsv"))
HELDOUT_CORPORA = sorted((REPO / "bench").glob("heldout*_corpora.tsv"))
ALL = "all corpora in one index"

# One fresh process: build each scope's index with the `knowledge` on PYTHONPATH and write
# every answer as JSON. A scope's folders are (path, prefix): entries get `prefix/` before their
# source, as bench/corpora.py names them when it puts every folder in one index.
ASK = r"""
import json, sys, tempfile, time
from pathlib import Path
from knowledge import artifact
from knowledge.loader import build_kb
from knowledge.models import KnowledgeBase
from knowledge.search import Index

job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
built = {}

def entries_of(folder, prefix):
    if folder not in built:
        built[folder] = build_kb(Path(folder)).entries
    if not prefix:
        return built[folder]
    return [e.model_copy(update={"source": f"{prefix}/{e.source}"}) for e in built[folder]]

out = {}
for scope in job["scopes"]:
    entries = [e for folder, prefix in scope["folders"] for e in entries_of(folder, prefix)]
    if job["artifact"]:
        path = Path(tempfile.mkdtemp()) / "kb.sqlite"
        artifact.write(KnowledgeBase(entries=entries), path)
        index = artifact.open_index(path)
    else:
        index = Index(entries)
    answers = []
    cpu = time.process_time()
    for query in scope["queries"]:
        a = index.search(query, limit=3)
        answers.append([
            [[m.entry.id, round(m.score, 4)] for m in a.matches],
            list(a.unmatched),
            [e.id for e in a.suggestions],
            list(a.terms),
        ])
    cpu = time.process_time() - cpu
    out[scope["name"]] = {"answers": answers, "ms": 1000 * cpu / max(len(scope["queries"]), 1)}
Path(sys.argv[2]).write_text(json.dumps(out), encoding="utf-8")
"""


@dataclass
class Asked:
    """Questions from one source, asked of one index."""

    scope: str  # which index: "note", a corpus folder, or ALL
    source: str  # where the questions come from
    queries: list[str]
    heldout: bool  # counted, never shown


@dataclass
class Scope:
    name: str
    folders: list[tuple[str, str]]
    sets: list[Asked] = field(default_factory=list)


def scopes(sample: int, only: list[str], whole_too: bool) -> list[Scope]:
    """Every index and the questions asked of it, in a fixed order: our note, each corpus folder
    (those in `only`, when given) and, with `whole_too`, all of them in one index."""
    note = Scope("note", [(str(NOTES), "")])
    for path, heldout in [(DEV_QUERIES, False), *((p, True) for p in HELDOUT_NOTE)]:
        queries = [q.query for q in load_dev_queries(path)]
        note.sets.append(Asked("note", path.name, queries, heldout))
    folders = load_folders()
    names = [name for name in folders if not only or name in only]
    whole = Scope(ALL, [(str(CORPORA / name), name) for name in names])
    own = {name: Scope(name, [(str(CORPORA / name), "")]) for name in names}
    # The very queries bench/corpora.py measures: its generator, its seed, folders in its order.
    rng = random.Random(42)
    generated: list[str] = []
    for name, entries in folders.items():
        asked = queries_for(rng.sample(entries, min(sample, len(entries))), rng)
        if name in own:
            queries = [q for pairs in asked.values() for _, q in pairs]
            own[name].sets.append(Asked(name, "generated", queries, False))
            generated += queries
    whole.sets.append(Asked(ALL, "generated", generated, False))
    for path, heldout in [(DEV, False), *((p, True) for p in HELDOUT_CORPORA)]:
        rows = load_asked(path)
        for name in names:
            queries = [r.query for r in rows if r.corpus == name]
            if queries:
                own[name].sets.append(Asked(name, path.name, queries, heldout))
        queries = [r.query for r in rows if r.corpus in own]
        whole.sets.append(Asked(ALL, path.name, queries, heldout))
    return [note, *own.values(), *([whole] if whole_too else [])]


def write_job(plan: list[Scope], artifact: bool, path: Path) -> None:
    scopes = [
        {"name": s.name, "folders": s.folders, "queries": [q for a in s.sets for q in a.queries]}
        for s in plan
    ]
    path.write_text(json.dumps({"artifact": artifact, "scopes": scopes}), encoding="utf-8")


def launch(code: Path, job: Path, out: Path) -> subprocess.Popen[str]:
    """A fresh process running `code`'s `knowledge` that writes every answer of `job` to `out`."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    return subprocess.Popen(
        [sys.executable, "-c", ASK, str(job), str(out)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=code,
    )  # fmt: skip


def finish(running: subprocess.Popen[str], code: Path, out: Path) -> dict[str, dict]:
    """Every scope's answers and search CPU ms/query, once the process is done."""
    _, err = running.communicate()
    if running.returncode:
        raise SystemExit(f"asking with {code} failed:\n{err[-3000:]}")
    found: dict[str, dict] = json.loads(out.read_text(encoding="utf-8"))
    return found


def describe(answer: list) -> str:
    matches, unmatched, suggestions, terms = answer
    top = ", ".join(f"{i} {s:.4f}" for i, s in matches) or "nothing"
    out = f"[{top}]"
    if unmatched:
        out += f" unmatched={unmatched}"
    if suggestions:
        out += f" suggest={suggestions}"
    return f"{out} terms={terms}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="origin/main", help="the revision to compare with")
    parser.add_argument("--sample", type=int, default=200, help="titles asked per corpus folder")
    parser.add_argument("--artifact", action="store_true", help="ask through the built artifact")
    parser.add_argument("--show", type=int, default=20, help="differences shown at most")
    parser.add_argument("--no-whole", action="store_true", help="skip all folders in one index")
    parser.add_argument("folders", nargs="*", help="corpus folders to ask (default: all)")
    args = parser.parse_args()
    plan = scopes(args.sample, args.folders, not args.no_whole)
    total = sum(len(a.queries) for s in plan for a in s.sets)
    print(f"{total} questions over {len(plan)} indexes; comparing with {args.base}", flush=True)
    with tempfile.TemporaryDirectory(prefix="answer-identity-") as scratch:
        base = Path(scratch) / "base"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(base), args.base],
            check=True,
        )
        job = Path(scratch) / "job.json"
        write_job(plan, args.artifact, job)
        running: list[subprocess.Popen[str]] = []
        try:
            # Both at once: each is one process, and the machine has two cores.
            outs = [Path(scratch) / f"{label}.json" for label in ("base", "this")]
            running = [launch(code, job, out) for code, out in zip((base, REPO), outs, strict=True)]
            old, new = (
                finish(run, code, out)
                for run, code, out in zip(running, (base, REPO), outs, strict=True)
            )
        finally:
            for run in running:
                if run.poll() is None:
                    run.kill()
                    run.wait()
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)])
    differ = 0
    shown: list[str] = []
    for scope in plan:
        before, after = old[scope.name]["answers"], new[scope.name]["answers"]
        start = 0
        counts = []
        for asked in scope.sets:
            n = len(asked.queries)
            changed = [k for k in range(n) if before[start + k] != after[start + k]]
            counts.append(f"{asked.source} {len(changed)}/{n}")
            differ += len(changed)
            for k in changed if not asked.heldout else []:
                if len(shown) < args.show:
                    shown.append(
                        f"{scope.name} · {asked.source}: {asked.queries[k]!r}\n"
                        f"  {args.base}: {describe(before[start + k])}\n"
                        f"  this: {describe(after[start + k])}"
                    )
            start += n
        ms = f"search CPU ms/query {old[scope.name]['ms']:.3f} → {new[scope.name]['ms']:.3f}"
        print(f"{scope.name}: differ {', '.join(counts)}; {ms}")
    for text in shown:
        print(f"\n{text}")
    print(f"\n{differ} of {total} answers differ" + (f" ({len(shown)} shown)" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

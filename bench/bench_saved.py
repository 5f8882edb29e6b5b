"""What TILs saved from Slack cost a search: rebuilding their index after a save, and the
per-question overhead of searching them beside the KB (SQLite store, real notes as bodies).

    .venv/bin/python bench/bench_saved.py [--notes 50,200,500] [--queries 200]

Saved notes are made of real TIL files (../shared/corpora/jbranchaud__til), so their size and
markup are those of real notes. Prints numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.saved import SavedIndex
from bot.sqlite_store import SQLiteStore
from bot.store import SavedNote
from knowledge import load_index

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "jbranchaud__til"
QUERIES = [
    "docker",
    "git rebase",
    "파드 재시작",
    "postgres index",
    "vim macro",
    "장고 마이그레이션",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", default="50,200,500")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    files = sorted(CORPUS.rglob("*.md"))
    kb = load_index()
    print(f"KB: {len(kb.entries)} entries (bundled notes)")
    base = timed(lambda q: kb.search(q, limit=5), args.queries)
    print(f"KB alone: search p50 {base[0]:.2f} ms, p95 {base[1]:.2f} ms")
    for n in (int(x) for x in args.notes.split(",")):
        store = SQLiteStore(":memory:")
        for i, path in enumerate(files[:n]):
            text = path.read_text(encoding="utf-8", errors="replace")
            title = text.splitlines()[0].lstrip("# ").strip() or path.stem
            store.put_note(
                SavedNote(f"n{i}", title, text, "U0BENCH", [path.parent.name], created_at=i)
            )
        saved = SavedIndex(store)
        start = time.perf_counter()
        knowledge = saved.knowledge(kb)
        rebuild = (time.perf_counter() - start) * 1000
        entries = len(knowledge.saved.entries) if knowledge.saved else 0

        def merged_search(query: str, saved: SavedIndex = saved) -> object:
            return saved.knowledge(kb).search(query, limit=5)

        merged = timed(merged_search, args.queries)
        # One more note saved: what the next question pays to see it.
        store.put_note(SavedNote("new", "새 노트", "새로 저장한 본문", "U0BENCH", created_at=n))
        start = time.perf_counter()
        saved.knowledge(kb)
        again = (time.perf_counter() - start) * 1000
        print(
            f"{n} saved notes ({entries} entries): first index {rebuild:.0f} ms, "
            f"rebuilt after one more save {again:.0f} ms; "
            f"search beside the KB p50 {merged[0]:.2f} ms, p95 {merged[1]:.2f} ms "
            f"(+{merged[0] - base[0]:.2f} ms p50, version read included)"
        )
        store.close()


def timed(search: Callable[[str], object], rounds: int) -> tuple[float, float]:
    times = []
    for i in range(rounds):
        query = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        search(query)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


if __name__ == "__main__":
    main()

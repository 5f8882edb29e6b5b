"""Answer quality on the dev query set: ours vs two baselines, and the threshold calibration.

    python bench/quality.py [--misses]

Prints top-1 accuracy over answerable queries and the no-answer rate over unanswerable ones,
for our search, plain rapidfuzz WRatio over titles, and BM25 over words. Each baseline gets the
threshold that suits it best on the same set, so the gap is not an artefact of a bad cutoff.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

from bench.dev_set import DevQuery, Figures, evaluate, load_dev_queries
from knowledge.loader import build_kb
from knowledge.models import Entry
from knowledge.search import THRESHOLD, Index


def _answers_from(table: dict[str, str | None]) -> Callable[[str], str | None]:
    """An ``answer(query)`` for `evaluate` that looks the query's title up in a fixed table."""
    return lambda text: table[text]


def _best_threshold(
    scored: Sequence[tuple[DevQuery, str | None, float]], grid: list[float]
) -> tuple[float, Figures]:
    """The cutoff maximising top-1 + no-answer for a scorer's (query, title, score) list."""
    best: tuple[float, Figures] | None = None
    for cut in grid:
        table = {q.query: (t if s >= cut else None) for q, t, s in scored}
        figures = evaluate(_answers_from(table), [q for q, _, _ in scored])
        if best is None or figures.top1 + figures.no_answer > best[1].top1 + best[1].no_answer:
            best = (cut, figures)
    assert best is not None
    return best


def wratio_baseline(entries: list[Entry], queries: list[DevQuery]) -> tuple[float, Figures]:
    titles = [e.title for e in entries]
    scored = []
    for q in queries:
        hit = process.extractOne(q.query, titles, scorer=fuzz.WRatio)
        scored.append((q, hit[0] if hit else None, hit[1] if hit else 0.0))
    return _best_threshold(scored, [float(x) for x in range(0, 101, 5)])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def bm25_baseline(entries: list[Entry], queries: list[DevQuery]) -> tuple[float, Figures]:
    bm25 = BM25Okapi([_words(f"{e.title} {e.title} {e.body}") for e in entries])
    scored = []
    for q in queries:
        scores = bm25.get_scores(_words(q.query)) if _words(q.query) else [0.0] * len(entries)
        i = max(range(len(entries)), key=lambda k: scores[k])
        scored.append((q, entries[i].title, float(scores[i])))
    return _best_threshold(scored, [x / 2 for x in range(0, 21)])


def ours(entries: list[Entry], queries: list[DevQuery]) -> tuple[float, Figures]:
    index = Index(entries, threshold=0.0)
    scored = []
    for q in queries:
        answer = index.search(q.query)
        best = answer.best
        scored.append((q, best.entry.title if best else None, best.score if best else 0.0))
    grid = [x / 100 for x in range(10, 91, 2)]
    calibrated = _best_threshold(scored, grid)
    table = {q.query: (t if s >= THRESHOLD else None) for q, t, s in scored}
    print("threshold sweep (ours): cut  top-1  no-answer")
    for cut in grid[::3]:
        t = {q.query: (ti if s >= cut else None) for q, ti, s in scored}
        f = evaluate(_answers_from(t), queries)
        print(f"  {cut:.2f}  {f.top1:6.1%}  {f.no_answer:6.1%}")
    print(f"best cut on this set: {calibrated[0]:.2f}; shipped THRESHOLD = {THRESHOLD}")
    return THRESHOLD, evaluate(lambda text: table[text], queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="list the queries each gets wrong")
    args = parser.parse_args()
    kb = build_kb(args.notes) if args.notes else build_kb()
    queries = load_dev_queries()
    n_pos = sum(1 for q in queries if q.expected)
    print(
        f"dev set: {n_pos} answerable + {len(queries) - n_pos} unanswerable queries, "
        f"{len(kb.entries)} entries"
    )
    rows = [
        ("tilbot search", ours(kb.entries, queries)),
        ("WRatio over titles", wratio_baseline(kb.entries, queries)),
        ("BM25 over words", bm25_baseline(kb.entries, queries)),
    ]
    print(f"\n{'method':22} {'cutoff':>7} {'top-1':>7} {'no-answer':>10}")
    for name, (cut, f) in rows:
        print(f"{name:22} {cut:7.2f} {f.top1:7.1%} {f.no_answer:10.1%}")
    print(
        "\nper kind (ours): " + ", ".join(f"{k} {v:.0%}" for k, v in rows[0][1][1].by_kind.items())
    )
    if args.misses:
        for name, (_, f) in rows:
            print(f"\n{name} misses:")
            for miss in f.misses:
                print("  " + miss)


if __name__ == "__main__":
    main()

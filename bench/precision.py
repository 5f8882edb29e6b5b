"""Confident wrong answers on the in-sample precision set (``bench/precision_corpora.tsv``).

    python bench/precision.py [--show]

Each question is asked of its folder's own index. Printed: how many answer with the expected
entry first, how many answer with another entry, and how many of those wrong answers score at
least 0.5 (an answer the user has no reason to doubt). ``--show`` lists the wrong answers with
the expected entry and the next two. The questions were written for the round that tuned on
them: figures on this set are in-sample.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import CORPORA, load_asked
from knowledge.loader import build_kb
from knowledge.normalize import compact
from knowledge.search import Index

PRECISION = Path(__file__).resolve().parent / "precision_corpora.tsv"
# A wrong answer scoring this much is shown as sure of itself.
CONFIDENT = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list the wrong answers")
    args = parser.parse_args()
    rows = load_asked(PRECISION)
    indexes: dict[str, Index] = {}
    right = wrong = confident = 0
    for asked in rows:
        if asked.corpus not in indexes:
            indexes[asked.corpus] = Index(build_kb(CORPORA / asked.corpus).entries)
        matches = indexes[asked.corpus].search(asked.query, limit=3).matches
        want = asked.path.split("/", 1)[1]
        best = matches[0] if matches else None
        if best is None:
            continue
        if best.entry.source == want and compact(best.entry.title) == compact(asked.title):
            right += 1
            continue
        wrong += 1
        confident += best.score >= CONFIDENT
        if args.show:
            print(f"{best.score:.2f} {asked.corpus} {asked.query!r}")
            print(f"    want {want}: {asked.title}")
            for m in matches:
                print(f"    got  {m.score:.2f} {m.entry.source}: {m.entry.title}")
    n = len(rows)
    print(
        f"precision set ({n} questions, in-sample), own index: top-1 {right / n:.1%} ({right}); "
        f"wrong answers {wrong}, of which scoring >= {CONFIDENT}: {confident}; "
        f"no answer {n - right - wrong}"
    )


if __name__ == "__main__":
    main()

"""Answer quality on our note: ours vs two baselines, in-sample apart from held-out.

    python bench/quality.py [--misses] [--heldout] [--write-readme]

In-sample: the dev set (``tests/dev_queries.tsv``), which search is tuned on; the threshold
sweep is printed for it. Held-out (``--heldout``): ``bench/heldout_note.tsv``, written by
someone else and never tuned on; only its totals are printed, never its queries or misses.

Baselines: rapidfuzz WRatio over titles, and BM25 over the same normalised tokens our index
uses (particles stripped, Latin/Hangul split), so the gap is not a tokenizer artefact. Each
baseline's cutoff is the one that suits it best on the dev set, and held-out figures use the
cutoffs chosen on the dev set, as ours does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

from bench.corpora import timing
from bench.dev_set import DEV_QUERIES, HELDOUT_NOTE, DevQuery, Figures, evaluate, load_dev_queries
from bench.readme import write_region
from knowledge.loader import build_kb
from knowledge.models import Entry
from knowledge.normalize import clean_text, latin_parts, question_words, stems, tokens
from knowledge.search import THRESHOLD, Index

# (query, best title or None, its score) for every query of a set.
Scored = list[tuple[DevQuery, str | None, float]]


def analyse(text: str) -> list[str]:
    """Our tokenizer as a bag of words: Slack markup out, question words out, each word with its
    particle-stripped stems and Latin parts (``SQLAlchemy가`` → sqlalchemy; ``secret_key`` →
    secret, key)."""
    out: list[str] = []
    skip = question_words()
    for tok in tokens(clean_text(text)):
        if tok not in skip:
            out += [*stems(tok), *latin_parts(tok)]
    return out


def at_cutoff(scored: Scored, cut: float) -> Figures:
    table = {q.query: (t if s >= cut else None) for q, t, s in scored}
    return evaluate(lambda text: table[text], [q for q, _, _ in scored])


def best_cutoff(scored: Scored, grid: Sequence[float]) -> float:
    """The cutoff maximising top-1 + no-answer on a set."""
    return max(grid, key=lambda cut: (lambda f: f.top1 + f.no_answer)(at_cutoff(scored, cut)))


def score_all(top: Callable[[str], tuple[str | None, float]], queries: list[DevQuery]) -> Scored:
    return [(q, *top(q.query)) for q in queries]


def wratio(entries: list[Entry]) -> Callable[[str], tuple[str | None, float]]:
    titles = [e.title for e in entries]

    def top(query: str) -> tuple[str | None, float]:
        hit = process.extractOne(query, titles, scorer=fuzz.WRatio)
        return (hit[0], hit[1]) if hit else (None, 0.0)

    return top


def bm25(entries: list[Entry]) -> Callable[[str], tuple[str | None, float]]:
    model = BM25Okapi([analyse(f"{e.title} {e.title} {e.body}") or ["-"] for e in entries])

    def top(query: str) -> tuple[str | None, float]:
        words = analyse(query)
        if not words:
            return None, 0.0
        scores = model.get_scores(words)
        i = max(range(len(entries)), key=lambda k: scores[k])
        return entries[i].title, float(scores[i])

    return top


def ours(index: Index) -> Callable[[str], tuple[str | None, float]]:
    def top(query: str) -> tuple[str | None, float]:
        best = index.search(query).best
        return (best.entry.title, best.score) if best else (None, 0.0)

    return top


METHODS = (
    ("tilbot search", lambda entries: ours(Index(entries, threshold=0.0)), None),
    ("WRatio over titles", wratio, [float(x) for x in range(0, 101, 5)]),
    ("BM25, our tokens", bm25, [x / 4 for x in range(0, 41)]),
)


def table(rows: list[tuple[str, float, Figures, Figures | None]]) -> str:
    """A markdown table: method, cutoff, dev top-1 / no-answer, held-out top-1 / no-answer."""
    held = any(h for *_, h in rows)
    head = "| method | cutoff | dev top-1 | dev no-answer |"
    rule = "|---|---|---|---|"
    if held:
        head += " held-out top-1 | held-out no-answer |"
        rule += "---|---|"
    lines = [head, rule]
    for name, cut, dev, heldout in rows:
        line = f"| {name} | {cut:g} | {dev.top1:.1%} | {dev.no_answer:.1%} |"
        if held:
            line += f" {heldout.top1:.1%} | {heldout.no_answer:.1%} |" if heldout else " | |"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="list the dev queries missed")
    parser.add_argument("--heldout", action="store_true", help="also measure the held-out set")
    parser.add_argument("--write-readme", action="store_true", help="write figures to README")
    args = parser.parse_args()
    kb = build_kb(args.notes) if args.notes else build_kb()
    dev = load_dev_queries()
    heldout = load_dev_queries(HELDOUT_NOTE) if args.heldout else []
    n_dev = sum(1 for q in dev if q.expected)
    n_held = sum(1 for q in heldout if q.expected)
    print(f"notes: {len(kb.entries)} entries")
    print(f"in-sample dev set ({DEV_QUERIES.name}): {n_dev} answerable + {len(dev) - n_dev} not")
    if heldout:
        print(
            f"held-out set ({HELDOUT_NOTE.name}): {n_held} answerable + {len(heldout) - n_held} not"
        )

    rows: list[tuple[str, float, Figures, Figures | None]] = []
    for name, make, grid in METHODS:
        top = make(kb.entries)
        scored = score_all(top, dev)
        if grid is None:
            sweep = [x / 100 for x in range(10, 91, 6)]
            print("\nthreshold sweep (ours, dev set): cut  top-1  no-answer")
            for cut in sweep:
                f = at_cutoff(scored, cut)
                print(f"  {cut:.2f}  {f.top1:6.1%}  {f.no_answer:6.1%}")
            print(f"best cut on the dev set: {best_cutoff(scored, sweep):.2f}; shipped {THRESHOLD}")
            cut = THRESHOLD
        else:
            cut = best_cutoff(scored, grid)
        dev_figures = at_cutoff(scored, cut)
        held_figures = at_cutoff(score_all(top, heldout), cut) if heldout else None
        rows.append((name, cut, dev_figures, held_figures))

    print()
    print(table(rows))
    print(
        "\nper kind, dev set (ours): "
        + ", ".join(f"{k} {v:.0%}" for k, v in rows[0][2].by_kind.items())
    )
    ours_ms, brute_ms = timing(Index(kb.entries), [q.query for q in dev])
    speed = (
        f"Per query over the dev set: {ours_ms:.3f} ms ours, {brute_ms:.3f} ms brute-force "
        f"`process.extractOne(query, titles, scorer=fuzz.WRatio)` over the same "
        f"{len(kb.entries)} titles in the same run (CPU time, best of 5 rounds taking turns, memo emptied before each)."
    )
    print(speed)
    if args.misses:
        for name, _, f, _ in rows:
            print(f"\n{name} misses on the dev set:")
            for miss in f.misses:
                print("  " + miss)
    if args.write_readme:
        title = (
            f"Our note, {len(kb.entries)} entries. Dev set `tests/dev_queries.tsv` (in-sample: "
            f"tuned on): {n_dev} answerable + {len(dev) - n_dev} that must get no answer."
        )
        if heldout:
            title += (
                f" Held-out `bench/heldout_note.tsv` (written by someone else, never tuned on, "
                f"measured once): {n_held} + {len(heldout) - n_held}."
            )
        note = "Baseline cutoffs are each one's best on the dev set; held-out uses the same."
        if heldout:
            write_region("quality", f"{title}\n\n{table(rows)}\n\n{note}")
        else:
            # The table holds held-out figures, measured once: only --heldout rewrites it.
            print("the quality table keeps its held-out figures (rewritten only with --heldout)")
        write_region("quality-speed", speed)


if __name__ == "__main__":
    main()

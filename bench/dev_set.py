"""Query sets for our note and how to score a search function on them.

``tests/dev_queries.tsv`` is the dev set: search is tuned on it (in-sample). ``bench/heldout_note.tsv``
was written by someone else and is never tuned on: it is measured once and reported as measured.
Both are ``query<TAB>kind<TAB>expected``; expected titles are alternatives (more tab columns, or
`` | `` inside one), ``-`` means the bot must say it found nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEV_QUERIES = Path(__file__).resolve().parent.parent / "tests" / "dev_queries.tsv"
HELDOUT_NOTE = Path(__file__).resolve().parent / "heldout_note.tsv"


@dataclass(frozen=True)
class DevQuery:
    query: str
    kind: str
    expected: tuple[str, ...]  # acceptable titles; empty = must answer nothing


def load_dev_queries(path: Path = DEV_QUERIES) -> list[DevQuery]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, kind, *columns = line.split("\t")
        expected = [e.strip() for column in columns for e in column.split(" | ")]
        out.append(DevQuery(query, kind, tuple(e for e in expected if e and e != "-")))
    return out


@dataclass
class Figures:
    top1: float  # share of answerable queries whose first answer is right
    no_answer: float  # share of unanswerable queries that got no answer
    by_kind: dict[str, float]
    misses: list[str]


def evaluate(answer: Callable[[str], str | None], queries: list[DevQuery]) -> Figures:
    """``answer(query)`` returns the top title, or None when it would say it found nothing."""
    hits: dict[str, list[bool]] = defaultdict(list)
    misses = []
    oks = []
    for q in queries:
        got = answer(q.query)
        ok = got is None if not q.expected else got in q.expected
        hits[q.kind].append(ok)
        oks.append(ok)
        if not ok:
            misses.append(f"{q.kind:15} {q.query!r} → {got!r} (want {q.expected or 'nothing'})")
    positives = [ok for q, ok in zip(queries, oks, strict=True) if q.expected]
    negatives = [ok for q, ok in zip(queries, oks, strict=True) if not q.expected]
    return Figures(
        top1=sum(positives) / max(len(positives), 1),
        no_answer=sum(negatives) / max(len(negatives), 1),
        by_kind={k: sum(v) / len(v) for k, v in sorted(hits.items())},
        misses=misses,
    )

"""Title recall and speed on the seven real TIL corpora, each alone and all together.

    python bench/corpora.py [--sample 400] [--dev [--misses]] [--heldout] [--scale] [--write-readme]

For every folder of ``../shared/corpora``, queries are generated from its entries' titles:
asked exactly, with one typo, squashed (spaces removed), without a leading number ("01. What is
webpack?" → "What is webpack?"), and phrased as a question ("<title>이 뭐야?", "what is
<title>?"). A query is answered right when the first answer has the asked title. Printed per
folder (an index over that folder alone) and for all folders in one index, with our per-query
time next to brute-force ``process.extractOne(query, titles, scorer=fuzz.WRatio)`` over the same
titles in the same run.

``--dev`` also measures ``bench/dev_corpora.tsv`` and ``bench/dev2_corpora.tsv``, hand-written
questions about these folders that search is tuned on (in-sample): per folder and per kind, and
with ``--misses`` each miss.
``--heldout`` measures ``bench/heldout_corpora.tsv``, ``bench/heldout2_corpora.tsv``,
``bench/heldout3_corpora.tsv`` and ``bench/heldout4_corpora.tsv`` the same way (hand-written by
others, never tuned on): totals only, never their queries. ``--scale`` adds query, KB load and
index figures at 50k and 100k synthetic entries.

``--corpora DIR`` measures the folders of another root the same way, and ``--questions FILE``
asks hand-written questions about them (same columns as the sets above; totals and per kind,
never the questions). This is how collections that are not in the project are measured: public
TIL repositories fetched beside it, with questions written by someone who has not read the
search code. With ``--write-readme`` such a run writes its own README region (``--region``,
``unseen`` by default: one per set of collections). Once such a set's misses have been read
and tuned on, ``--tuned-since ROUND`` reports it as in-sample, as it has become.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process

from bench.readme import read_region, write_region
from knowledge.hangul import INITIALS, VOWELS, compose, decompose, is_syllable
from knowledge.loader import build_kb, load_kb_text
from knowledge.models import Entry, KnowledgeBase
from knowledge.normalize import compact, without_numbering
from knowledge.search import Index
from knowledge.textutil import emoji_codes, strip_html

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
HELDOUT = Path(__file__).resolve().parent / "heldout_corpora.tsv"
# Written later (2026-11-26) by another hand that had read neither the search code nor the other
# sets, before the search changed again: each set is measured once after the work it follows.
HELDOUT2 = Path(__file__).resolve().parent / "heldout2_corpora.tsv"
# A third set (2026-11-26), again by a hand that had read neither the search code nor the other
# sets, measured once after the work it follows.
HELDOUT3 = Path(__file__).resolve().parent / "heldout3_corpora.tsv"
# A fourth set (2026-11-26), 140 questions (20 per corpus folder), written the same blind way and
# measured once after the work it follows.
HELDOUT4 = Path(__file__).resolve().parent / "heldout4_corpora.tsv"
DEV = Path(__file__).resolve().parent / "dev_corpora.tsv"
# A second in-sample set (2026-11-26, round 9): 105 natural questions (15 a folder, half about a
# whole note, half about one section of a longer note), written by a hand that had read neither
# the search code nor the other sets. Measured once before round 9 changed anything (README),
# then tuned on: its misses are read, so it is in-sample like the first.
DEV2 = Path(__file__).resolve().parent / "dev2_corpora.tsv"
KINDS = ("exact", "one typo", "squashed", "no number", "question")
TARGETS = {"exact": 0.995, "one typo": 0.99, "squashed": 0.99}
HELDOUT_PARAGRAPH = "Held-out hand-written questions"


def one_typo(title: str, rng: random.Random) -> str:
    """One slip of the keyboard in a word of four or more letters: a letter replaced, dropped,
    doubled or swapped with its neighbour. Hangul slips are of one jamo key (환경 → 횐경, a
    final consonant dropped) or two syllables swapped (스토리보드 → 토스리보드).

    Never in a number or a shorter word, and never leaving a Latin word under four letters: a
    mistyped number is another valid number (11-2-2023 is 11-02 as much as 11-24), and search
    reads words under four letters (GIL, CSV) as written, never as a typo of another word."""
    words = [m for m in re.finditer(r"[A-Za-z]{4,}|[가-힣]{2,}", title)]
    if not words:
        return title
    word = rng.choice(words)
    i = rng.randrange(word.start(), word.end())
    # A Latin word is never left under four letters (HTTP → TTP): search reads those as written.
    shortens = word.group().isascii() and len(word.group()) <= 4
    kind = rng.choice(
        ["replace", "double", "swap"] if shortens else ["replace", "drop", "double", "swap"]
    )
    if is_syllable(title[i]):
        if kind == "swap" and i + 1 < word.end():
            return title[:i] + title[i + 1] + title[i] + title[i + 2 :]
        return title[:i] + _hangul_slip(title[i], kind, rng) + title[i + 1 :]
    if kind == "replace":
        pool = [c for c in "abcdefghijklmnopqrstuvwxyz" if c != title[i].lower()]
        return title[:i] + rng.choice(pool) + title[i + 1 :]
    if kind == "drop":
        return title[:i] + title[i + 1 :]
    if kind == "double":
        return title[:i] + title[i] + title[i:]
    j = i + 1 if i + 1 < word.end() else i - 1
    a, b = sorted((i, j))
    return title[:a] + title[b] + title[a] + title[b + 1 :]


def _hangul_slip(syllable: str, kind: str, rng: random.Random) -> str:
    """The syllable with one jamo key wrong: its vowel, its final dropped, or its initial."""
    initial, vowel, final = decompose(syllable)
    if kind == "replace":
        return compose(initial, rng.choice([v for v in VOWELS if v != vowel]), final)
    if kind == "drop" and final:
        return compose(initial, vowel)
    other = rng.choice([c for c in INITIALS if c != initial])
    return compose(other, vowel, final)


def without_number(title: str) -> str | None:
    """The title without its leading number, or None when it has none worth removing."""
    rest = without_numbering(title)
    return rest if rest != title and len(compact(rest)) >= 3 else None


def as_question(title: str) -> str:
    """The title asked the way people ask: 이/가 chosen by the last syllable's final consonant."""
    last = title.rstrip()[-1:] or " "
    if is_syllable(last):
        has_final = bool(decompose(last)[2])
        return f"{title}{'이' if has_final else '가'} 뭐야?"
    if any(is_syllable(ch) for ch in title):
        return f"{title}에 대해 알려줘"
    return f"what is {title}?"


def queries_for(entries: list[Entry], rng: random.Random) -> dict[str, list[tuple[Entry, str]]]:
    out: dict[str, list[tuple[Entry, str]]] = {kind: [] for kind in KINDS}
    for e in entries:
        out["exact"].append((e, e.title))
        typo = one_typo(e.title, rng)
        if typo != e.title:
            out["one typo"].append((e, typo))
        out["squashed"].append((e, e.title.replace(" ", "")))
        stripped = without_number(e.title)
        if stripped:
            out["no number"].append((e, stripped))
        out["question"].append((e, as_question(e.title)))
    return out


def recall(index: Index, asked: list[tuple[Entry, str]]) -> float:
    """Share of queries whose first answer is the entry asked for (or one with the same title:
    two notes titled alike cannot be told apart by their title)."""
    hits = 0
    for entry, query in asked:
        best = index.search(query).best
        hits += best is not None and right(best.entry.title, entry.title, query)
    return hits / max(len(asked), 1)


def right(got: str, want: str, query: str) -> bool:
    """The asked title, or another that reads exactly as the query did (asking "Consumer"
    for "02_Consumer" is answered as well by "03_Consumer" or "Consumer")."""
    return compact(got) == compact(want) or compact(query) in (
        compact(got),
        compact(without_numbering(got)),
    )


def per_query_ms_each(
    fns: list[Callable[[str], object]], queries: list[str], rounds: int = 5
) -> list[float]:
    """Mean CPU time per query of each function, best of a few rounds taking turns.

    On a shared machine another process only ever adds time, and its load drifts: the
    functions take turns within each round so a slow spell falls on all of them alike, and CPU
    time leaves out the waits for a core. Our index memoises word look-ups; the memo is
    emptied before each round so no round profits from having seen the same queries before."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            owner = getattr(fn, "__self__", None)
            if isinstance(owner, Index):
                owner.clear_memo()
            started = time.process_time()
            for q in queries:
                fn(q)
            best[i] = min(best[i], time.process_time() - started)
    return [b / len(queries) * 1000 for b in best]


def timing(index: Index, queries: list[str]) -> tuple[float, float]:
    """(ours, brute-force WRatio extractOne) mean ms per query over the same titles."""
    titles = [e.title for e in index.entries]
    ours, brute = per_query_ms_each(
        [index.search, lambda q: process.extractOne(q, titles, scorer=fuzz.WRatio)], queries
    )
    return ours, brute


@dataclass
class Row:
    name: str
    entries: int
    rates: dict[str, float]
    counts: dict[str, int]
    ours_ms: float
    brute_ms: float


def measure(name: str, index: Index, asked: dict[str, list[tuple[Entry, str]]]) -> Row:
    rates = {kind: recall(index, pairs) for kind, pairs in asked.items()}
    flat = [q for pairs in asked.values() for _, q in pairs]
    sample = random.Random(3).sample(flat, min(300, len(flat)))
    ours, brute = timing(index, sample)
    counts = {kind: len(pairs) for kind, pairs in asked.items()}
    return Row(name, len(index.entries), rates, counts, ours, brute)


def table(rows: list[Row]) -> str:
    head = "| corpus | entries | " + " | ".join(KINDS) + " | ms/query ours | WRatio |"
    lines = [head, "|---" * (len(KINDS) + 4) + "|"]
    for r in rows:
        rates = " | ".join(
            f"{r.rates[k]:.1%} ({r.counts[k]})" if r.counts[k] else "— (0)" for k in KINDS
        )
        lines.append(f"| {r.name} | {r.entries:,} | {rates} | {r.ours_ms:.2f} | {r.brute_ms:.2f} |")
    return "\n".join(lines)


def load_folders(root: Path = CORPORA) -> dict[str, list[Entry]]:
    out = {}
    for folder in sorted(root.iterdir()):
        if folder.is_dir():
            kb = build_kb(folder)
            out[folder.name] = [
                e.model_copy(update={"source": f"{folder.name}/{e.source}"}) for e in kb.entries
            ]
    return out


@dataclass(frozen=True)
class Asked:
    """One hand-written question about a corpus and the entry that answers it."""

    corpus: str
    query: str
    kind: str
    path: str  # the file, as ``corpus/relative path``
    title: str


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def load_asked(path: Path) -> list[Asked]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            corpus, query, kind, file, title = line.split("\t")
            # The key gives a heading as its markdown source: a title shows a link's text, and
            # the words of inline HTML (`<font color="#ffc000">Policy iteration</font>`), as
            # GitHub shows them and the parser reads them.
            title = " ".join(strip_html(_LINK.sub(r"\1", title)).split())
            # A file committed from macOS keeps its name decomposed (NFD); the KB names notes
            # in NFC (`knowledge.loader`), as their text is.
            file = unicodedata.normalize("NFC", file)
            rows.append(Asked(corpus, query, kind, f"{corpus}/{file}", title))
    return rows


@dataclass
class Outcome:
    """How one index answered one question: the first answer, and whether the expected entry
    is first, its file first, or its file among the first three."""

    asked: Asked
    scope: str  # the corpus (its own index) or ALL
    got: str  # first answer as "file: title (score)", or "nothing"
    entry: bool
    file: bool
    file3: bool
    sure: bool | None = None  # the answer marked sure (None: no answer)


ALL = "all seven in one index"


def names(asked: Asked, entry: Entry) -> bool:
    """Whether the entry is the one the key names: by its title, or, for a file with no
    heading, which the key names by its file name ("README"), the file's document (titled by
    its folder's name, `knowledge.textutil.note_name`). A key copies its heading as written:
    its emoji codes (``:book:``) are pictures on GitHub, no part of the title the parser reads."""
    if compact(entry.title) == compact(emoji_codes().sub(" ", asked.title)):
        return True
    stem = asked.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return entry.kind == "document" and compact(asked.title) == compact(stem)


def ask_all(rows: list[Asked], indexes: dict[str, Index], whole: Index) -> list[Outcome]:
    """Every question to its folder's own index and to the index over all folders."""
    out = []
    for asked in rows:
        for scope, index in ((asked.corpus, indexes[asked.corpus]), (ALL, whole)):
            answer = index.search(asked.query, limit=3)
            matches = answer.matches
            # `source` is the file path alone; a file name may hold a colon ("Part3 : 코루틴").
            files = [m.entry.source for m in matches]
            best = matches[0] if matches else None
            out.append(
                Outcome(
                    asked,
                    scope,
                    f"{files[0]}: {best.entry.title} ({best.score:.2f})" if best else "nothing",
                    bool(files)
                    and files[0] == asked.path
                    and best is not None
                    and names(asked, best.entry),
                    bool(files) and files[0] == asked.path,
                    asked.path in files,
                    answer.sure if matches else None,
                )
            )
    return out


def sureness(outcomes: list[Outcome]) -> str:
    """How often answers marked sure and not sure were right (each folder's own index): what
    the card's "not sure" line tells the asker."""
    alone = [o for o in outcomes if o.scope != ALL]
    sure = [o for o in alone if o.sure]
    unsure = [o for o in alone if o.sure is False]
    return (
        f"Answers marked sure were right {share(sure, 'entry')} of the time ({len(sure)}), "
        f"those marked not sure {share(unsure, 'entry')} ({len(unsure)}); each folder's own "
        "index."
    )


def share(outcomes: list[Outcome], what: str) -> str:
    n = len(outcomes)
    return f"{sum(getattr(o, what) for o in outcomes) / n:.1%}" if n else "—"


def heldout_summary(outcomes: list[Outcome], shown: str) -> str:
    """Totals only: the held-out set's questions and misses are never printed."""
    alone = [o for o in outcomes if o.scope != ALL]
    together = [o for o in outcomes if o.scope == ALL]
    return (
        f"{HELDOUT_PARAGRAPH} (`{shown}`, {len(alone)} questions "
        "about the seven folders, written by someone else, never tuned on, measured once): the "
        f"first answer is the expected entry in {share(alone, 'entry')} with each folder's own "
        f"index ({share(alone, 'file')} the expected file), {share(together, 'entry')} with all "
        f"folders in one index ({share(together, 'file')} the expected file). " + sureness(outcomes)
    )


def dev_summary(outcomes: list[Outcome], heading: str = "", together_name: str = ALL) -> str:
    """Per folder and per kind, each alone and all together: the in-sample figures (or, with a
    `heading`, another set's)."""
    alone = [o for o in outcomes if o.scope != ALL]
    together = [o for o in outcomes if o.scope == ALL]
    lines = [
        heading
        or (
            f"In-sample dev questions (`bench/dev_corpora.tsv`, {len(alone)} hand-written "
            "questions about the seven folders; search is TUNED on these, so they are not a "
            "measure of generality): top-1 entry / top-1 file / file in top 3."
        ),
        "",
        f"| questions | n | own index | {together_name} |",
        "|---|---|---|---|",
    ]

    def row(name: str, attr: str = "", value: str = "") -> str:
        cells = []
        for group in (alone, together):
            chosen = [o for o in group if not attr or getattr(o.asked, attr) == value]
            cells.append(" / ".join(share(chosen, w) for w in ("entry", "file", "file3")))
        n = sum(not attr or getattr(o.asked, attr) == value for o in alone)
        return f"| {name} | {n} | {' | '.join(cells)} |"

    for corpus in sorted({o.asked.corpus for o in alone}):
        lines.append(row(corpus, "corpus", corpus))
    for kind in sorted({o.asked.kind for o in alone}):
        lines.append(row(f"kind: {kind}", "kind", kind))
    lines.append(row("**all**"))
    lines += ["", sureness(outcomes)]
    return "\n".join(lines)


def misses(outcomes: list[Outcome]) -> str:
    """The dev questions whose first answer is not the expected entry (dev set only)."""
    return "\n".join(
        f"{o.asked.kind:10} {'ALL' if o.scope == ALL else 'own'} {o.asked.query!r}\n"
        f"    want {o.asked.path}: {o.asked.title}\n    got  {o.got}"
        for o in outcomes
        if not o.entry
    )


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def replicate(entries: list[Entry], n: int, rng: random.Random) -> list[Entry]:
    """Synthetic entries: real ones copied with a varied title so the vocabulary also grows."""
    words = sorted({w for e in entries for w in e.title.split()})
    out = list(entries)
    k = 0
    while len(out) < n:
        base = entries[k % len(entries)]
        extra = " ".join(rng.sample(words, 2))
        out.append(
            base.model_copy(update={"id": f"{base.id}-{k}", "title": f"{base.title} {extra}"})
        )
        k += 1
    return out


def scale(entries: list[Entry], sizes: list[int], queries: list[str]) -> str:
    """A markdown table of query, load, build time and memory at each size."""
    rng = random.Random(7)
    lines = [
        "| entries | query ms | WRatio extractOne ms | KB load (JSON → models) s | index build s "
        "| index MiB |",
        "|---|---|---|---|---|---|",
    ]
    for n in sizes:
        text = KnowledgeBase(entries=replicate(entries, n, rng)).to_json()
        gc.collect()
        started = time.perf_counter()
        many = load_kb_text(text).entries  # JSON → validated models, as the bot loads a KB
        load_s = time.perf_counter() - started
        gc.collect()
        before = rss_mib()
        started = time.perf_counter()
        index = Index(many)
        build_s = time.perf_counter() - started
        grown = rss_mib() - before
        ours, brute = timing(index, queries)
        lines.append(
            f"| {n:,} | {ours:.2f} | {brute:.2f} | {load_s:.2f} | {build_s:.1f} | {grown:,.0f} |"
        )
        print(lines[-1], flush=True)
        del index, many
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=400, help="titles asked per folder")
    parser.add_argument("--dev", action="store_true", help="also measure the dev set (in-sample)")
    parser.add_argument("--misses", action="store_true", help="with --dev: print its misses")
    parser.add_argument("--heldout", action="store_true", help="also measure the held-out sets")
    parser.add_argument("--scale", action="store_true", help="also measure 50k and 100k entries")
    parser.add_argument("--write-readme", action="store_true", help="write figures to README")
    parser.add_argument(
        "--corpora", type=Path, default=CORPORA, help="a folder of note folders to measure"
    )
    parser.add_argument(
        "--questions", type=Path, help="hand-written questions about --corpora (totals only)"
    )
    parser.add_argument(
        "--region",
        default="unseen",
        help="with --corpora: the README region its figures go to (one per set of collections)",
    )
    parser.add_argument(
        "--tuned-since",
        metavar="ROUND",
        help="with --questions: a set once held out whose misses have since been read and tuned "
        "on (say which round), reported as in-sample",
    )
    args = parser.parse_args()
    rng = random.Random(42)
    unseen = args.corpora.resolve() != CORPORA.resolve()

    started = time.perf_counter()
    folders = load_folders(args.corpora)
    together = f"all {len(folders)} in one index"
    parse_s = time.perf_counter() - started
    rows: list[Row] = []
    indexes: dict[str, Index] = {}
    every: dict[str, list[tuple[Entry, str]]] = {kind: [] for kind in KINDS}
    for name, entries in folders.items():
        indexes[name] = Index(entries)
        asked = queries_for(rng.sample(entries, min(args.sample, len(entries))), rng)
        for kind, pairs in asked.items():
            every[kind] += pairs
        rows.append(measure(name, indexes[name], asked))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    everything = [e for entries in folders.values() for e in entries]
    started = time.perf_counter()
    whole = Index(everything)
    index_s = time.perf_counter() - started
    rows.append(measure(together, whole, every))
    print()
    print(table(rows))
    summary = (
        f"{len(everything):,} entries from {len(folders)} folders; parse {parse_s:.1f} s, "
        f"one index over all {index_s:.1f} s. Up to {args.sample} titles asked per folder; "
        f"(n) = queries of that kind."
    )
    print(summary)
    missed = [
        f"{r.name} {kind} {r.rates[kind]:.1%} < {goal:.1%}"
        for r in rows
        for kind, goal in TARGETS.items()
        if r.rates[kind] < goal
    ]
    slower = [r.name for r in rows if r.ours_ms >= r.brute_ms]
    print("targets (exact/typo/squashed ≥ 99.5/99/99%):", "; ".join(missed) or "all met")
    print("slower than brute-force WRatio:", ", ".join(slower) or "none")
    dev = ""
    if args.dev:
        outcomes = ask_all(load_asked(DEV), indexes, whole)
        second = ask_all(load_asked(DEV2), indexes, whole)
        if args.misses:
            print(misses(outcomes))
            print(misses(second))
        dev = "\n\n".join(
            (
                dev_summary(outcomes),
                dev_summary(
                    second,
                    "A second in-sample set (`bench/dev2_corpora.tsv`, "
                    f"{sum(o.scope != ALL for o in second)} natural questions about the seven "
                    "folders, half about a whole note and half about one section, written blind "
                    "to the search code before round 9 and tuned on since): top-1 entry / top-1 "
                    "file / file in top 3.",
                ),
            )
        )
        print(dev)
    held = ""
    if args.heldout:
        held = "\n\n".join(
            heldout_summary(ask_all(load_asked(path), indexes, whole), f"bench/{path.name}")
            for path in (HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4)
        )
        print(held)
    elif args.write_readme:
        # Held-out figures are measured once: a run without --heldout keeps them as they were.
        held = "\n\n".join(
            p for p in read_region("corpora").split("\n\n") if p.startswith(HELDOUT_PARAGRAPH)
        )
    extra = ""
    if args.questions:
        outcomes = ask_all(load_asked(args.questions), indexes, whole)
        n_asked = sum(o.scope != ALL for o in outcomes)
        about = (
            f"(`{args.questions.name}`, {n_asked} questions about {len(folders)} collections that "
            "are not in the project, written by someone who had not read the search code"
        )
        extra = dev_summary(
            outcomes,
            (
                f"In-sample hand-written questions {about}; their misses were read and search "
                f"tuned on them since round {args.tuned_since}): top-1 entry / top-1 file / file in top 3."
            )
            if args.tuned_since
            else f"{HELDOUT_PARAGRAPH} {about}, never tuned on): top-1 entry / top-1 file / "
            "file in top 3.",
            together,
        )
        print(extra)
    if unseen:
        if args.write_readme:
            sources = ", ".join(f"`{name}`" for name in folders)
            write_region(
                args.region,
                "\n\n".join(
                    p
                    for p in (
                        f"Measured {time.strftime('%Y-%m-%d')} on {sources}.",
                        summary,
                        table(rows),
                        extra,
                    )
                    if p
                ),
            )
        return
    grown = ""
    if args.scale:
        flat = [q for pairs in every.values() for _, q in pairs]
        grown = scale(everything, [50_000, 100_000], rng.sample(flat, 200))
    if args.write_readme:
        write_region("corpora", "\n\n".join(p for p in (summary, table(rows), dev, held) if p))
        if grown:
            write_region("scale", grown)


if __name__ == "__main__":
    main()

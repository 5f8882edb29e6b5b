"""What the parser makes of the real TIL corpora, and whether every file's ``# Title`` is an entry.

    python bench/parse_corpora.py [--corpora ../shared/corpora] [--misses]

Prints per corpus (and all together): files, entries, documents / sections / topics, problems
(errors / warnings), files whose ``# Title`` is not an entry (must be 0) and parse time; then how
long the Slack card and full view of a 1 MB note take to render.

A file's ``# Title`` is read here without the parser, from the raw lines (a level-1 ATX heading
outside code fences), so the check does not grade the parser with its own reading.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.loader import build_kb
from knowledge.models import Entry, KnowledgeBase

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"

_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
# A fence may open on a list item's own line ("- ```python"): its "  # comment" lines are code.
_FENCE = re.compile(r"^ {0,3}(?:(?:[-*+]|\d+[.)])[ \t]+)?(`{3,}|~{3,}|'{3})")
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")
# Links and images first, over the whole heading: a link's text may hold a code span
# ("[Internationalization using `MessageSource`](…)").
_LINKS = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
]
_MARKUP = [
    # An HTML tag as CommonMark reads one: an ASCII name ("<반효경>" after a title is text).
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?/?>"), ""),
    # A comment in a heading ("# Table of Contents <!-- omit in toc -->") is never shown.
    (re.compile(r"<!--.*?-->"), ""),
    # An emoji code standing apart (`# :pencil2: Today I Learned`): GitHub shows a picture.
    (re.compile(r"(?<!\S)(?::[a-z0-9_+-]+:)+(?!\S)"), ""),
]


def key(title: str) -> str:
    """Letters, digits and underscores only, lower case: how two readings of a title compare."""
    return "".join(re.findall(r"\w", title.lower()))[:100]


def h1_titles(path: Path) -> list[str]:
    """Level-1 ATX headings outside fences and front matter, with link/image/HTML markup gone."""
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return []
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1 :]
    out: list[str] = []
    fence = ""
    comment = False  # inside an HTML comment, which is never shown: a heading in it is none
    for line in lines:
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and not line.strip().strip(fence[0]):
                fence = ""
        elif comment or line.lstrip().startswith("<!--"):
            opened = 0 if comment else line.find("<!--") + 4
            comment = "-->" not in line[opened:]
        elif m:
            fence = m.group(1)
        elif h := _H1.match(line):
            # Markup is read outside code spans only: `<input>` in backticks is text.
            heading = h.group(1)
            for pattern, repl in _LINKS:
                heading = pattern.sub(repl, heading)
            parts = _CODE_SPAN.split(heading)
            for i in range(0, len(parts), 2):
                for pattern, repl in _MARKUP:
                    parts[i] = pattern.sub(repl, parts[i])
            title = "".join(parts)
            if key(title):
                out.append(title)
    return out


def missing_titles(kb: KnowledgeBase, folder: Path) -> list[tuple[str, str]]:
    """(file, title) for every file's first ``# Title`` that is no entry of that file."""
    # Compared as the loader names notes (NFC): a folder saved on macOS stores names decomposed.
    titles: dict[str, set[str]] = {}
    cut: dict[str, list[str]] = {}  # titles shortened to the parser's length, "…" at the end
    for entry in kb.entries:
        source = unicodedata.normalize("NFC", entry.source)
        titles.setdefault(source, set()).add(key(entry.title))
        if entry.title.endswith("…"):
            cut.setdefault(source, []).append(key(entry.title[:-1]))
    broken = {p.source for p in kb.problems if p.level == "error" and "NUL" in p.message}
    missing = []
    for path in sorted(folder.rglob("*.md")):
        source = unicodedata.normalize("NFC", path.relative_to(folder).as_posix())
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # hidden folders are no notes, to the loader as to git's tools
        found = h1_titles(path)
        if not found or source in broken:
            continue
        whole = key(found[0])
        if whole not in titles.get(source, set()) and not any(
            whole.startswith(start) for start in cut.get(source, [])
        ):
            missing.append((source, found[0]))
    return missing


def row(name: str, kb: KnowledgeBase, files: int, missing: int, seconds: float) -> str:
    kinds = Counter(e.kind for e in kb.entries)
    errors = sum(1 for p in kb.problems if p.level == "error")
    return (
        f"{name:28} {files:6} {len(kb.entries):8} {kinds['document']:6} {kinds['section']:8} "
        f"{kinds['topic']:6} {errors:6} {len(kb.problems) - errors:6} {missing:8} {seconds:7.2f}"
    )


def render_times() -> str:
    from bot.blocks import entry_blocks, full_entry_blocks

    line = "긴 노트의 한 줄에는 **굵은 글씨**와 [링크](https://example.com/a)가 있습니다.\n"
    body = line * (1_000_000 // len(line.encode()))
    entry = Entry(id="big", title="1 MB", body=body, summary="", source="big.md", line=1)
    started = time.perf_counter()
    entry_blocks(entry, "ko")
    card = time.perf_counter() - started
    started = time.perf_counter()
    full_entry_blocks(entry, "ko")
    full = time.perf_counter() - started
    return f"1 MB note: card rendered in {card * 1000:.1f} ms, full view in {full * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--misses", action="store_true", help="list the titles that are missing")
    args = parser.parse_args()
    folders = sorted(p for p in args.corpora.iterdir() if p.is_dir())
    if not folders:
        print(f"no corpora in {args.corpora}", file=sys.stderr)
        return 2
    print(
        f"{'corpus':28} {'files':>6} {'entries':>8} {'docs':>6} {'sections':>8} {'topics':>6} "
        f"{'errors':>6} {'warns':>6} {'no title':>8} {'parse s':>7}"
    )
    total_missing = 0
    for folder in folders:
        started = time.perf_counter()
        kb = build_kb(folder)
        seconds = time.perf_counter() - started
        missing = missing_titles(kb, folder)
        total_missing += len(missing)
        files = len({e.source for e in kb.entries} | {p.source for p in kb.problems})
        print(row(folder.name, kb, files, len(missing), seconds))
        if args.misses:
            for source, title in missing:
                print(f"    {source}: # {title}")
    started = time.perf_counter()
    kb = build_kb(args.corpora)
    seconds = time.perf_counter() - started
    files = len({e.source for e in kb.entries} | {p.source for p in kb.problems})
    print(row("all together", kb, files, total_missing, seconds))
    print(render_times())
    return 1 if total_missing else 0


if __name__ == "__main__":
    sys.exit(main())

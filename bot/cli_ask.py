"""`python -m bot ask`: the bot's answer in a terminal, or as JSON for scripts and checks."""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import textwrap
from pathlib import Path

from bot.blocks import source_url
from bot.settings import load_settings
from knowledge.search import Answer, Index
from knowledge.textutil import lines_with_code

EXAMPLES = "examples: python -m bot ask 도커 | python -m bot ask --json 'zappa란?'"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot ask",
        description="Answer a question from the TIL notes.",
        epilog=EXAMPLES,
    )
    parser.add_argument("query", nargs="*", help="the question; '-' reads one per line from stdin")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--notes", type=Path, help="answer from this notes file or folder")
    return parser


def as_json(answer: Answer) -> str:
    return json.dumps(
        {
            "query": answer.query,
            "matches": [
                {
                    "id": m.entry.id,
                    "title": m.entry.title,
                    "score": m.score,
                    "source": m.entry.location,
                    "edited": m.entry.edited.isoformat() if m.entry.edited else None,
                    "kind": m.entry.kind,
                    "parent": m.entry.parent,
                    "document": m.entry.document,
                }
                for m in answer.matches
            ],
        },
        ensure_ascii=False,
    )


def as_text(answer: Answer, width: int = 88, link_template: str = "") -> str:
    best = answer.best
    if best is None:
        lines = [f"'{answer.query.strip()[:80]}'에 대한 노트를 찾지 못했어요. (nothing found)"]
        if answer.suggestions:
            lines.append("혹시 이것을 찾으셨나요? (did you mean)")
            lines += [f"  - {e.title}  ({e.location})" for e in answer.suggestions]
        else:
            lines.append("다른 단어로 물어보세요. 예: 도커, zappa 배포, git reset")
        return "\n".join(lines)
    entry = best.entry
    lines = [f"# {entry.title}", ""]
    if entry.document:
        lines[1:1] = [f"({entry.document} 의 일부 / section of {entry.document})"]
    if answer.unmatched:
        words = ", ".join(answer.unmatched[:5])
        lines[1:1] = [f"(노트에 없는 단어 / not in any note: {words})"]
    for paragraph in terminal_text(entry.body or entry.summary).split("\n"):
        lines += textwrap.wrap(
            paragraph, width, break_long_words=False, break_on_hyphens=False
        ) or [""]
    lines += ["", f"출처 (source): {entry.location}   score {best.score:.2f}"]
    if entry.edited:
        lines.append(f"마지막 수정 (last edited): {entry.edited.isoformat()}")
    url = source_url(entry, link_template)
    if url:
        lines.append(url)
    others = answer.matches[1:5]
    if others:
        lines += ["", "다른 후보 (other candidates):"]
        lines += [f"  - {m.entry.title}  ({m.entry.location}, {m.score:.2f})" for m in others]
    return "\n".join(lines)


_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


def terminal_text(body: str) -> str:
    """An entry's normalised body as it reads in a terminal: links as text + URL, no fences,
    code indented (the parser decided what is code; ``lines_with_code`` only reads that)."""

    def link(m: re.Match[str]) -> str:
        image, text, url = m.groups()
        if image:
            return f"[이미지 {text}] {url}" if text else f"[이미지] {url}"
        return url if text.strip() in {"", url} else f"{text} ({url})"

    out: list[str] = []
    for line, is_code in lines_with_code(body):
        if is_code:
            out.append("    " + line)
            continue
        line = _LINK.sub(link, line).strip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _load(notes: Path | None) -> Index:
    from knowledge.loader import load_index

    return load_index(notes=notes)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    query = " ".join(args.query).strip()
    if not query:
        parser.print_usage(sys.stderr)
        print(f"error: give a question to ask\n{EXAMPLES}", file=sys.stderr)
        return 2
    try:
        index = _load(args.notes)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    link_template = load_settings().til_source_url
    render = as_json if args.json else functools.partial(as_text, link_template=link_template)
    if query == "-":
        for line in sys.stdin:
            print(render(index.search(line.rstrip("\n"))), flush=True)
        return 0
    print(render(index.search(query)))
    return 0

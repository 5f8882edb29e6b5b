"""`python -m bot ask`: the bot's answer in a terminal, or as JSON for scripts and checks."""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.blocks import source_url
from bot.settings import MissingSetting, load_settings
from knowledge.artifact import ArtifactError
from knowledge.models import beside
from knowledge.normalize import small_talk
from knowledge.progress import progress_bar
from knowledge.search import MAX_QUERY_CHARS, Answer, Index
from knowledge.textutil import classify, lines_with_code, without_controls

SOURCES = "without --notes or --kb: TIL_KB_URI, else TIL_NOTES, else TIL_KB, else the bundled KB"
EXAMPLES = """examples:
  python -m bot ask 도커
  python -m bot ask git push -f
  python -m bot ask --json 'zappa란?'"""
# The options `ask` understands; every other word, dashed or not, is part of the question, so
# `python -m bot ask git push -f` asks about "git push -f" without quotes.
FLAGS = frozenset({"--json", "--full", "-h", "--help"})
# A long answer is cut here, as a Slack card is: a 60 kB document otherwise scrolls its own title,
# source and the other candidates off the screen. --full prints all of it.
MAX_LINES = 60
# Folders with this many notes take a second or more to read the first time: the user is told.
ANNOUNCE_NOTES = 200
VALUED = frozenset({"--notes", "--kb"})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot ask",
        description="Answer a question from the TIL notes.",
        epilog=f"{SOURCES}\n\n{EXAMPLES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "query", nargs="*", help="the question, quotes optional; '-' reads one per line from stdin"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--full", action="store_true", help=f"print a long answer whole (else {MAX_LINES} lines)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--notes", type=Path, help="answer from this notes file or folder")
    source.add_argument("--kb", type=Path, help="answer from this built KB")
    return parser


def split_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """(our options, the question's words): options are picked out wherever they stand; after
    `--` everything is the question."""
    options: list[str] = []
    words: list[str] = []
    rest = iter(argv)
    for arg in rest:
        name = arg.split("=", 1)[0]
        if arg == "--":
            words += rest
        elif arg in FLAGS or (name in VALUED and "=" in arg):
            options.append(arg)
        elif arg in VALUED:
            options += [arg, *[v for v in [next(rest, None)] if v is not None]]
        else:
            words.append(arg)
    return options, words


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
            # Query words no note contains, and did-you-mean entries when nothing matched.
            "unmatched": list(answer.unmatched),
            # False when the first match scores under a sure one's (search's Tuning.sure), and
            # when nothing matched: there is no answer to be sure of.
            "sure": bool(answer.matches) and answer.sure,
            "suggestions": [
                {"id": e.id, "title": e.title, "source": e.location} for e in answer.suggestions
            ],
        },
        ensure_ascii=False,
    )


def as_text(
    answer: Answer,
    width: int = 88,
    link_template: str = "",
    max_lines: int | None = MAX_LINES,
    examples: Callable[[], list[str]] = list,
) -> str:
    """The answer for a terminal; `examples` gives topics of the notes asked, for a question
    they had nothing on (read only then: a large KB's titles are not read for an answer)."""
    # A file name, or a question pasted into the shell, can hold an escape or a backspace: the
    # terminal would run it, not show it.
    return without_controls(_text(answer, width, link_template, max_lines, examples))


def example_topics(index: Index, count: int = 3) -> list[str]:
    """A few short titles spread over the notes, notes before their sections: what to ask
    about these notes, not about ours."""
    short = [t for t in index.titles("document") if 2 <= len(t) <= 24]
    if len(short) < count:
        short += [t for t in index.titles() if 2 <= len(t) <= 24 and t not in short]
    step = max(len(short) // count, 1)
    return short[::step][:count]


def _text(
    answer: Answer,
    width: int,
    link_template: str,
    max_lines: int | None,
    examples: Callable[[], list[str]],
) -> str:
    best = answer.best

    def example() -> str:
        topics = ", ".join(examples())
        return f" 예 (e.g.): {topics}" if topics else ""

    if (best is None or not answer.sure) and (said := small_talk(answer.query)):
        # A greeting or thanks is no question the notes failed to answer (as in Slack).
        if said == "thanks":
            return f"천만에요! 또 물어보세요 (you're welcome).{example()}"
        return f"안녕하세요! 노트에서 찾을 주제를 물어보세요 (hello: ask about a topic).{example()}"
    if best is None:
        lines = [f"'{answer.query.strip()[:80]}'에 대한 노트를 찾지 못했어요. (nothing found)"]
        if answer.suggestions:
            lines.append("혹시 이것을 찾으셨나요? (did you mean)")
            lines += [f"  - {e.title}  ({e.location})" for e in answer.suggestions]
        else:
            lines.append(f"다른 단어로 물어보세요 (try other words).{example()}")
        return "\n".join(lines)
    entry = best.entry
    lines = [f"# {entry.title}", ""]
    if entry.document:
        lines[1:1] = [f"({entry.document} 의 일부 / section of {entry.document})"]
    if answer.unmatched:
        words = ", ".join(answer.unmatched[:5])
        lines[1:1] = [f"(노트에 없는 단어 / not in any note: {words})"]
    elif not answer.sure:
        lines[1:1] = ["(확실하지 않아요: 일부만 맞거나 언급만 해요 / not a sure match)"]
    body = terminal_text(entry.body or entry.summary, width).split("\n")
    if max_lines is not None and len(body) > max_lines + 1:  # never cut a single line
        more = len(body) - max_lines
        body = [*body[:max_lines], "", f"… {more:,}줄 더 (more lines): --full 로 전부 보기"]
    lines += body
    lines += ["", f"출처 (source): {entry.location}   score {best.score:.2f}"]
    if entry.edited:
        lines.append(f"마지막 수정 (last edited): {entry.edited.isoformat()}")
    url = source_url(entry, link_template)
    if url:
        lines.append(url)
    kept = {e.id for e in beside(entry, [m.entry for m in answer.matches])}
    others = [m for m in answer.matches if m.entry.id in kept][:4]
    if others:
        lines += ["", "다른 후보 (other candidates):"]
        lines += [f"  - {m.entry.title}  ({m.entry.location}, {m.score:.2f})" for m in others]
    return "\n".join(lines)


_ITEMS = {"bullet", "ordered"}
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


def terminal_text(body: str, width: int | None = None) -> str:
    """An entry's normalised body as it reads in a terminal: links as text + URL, no fences,
    code indented (the parser decided what is code; ``lines_with_code`` only reads that), and
    prose folded to `width` when given."""

    def link(m: re.Match[str]) -> str:
        image, text, url = m.groups()
        if image:
            return f"[이미지 {text}] {url}" if text else f"[이미지] {url}"
        return url if text.strip() in {"", url} else f"{text} ({url})"

    out: list[tuple[str, bool]] = []  # (line, is code)
    for raw, is_code in lines_with_code(body):
        if is_code:
            out.append(("    " + raw, True))
            continue
        # A nested list item keeps its indentation: the depth is what makes it a sub-point.
        line = _LINK.sub(link, raw).rstrip()
        if classify(line).kind not in _ITEMS:
            line = line.lstrip()
        if line or (out and out[-1][0]):
            out.append((line, False))
    # Blank lines around the body go, but a first line of code keeps its indent. Source lines
    # stay lines: the parser keeps no trailing spaces, so a hard break ("  ") cannot be told
    # from a soft one, and joining would run a note's one-sentence lines together.
    while out and not out[-1][0].strip():
        out.pop()
    while out and not out[0][0].strip():
        out.pop(0)
    folded: list[str] = []
    for line, is_code in out:
        folded += _wrapped(line, width) if width and line and not is_code else [line]
    return "\n".join(folded)


def _wrapped(line: str, width: int) -> list[str]:
    """A prose line folded to `width` columns, as the terminal shows it: a Hangul syllable
    takes two (``textwrap`` counts characters, so Korean lines ran to twice the width and the
    terminal broke them mid-word). A list item's later lines hang under its text; a word wider
    than the line stays whole."""
    found = classify(line)
    hang = found.indent + " " * (len(found.number) + 2) if found.kind in _ITEMS else ""
    current = line[: len(line) - len(line.lstrip())]
    out: list[str] = []
    used, empty = _columns(current), True
    for word in line.split():
        size = _columns(word)
        if not empty and used + 1 + size > width:
            out.append(current)
            current, used, empty = hang, len(hang), True
        current, used = (
            (current + word, used + size) if empty else (f"{current} {word}", used + 1 + size)
        )
        empty = False
    out.append(current)
    return out


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _load(notes: Path | None, kb: Path | None) -> Index:
    """The index bot.runtime builds from the environment (TIL_NOTES, TIL_KB, TIL_KB_URI), with
    --notes or --kb taking the place of all three."""
    from bot.runtime import load_index_for

    overrides: dict[str, object] = {}
    if notes is not None:
        overrides = {"til_notes": notes, "til_kb": None, "til_kb_uri": ""}
    elif kb is not None:
        overrides = {"til_notes": None, "til_kb": kb, "til_kb_uri": ""}
    return load_index_for(load_settings(**overrides), _announced(notes))


def _announced(notes: Path | None) -> Callable[[Iterable[Path], int], Iterable[Path]]:
    """Parsing a large folder the first time takes seconds: say so, and show progress."""

    def wrap(files: Iterable[Path], total: int) -> Iterable[Path]:
        if total >= ANNOUNCE_NOTES:
            where = notes or "the notes"
            print(f"{total:,}개 노트를 읽는 중 (reading {total:,} notes in {where}; "
                  "later asks reuse the index)…", file=sys.stderr, flush=True)  # fmt: skip
        return progress_bar("note")(files, total)

    return wrap


def _said_if_cut(query: str) -> None:
    """A question longer than search reads is answered by its beginning: say so, on stderr so
    that --json output stays one answer a line."""
    if len(query) > MAX_QUERY_CHARS:
        print(f"note: the question is long; only its first {MAX_QUERY_CHARS} characters were "
              "searched (질문이 너무 길어 앞부분만 검색했어요)", file=sys.stderr, flush=True)  # fmt: skip


def _answer_lines(index: Index, render: Callable[[Answer], str], as_json: bool) -> int:
    """One answer per stdin line; in JSON mode a blank line gets an empty result, so output
    line N always answers input line N."""
    first = True
    for line in sys.stdin:
        query = line.rstrip("\r\n")
        if not query.strip():
            if as_json:
                print(json.dumps({"query": query, "matches": [], "unmatched": [],
                                  "sure": False, "suggestions": []}), flush=True)  # fmt: skip
            continue
        if not as_json:
            # Answers read one after another: each says which question it answers.
            gap = "" if first else "\n"
            print(f"{gap}=== {without_controls(query.strip()[:80])}\n", flush=True)
            first = False
        _said_if_cut(query)
        print(render(index.search(query)), flush=True)
    return 0


def main(argv: list[str]) -> int:
    parser = _parser()
    options, words = split_arguments(argv)
    args = parser.parse_args(options)
    query = " ".join(words).strip()
    if not query:
        parser.print_usage(sys.stderr)
        print(f"error: give a question to ask\n{EXAMPLES}", file=sys.stderr)
        return 2
    try:
        index = _load(args.notes, args.kb)
    except (FileNotFoundError, MissingSetting) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a KB file that is not JSON we wrote (pydantic says why)
        print(f"error: not a knowledge base built by `python -m knowledge build`: "
              f"{str(exc).splitlines()[0]}", file=sys.stderr)  # fmt: skip
        return 2
    link_template = load_settings().til_source_url
    # A narrower terminal than the default gets lines that fit it; a pipe gets the default.
    width = min(88, shutil.get_terminal_size((88, 24)).columns) if sys.stdout.isatty() else 88
    render = (
        as_json
        if args.json
        else functools.partial(
            as_text,
            width=width,
            link_template=link_template,
            max_lines=None if args.full else MAX_LINES,
            examples=functools.partial(example_topics, index),
        )
    )
    try:
        if query == "-":
            return _answer_lines(index, render, args.json)
        _said_if_cut(query)
        print(render(index.search(query)))
    except ArtifactError as exc:  # a damaged page, met only when the question reads it
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0

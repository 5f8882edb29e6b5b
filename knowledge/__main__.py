"""`python -m knowledge build|check`: notes in, the KB artifact (entries + search index) out."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from knowledge import artifact, workers
from knowledge.loader import KB_PATH, NOTES_DIR, build_kb
from knowledge.progress import progress_bar


def _quiet(files: Iterable[Path], total: int) -> Iterator[Path]:
    yield from files


def _positive(text: str) -> int:
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes ≥ 1, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the knowledge base and its search index")
    build.add_argument(
        "--notes",
        type=Path,
        default=NOTES_DIR,
        help="notes file or folder (default: knowledge/notes)",
    )
    build.add_argument(
        "--out",
        help="artifact file (SQLite) or '-' for stdout (default: the bundled knowledge/kb.sqlite "
        "for knowledge/notes, build/kb.sqlite for other notes; publishing to S3 is "
        "`python -m bot publish`)",
    )
    build.add_argument(
        "--workers",
        type=_positive,
        help=f"processes that build the index (default: the {workers.available()} cores "
        f"available, one per {workers.PER_WORKER:,} entries)",
    )
    check = sub.add_parser("check", help="list problems in the notes as file:line")
    check.add_argument(
        "--notes",
        type=Path,
        default=NOTES_DIR,
        help="notes file or folder (default: knowledge/notes)",
    )
    args = parser.parse_args(argv)
    if args.command == "build" and args.out is None:
        # The bundled KB is knowledge/notes' own: other notes written there would be ignored
        # by `bot ask` (it rebuilds for a KB not of its notes) and overwritten by `bot package`.
        # build/ is git-ignored and left out of the Lambda zip.
        bundled = args.notes.resolve() == NOTES_DIR.resolve()
        args.out = str(KB_PATH) if bundled else "build/kb.sqlite"

    if args.command == "build" and args.out.startswith("s3://"):
        print(
            "error: knowledge builds files only; publish with "
            "`python -m bot publish --stage STAGE --notes PATH`",
            file=sys.stderr,
        )
        return 2
    try:
        kb = build_kb(
            args.notes, progress=progress_bar("note") if args.command == "build" else _quiet
        )
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    errors = sum(1 for p in kb.problems if p.level == "error")
    warnings = len(kb.problems) - errors
    counts = (
        f"{_count(len(kb.entries), 'entry', 'entries')}, {_count(errors, 'error', 'errors')}, "
        f"{_count(warnings, 'warning', 'warnings')}"
    )
    if args.command == "check":
        for problem in kb.problems:
            print(problem)
        print(counts, file=sys.stderr)
        return 1 if errors else 0

    for problem in kb.problems:
        print(problem, file=sys.stderr)
    try:
        if args.out == "-":
            sys.stdout.buffer.write(artifact.dumps(kb, args.workers))
            sys.stdout.flush()
        else:
            artifact.write(kb, Path(args.out), progress_bar("entry"), args.workers)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or exc
        print(f"error: cannot write {args.out}: {reason}", file=sys.stderr)
        return 2
    print(f"{counts} → {args.out}", file=sys.stderr)
    return 0


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


if __name__ == "__main__":
    sys.exit(main())

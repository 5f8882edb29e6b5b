"""`python -m knowledge build|check`: notes in, a validated JSON knowledge base out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from knowledge.loader import KB_PATH, NOTES_DIR, build_kb


def _progress(files: Iterable[Path], total: int) -> Iterable[Path]:
    """A progress bar on large note folders when tqdm is installed (it is a dev tool)."""
    if total < 200 or not sys.stderr.isatty():
        return files
    try:
        from tqdm import tqdm
    except ImportError:
        return files
    return tqdm(files, total=total, unit="note", file=sys.stderr)


def _quiet(files: Iterable[Path], total: int) -> Iterator[Path]:
    yield from files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the knowledge base as JSON")
    build.add_argument("--notes", type=Path, default=NOTES_DIR, help="notes file or folder")
    build.add_argument(
        "--out",
        default=str(KB_PATH),
        help="JSON file or '-' for stdout (publishing to S3 is `python -m bot publish`)",
    )
    check = sub.add_parser("check", help="list problems in the notes as file:line")
    check.add_argument("--notes", type=Path, default=NOTES_DIR, help="notes file or folder")
    args = parser.parse_args(argv)

    if args.command == "build" and args.out.startswith("s3://"):
        print(
            "error: knowledge builds files only; publish with "
            "`python -m bot publish --stage STAGE --notes PATH`",
            file=sys.stderr,
        )
        return 2
    try:
        kb = build_kb(args.notes, progress=_progress if args.command == "build" else _quiet)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    errors = sum(1 for p in kb.problems if p.level == "error")
    counts = f"{len(kb.entries)} entries, {errors} errors, {len(kb.problems) - errors} warnings"
    if args.command == "check":
        for problem in kb.problems:
            print(problem)
        print(counts, file=sys.stderr)
        return 1 if errors else 0

    for problem in kb.problems:
        print(problem, file=sys.stderr)
    text = kb.to_json()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
            return 2
    print(f"{counts} → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

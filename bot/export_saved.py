"""`python -m bot export-saved --out DIR`: the TILs saved from Slack as markdown files.

One TIL per file, in the layout of a TIL repository (``<first tag>/<date>-<title>.md``, front
matter with the author's display name, the date and the Slack permalink), ready to commit to the
notes repository. Once the KB is rebuilt and published from it, the bot answers from the KB's
copy and stops showing the saved one as new.

It lives in bot/, not knowledge/: the saved notes are in the bot's state store (SQLite or
DynamoDB), and the knowledge library imports nothing of the bot.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.saved import fold, note_markdown, note_path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot export-saved",
        description="Write the TILs saved from Slack as markdown files (one per TIL). "
        "The store and the KB come from the same settings as the bot's (TIL_STATE, "
        "TIL_SQLITE_PATH / TIL_TABLE, TIL_KB_URI / TIL_KB / TIL_NOTES).",
    )
    parser.add_argument("--out", required=True, type=Path, help="folder to write the notes in")
    parser.add_argument(
        "--all",
        action="store_true",
        help="also write notes whose title the KB has already (skipped by default)",
    )
    args = parser.parse_args(argv)

    from bot.runtime import load_index_for
    from bot.settings import MissingSetting, load_settings
    from bot.store import open_store

    try:
        settings = load_settings()
        if settings.til_state == "sqlite" and not settings.til_sqlite_path.exists():
            # Opening it would create an empty state file: nothing was ever saved there.
            print(
                f"export-saved: no saved TILs: no state file at {settings.til_sqlite_path} "
                "(TIL_SQLITE_PATH; the local server keeps what is saved from Slack there)",
                file=sys.stderr,
            )
            return 0
        notes = open_store(settings).saved_notes()
    except MissingSetting as exc:
        print(f"export-saved: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the store is unreachable: say so, in one line
        print(f"export-saved: cannot read the saved notes: {exc}", file=sys.stderr)
        return 1
    published: set[str] = set()
    if not args.all:
        kb = load_index_for(settings)
        published = {fold(e.title) for e in kb.entries if e.kind == "document"}
    written: set[str] = set()
    skipped = 0
    for note in notes:
        if fold(note.title) in published:
            skipped += 1
            continue
        path = note_path(note)
        if path in written:  # two notes with the same title and day: keep both
            path = path.removesuffix(".md") + f"-{note.id[:6]}.md"
        written.add(path)
        target = args.out / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(note_markdown(note), encoding="utf-8")
        except OSError as exc:
            print(f"export-saved: cannot write {target}: {exc.strerror}", file=sys.stderr)
            return 1
        print(path)
    summary = (
        f"{len(written)} saved TIL(s) written to {args.out}" if written else "no saved TIL to write"
    )
    if skipped:
        summary += f"; {skipped} skipped, the KB has them already (--all writes them too)"
    print(summary, file=sys.stderr)
    return 0

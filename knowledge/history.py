"""When each note was last edited, and by whom: one `git log` pass over a notes checkout.

A team's TILs live in git, so "last edited 2024-03-02" comes for free from history. One pass
for the whole folder (newest commit first, the first time a file is named is its last edit)
rather than a `git log` per file, which would make building thousands of notes slow. Without
git, or outside a checkout, there is no history and nothing fails.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from pathlib import Path

_COMMIT = "\x1e"  # starts each commit's header line in the log format below
_FIELD = "\x1f"


def last_edits(notes: Path, timeout: float = 60) -> dict[str, tuple[dt.date, str]]:
    """{path relative to `notes`: (date of its last commit, that commit's author)}."""
    folder = notes if notes.is_dir() else notes.parent
    top = _git(folder, ["rev-parse", "--show-toplevel"], timeout)
    if top is None:
        return {}
    root = Path(top.strip()).resolve()
    log = _git(
        folder,
        [
            "-c",
            "core.quotePath=false",  # Korean file names as they are, not octal escapes
            "log",
            f"--format={_COMMIT}%ad{_FIELD}%an",
            "--date=short",
            "--name-only",
            "--no-renames",
            "--",
            ".",
        ],
        timeout,
    )
    if log is None:
        return {}
    base = folder.resolve()
    edits: dict[str, tuple[dt.date, str]] = {}
    date: dt.date | None = None
    author = ""
    for line in log.split("\n"):  # not splitlines(): it also splits at \x1e
        if line.startswith(_COMMIT):
            stamp, _, author = line[1:].partition(_FIELD)
            try:
                date = dt.date.fromisoformat(stamp)
            except ValueError:
                date = None
            continue
        if not line or date is None:
            continue
        try:
            relative = (root / line).relative_to(base).as_posix()
        except ValueError:
            continue
        # Keyed as the loader names notes (NFC), whatever form git stored the name in.
        edits.setdefault(unicodedata.normalize("NFC", relative), (date, author))
    return edits


def _git(folder: Path, args: list[str], timeout: float) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None

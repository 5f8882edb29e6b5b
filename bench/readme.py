"""Figures in README.md and docs/quality.md are written by the benches, never typed: each bench
owns a marked region ``<!-- bench:NAME -->`` … ``<!-- /bench:NAME -->`` and replaces its content
with what it measured, in whichever of the two files holds the region (the README keeps the
summary a reader needs; docs/quality.md the tables behind it)."""

from __future__ import annotations

import fcntl
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
QUALITY = ROOT / "docs" / "quality.md"


def _holder(name: str) -> Path:
    """The file that holds the region (the README when neither does, to say so)."""
    start = f"<!-- bench:{name} -->"
    return next((p for p in (README, QUALITY) if start in p.read_text(encoding="utf-8")), README)


def write_region(name: str, text: str, readme: Path | None = None) -> None:
    """Replace the region's content with `text`; no file holding the region is an error."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    readme = readme or _holder(name)
    # Benches run side by side each rewrite the whole file: one at a time, or the later
    # write would put back what the earlier one replaced.
    with open(readme, "r+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        content = f.read()
        head, sep, rest = content.partition(start)
        _, sep2, tail = rest.partition(end)
        if not sep or not sep2:
            raise SystemExit(f"{readme} has no {start} … {end} region to write")
        f.seek(0)
        f.write(f"{head}{start}\n{text.strip()}\n{end}{tail}")
        f.truncate()
    print(f"wrote the {name} figures into {readme.name}")


def read_region(name: str, readme: Path | None = None) -> str:
    """What the region holds now, as a bench last wrote it ("" when no file has it)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    readme = readme or _holder(name)
    _, sep, rest = readme.read_text(encoding="utf-8").partition(start)
    text, sep2, _ = rest.partition(end)
    return text.strip() if sep and sep2 else ""

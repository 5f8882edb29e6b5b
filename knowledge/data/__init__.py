"""Word tables shipped with the package (``*.tsv``), read on first use rather than at import.

Each file is UTF-8, tab-separated, ``#`` starts a comment line. They are data, not code, so a
team can extend them without touching Python, and a cold start that never needs a table never
reads it.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def rows(name: str) -> list[list[str]]:
    """The non-comment, non-blank lines of ``<name>.tsv``, split on tabs and stripped."""
    # Bytes decoded at once, not read_text's newline translation: splitlines breaks at \r\n
    # and \r alike, so the lines are the same for less work on a cold first question.
    text = (_HERE / f"{name}.tsv").read_bytes().decode("utf-8")
    # map(str.strip) rather than a nested comprehension, and one lstrip per line: the
    # glossary and loanword tables are ~900 lines each, read on a cold container's first
    # question, where a Python-level loop per cell cost about twice as much.
    strip = str.strip
    return [
        list(map(strip, line.split("\t")))
        for line in text.splitlines()
        if (start := line.lstrip()) and start[0] != "#"
    ]

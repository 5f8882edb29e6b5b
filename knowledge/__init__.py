"""tilbot's knowledge base: TIL markdown notes in, a validated, searchable knowledge base out.

A pure library (no Slack, no AWS). The public API:

    from knowledge import load_index
    index = load_index()                      # bundled notes / built KB
    index = load_index(notes=Path("notes/"))  # any notes file or folder
    answer = index.search("장고 마이그레이션?")
    answer.matches      # confident Match(entry, score) list, best first, empty = "don't know"
    answer.suggestions  # did-you-mean entries when matches is empty
    index.get(entry_id), index.entries, index.categories()
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use: a cold Lambda that loads a built KB never pays for the markdown parser.
_EXPORTS = {
    "load_index": "knowledge.loader",
    "load_kb": "knowledge.loader",
    "build_kb": "knowledge.loader",
    "Entry": "knowledge.models",
    "KnowledgeBase": "knowledge.models",
    "tip_entries": "knowledge.models",
    "Answer": "knowledge.search",
    "Index": "knowledge.search",
    "Match": "knowledge.search",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)

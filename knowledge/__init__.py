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

from knowledge.loader import load_index, load_kb
from knowledge.models import Entry, KnowledgeBase
from knowledge.search import Answer, Index, Match

__all__ = ["Answer", "Entry", "Index", "KnowledgeBase", "Match", "load_index", "load_kb"]

"""The knowledge base as data: what one TIL entry is, and the whole validated collection.

Made cheap to import, since every cold start imports it and a built KB makes its entries with
`model_construct` (no validation): no ``from __future__ import annotations``, so pydantic reads
the annotations as objects instead of evaluating each one's string, and the validators are built
at the first validation (`defer_build`), not at import. Together ~9 M instructions of a cold /til
(callgrind, bench/bench_coldstart.py --instructions).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# 2: entries are documents, sections and topics (kind, parent, document); bodies are normalised.
# 3: entries carry their file's last git edit (edited, author).
SCHEMA_VERSION = 3


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # see the top


class CodeBlock(_Frozen):
    language: str = ""
    code: str


class Link(_Frozen):
    text: str
    url: str


class Image(_Frozen):
    alt: str
    url: str


class Problem(_Frozen):
    """Something wrong in a note: reported as ``file:line: message``, never fatal for other notes."""

    source: str
    line: int = Field(ge=0)
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        # One wording for every command (compiler style), so build and check never disagree.
        return f"{self.source}:{self.line}: {self.level}: {self.message}"


EntryKind = Literal["document", "section", "topic"]


class Entry(_Frozen):
    """One answerable piece of a note.

    Every file is a ``document`` (its whole body); its headings are ``section`` entries and the
    ``- topic`` items of a period log are ``topic`` entries, each pointing at the entry it sits in.
    ``body`` is the parser's normalised markdown: every other reading of it (summary, index text,
    Slack, terminal) goes through ``knowledge.textutil``'s line rules over that text."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    body: str
    summary: str
    code: list[CodeBlock] = []
    links: list[Link] = []
    images: list[Image] = []
    keywords: list[str] = []
    category: str = ""
    tags: list[str] = []
    source: str
    line: int = Field(ge=1)
    date: dt.date | None = None
    period: str | None = None
    kind: EntryKind = "document"
    parent: str | None = None  # id of the entry this one is part of
    document: str | None = None  # title of the file's document entry, for sections and topics
    # From `git log` when the notes are a git checkout (knowledge.history): the file's last commit.
    edited: dt.date | None = None
    author: str | None = None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"

    def is_part_of(self, whole: "Entry") -> bool:
        """Is this entry shown when `whole` is: a section of that document, or of that section?
        An answer's card already holds its parts (a note's 상황 / 원인 / 해결), so they are no
        other candidates beside it."""
        return (
            self.source == whole.source
            and self.id != whole.id
            and (whole.kind == "document" or self.parent == whole.id)
        )


def beside(shown: Entry, entries: Sequence[Entry]) -> list[Entry]:
    """The entries worth offering as other candidates under `shown`: not itself, not its parts
    (shown with it), and not the note it is a section of (one step up, and offered as that).
    The Slack card and the terminal list the same ones."""
    return [
        e
        for e in entries
        if e.id != shown.id
        and not e.is_part_of(shown)
        and not (shown.document and e.kind == "document" and e.source == shown.source)
    ]


class KnowledgeBase(_Frozen):
    version: int = SCHEMA_VERSION
    digest: str = ""  # sha256 over the notes read, so a stale built KB can be detected
    entries: list[Entry]
    problems: list[Problem] = []

    @field_validator("version")
    @classmethod
    def _current_schema(cls, version: int) -> int:
        # An older KB lacks documents and normalised bodies: refuse it rather than half-read it.
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"this KB was built with schema {version}, this tilbot reads schema "
                f"{SCHEMA_VERSION}: rebuild it with `python -m knowledge build`"
            )
        return version

    def to_json(self) -> str:
        return self.model_dump_json(indent=1) + "\n"


def tip_entries(entries: Sequence[Entry]) -> list[Entry]:
    """The entries that stand alone as a tip: every entry but a document or section whose
    content is split into entries of its own (a period log's document holds all its topics)."""
    parents = {e.parent for e in entries if e.parent}
    return [e for e in entries if e.id not in parents]

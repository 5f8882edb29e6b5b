"""The knowledge base as data: what one TIL entry is, and the whole validated collection."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
        return f"{self.source}:{self.line}: {self.message}"


class Entry(_Frozen):
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

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


class KnowledgeBase(_Frozen):
    version: int = SCHEMA_VERSION
    digest: str = ""  # sha256 over the notes read, so a stale built KB can be detected
    entries: list[Entry]
    problems: list[Problem] = []

    def to_json(self) -> str:
        return self.model_dump_json(indent=1) + "\n"

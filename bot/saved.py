"""TILs saved from Slack: Slack text back into markdown, the note as a file, and the saved
notes searched beside the knowledge base until the published KB has them.

The saved notes are parsed by the knowledge parser (knowledge.parser.parse_markdown) into the same
kind of Entry as the notes in git, and kept in an Index of their own, searched beside the main one
and merged by score: knowledge.search stays a pure function of one collection of notes. A saved
note whose title the KB now has (case and spacing aside) was committed and published: the KB's
copy replaces it, so it is neither shown twice nor marked new.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from bot.store import KST, SavedNote

if TYPE_CHECKING:
    from bot.store import Store
    from knowledge import Answer, Entry, Index

log = logging.getLogger(__name__)

MAX_TITLE = 150
MAX_BODY = 20_000
MAX_TAGS = 10
MAX_TAG = 50
SAVES_PER_WINDOW = 10
SAVE_WINDOW_SECONDS = 3600
DEFAULT_FOLDER = "slack"  # where a note without tags goes in the one-TIL-per-file layout
_ID_PREFIX = "saved:"


# --------------------------------------------------------------------------- mrkdwn → markdown

# Patterns, not compiled ones: only saving a TIL reads Slack's markup, so they are compiled (and
# cached by `re`) at the first save rather than at every cold start.
_CODE_BLOCK = r"(?s)```(.*?)```"
_CODE_SPAN = r"`([^`\n]+)`"
_ANGLE = r"<([^<>\n]+)>"
_EMPHASIS = (
    (r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", "**"),
    (r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])", "_"),
    (r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])", "~~"),
)
_BULLET = r"(?m)^(\s*)([•◦▪])\s+"
_HOLE = "\x00(\\d+)\x00"


# A mention as Slack sends it, by id alone (<@U0BOB>, <#C0DEV>): no name to show.
_BARE_MENTION = r"<([@#][UWC][A-Z0-9]+)>"
_NAMELESS = {"@": "user", "#": "channel"}


def bare_mentions(texts: Sequence[str]) -> list[str]:
    """The people and channels `texts` mention by id alone ("@U0BOB", "#C0DEV"), each once, in
    order: their names have to be looked up, or the saved TIL would show ids."""
    found = (m.group(1) for text in texts for m in re.finditer(_BARE_MENTION, text))
    return list(dict.fromkeys(found))


def _angle(inner: str, names: Mapping[str, str]) -> str:
    """One Slack ``<...>`` control sequence as markdown; `names` holds the names of mentions
    Slack sent by id alone (bare_mentions), which are otherwise shown as @user / #channel."""
    target, _, label = inner.partition("|")
    if target.startswith(("http://", "https://", "mailto:")):
        url = html.unescape(target)
        return f"[{html.unescape(label)}]({url})" if label else f"<{url}>"
    if target.startswith(("@", "#")):
        name = label or names.get(target) or _NAMELESS[target[0]]
        return target[0] + html.unescape(name)
    if target.startswith("!"):
        if label:  # <!subteam^S1|@team>, <!date^...|fallback>
            return html.unescape(label)
        return "@" + target[1:].split("^")[0]
    return html.unescape(inner)


def _marker(keep: Callable[[str], str], mark: str) -> Callable[[re.Match[str]], str]:
    # Made marks become holes, so **bold** is not read again as something else.
    return lambda m: keep(f"{mark}{m.group(1)}{mark}")


def slack_to_markdown(text: str, names: Mapping[str, str] | None = None) -> str:
    """A message as Slack sends it (mrkdwn, ``&lt;`` escapes, ``<url|text>`` links) as the
    markdown a note is written in: ``*b*`` → ``**b**``, ``~s~`` → ``~~s~~``, links, bullets;
    code (```blocks``` and `spans`) is kept as it is, only unescaped."""
    holes: list[str] = []

    def keep(made: str) -> str:
        holes.append(made)
        return f"\x00{len(holes) - 1}\x00"

    def block(m: re.Match[str]) -> str:
        code = html.unescape(m.group(1)).strip("\n")
        return keep(f"\n```\n{code}\n```\n")

    text = text.replace("\x00", "")
    text = re.sub(_CODE_BLOCK, block, text)
    text = re.sub(_CODE_SPAN, lambda m: keep(f"`{html.unescape(m.group(1))}`"), text)
    text = re.sub(_ANGLE, lambda m: keep(_angle(m.group(1), names or {})), text)
    for pattern, mark in _EMPHASIS:
        text = re.sub(pattern, _marker(keep, mark), text)
    text = html.unescape(text)
    text = re.sub(_BULLET, lambda m: m.group(1) + ("  " if m.group(2) != "•" else "") + "- ", text)
    while re.search(_HOLE, text):  # holes may hold holes (a link inside bold)
        text = re.sub(_HOLE, lambda m: holes[int(m.group(1))], text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def thread_markdown(
    messages: Sequence[dict[str, object]], names: Mapping[str, str] | None = None
) -> str:
    """A thread (conversations.replies: the parent first) as one body: what people wrote, in
    order; bots' messages (answers, our own "saved" replies) and joins are left out."""
    parts = [
        slack_to_markdown(str(m.get("text") or ""), names)
        for m in messages
        if not (m.get("bot_id") or m.get("subtype"))
    ]
    return "\n\n".join(p for p in parts if p)


def first_line(markdown: str, limit: int = 80) -> str:
    """A title to start from: the body's first line without its markup, cut at a word."""
    line = next((ln for ln in markdown.splitlines() if ln.strip() and ln.strip() != "```"), "")
    line = re.sub(r"^\s*(?:#+|>|[-*+])\s+|\*\*|~~|`", "", line)
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "…"


def fit(markdown: str, limit: int) -> tuple[str, bool]:
    """`markdown` cut to `limit` characters at a line end (a code block cut open is closed), and
    whether anything was cut: Slack's text inputs hold at most 3000 characters."""
    if len(markdown) <= limit:
        return markdown, False
    head = markdown[: limit - 4]
    if "\n" in head[limit // 2 :]:
        head = head[: head.rindex("\n")]
    if head.count("```") % 2:
        head += "\n```"
    return head, True


# --------------------------------------------------------------------------- the note as a file


def fold(title: str) -> str:
    """A title as compared with the KB's: case and spacing do not make another note."""
    return " ".join(title.casefold().split())


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")
    return slug[:limit].rstrip("-_")


def folder_of(note: SavedNote) -> str:
    """The note's folder in the one-TIL-per-file layout: its first tag (the KB's category)."""
    return (_slug(note.tags[0], 40) if note.tags else "") or DEFAULT_FOLDER


def saved_day(note: SavedNote) -> dt.date:
    return dt.datetime.fromtimestamp(note.created_at, KST).date()


def note_path(note: SavedNote) -> str:
    """``<first tag>/<date>-<title>.md``: one TIL per file, the date in the name as many TIL
    repositories have it (and as the parser reads an entry's date)."""
    name = _slug(note.title) or note.id
    return f"{folder_of(note)}/{saved_day(note).isoformat()}-{name}.md"


def _yaml(value: str) -> str:
    """A one-line YAML scalar: plain when that reads back the same, else double-quoted."""
    value = " ".join(value.split())
    if value and not re.search(r"[:#'\"\[\]{},&*!|>%@`\\]|^[-?\s]|\s$", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def note_markdown(note: SavedNote) -> str:
    """The note as a markdown file: front matter (title, author's display name, date, the
    Slack permalink it came from, tags), the title as its heading, then the body."""
    meta = [f"title: {_yaml(note.title)}"]
    if note.author_name:
        meta.append(f"author: {_yaml(note.author_name)}")
    meta.append(f"date: {saved_day(note).isoformat()}")
    if note.permalink:
        meta.append(f"source: {_yaml(note.permalink)}")
    if note.tags:
        meta.append("tags: [" + ", ".join(_yaml(t) for t in note.tags) + "]")
    head = "---\n" + "\n".join(meta) + "\n---\n\n"
    # Escaped, so the heading reads back as the very title (no link, code or HTML made of it).
    title = re.sub(r"([\\`*\[\]<>&~])", r"\\\1", " ".join(note.title.split()))
    return f"{head}# {title}\n\n{note.body.strip()}\n"


def entries_of(note: SavedNote) -> list[Entry]:
    """The note's entries, as the KB would have them once the file is committed; their ids are
    prefixed with the note's, so they never collide with the KB's and lead back to the note."""
    from knowledge.parser import parse_markdown

    entries, _ = parse_markdown(note_markdown(note), note_path(note), folder_of(note))
    ids = {e.id: f"{_ID_PREFIX}{note.id}:{e.id}" for e in entries}
    return [
        e.model_copy(update={"id": ids[e.id], "parent": ids.get(e.parent or "", e.parent) or None})
        for e in entries
    ]


def note_id_of(entry_id: str) -> str | None:
    """The saved note an entry id belongs to, or None for the KB's entries."""
    if not entry_id.startswith(_ID_PREFIX):
        return None
    return entry_id[len(_ID_PREFIX) :].split(":", 1)[0] or None


# --------------------------------------------------------------------------- searching both


class Knowledge:
    """The KB and the saved notes not in it yet, searched side by side.

    A plain class: a dataclass generates and compiles its methods at import, ~2.5 M
    instructions of every cold /til (callgrind)."""

    __slots__ = ("kb", "notes", "saved")

    def __init__(
        self, kb: Index, saved: Index | None = None, notes: dict[str, SavedNote] | None = None
    ) -> None:
        self.kb = kb
        self.saved = saved
        self.notes: dict[str, SavedNote] = {} if notes is None else notes

    def search(self, query: str, limit: int = 5, found: Answer | None = None) -> Answer:
        """`found`: the KB's own answer to this query and limit, when the caller has it."""
        main = self.kb.search(query, limit) if found is None else found
        if self.saved is None:
            return main
        extra = self.saved.search(query, limit)
        kb_best = main.best
        # Stable: on equal scores the reviewed note (the KB's) comes first.
        main.matches = sorted([*main.matches, *extra.matches], key=lambda m: -m.score)[:limit]
        if main.best is not kb_best:  # a saved note leads: it is as sure as it scored
            main.sure = extra.sure
        if main.matches:
            main.suggestions = []
        else:
            seen = {e.id for e in main.suggestions}
            main.suggestions += [e for e in extra.suggestions if e.id not in seen]
        found_there = set(extra.unmatched)
        main.unmatched = [w for w in main.unmatched if w in found_there]
        return main

    def get(self, entry_id: str) -> Entry | None:
        if note_id_of(entry_id) is None or self.saved is None:
            return self.kb.get(entry_id)
        return self.saved.get(entry_id)

    def note(self, entry_id: str) -> SavedNote | None:
        """The saved note an entry comes from, while it is not in the KB yet."""
        note_id = note_id_of(entry_id)
        return self.notes.get(note_id) if note_id else None


class SavedIndex:
    """The index of the saved notes, rebuilt only when the store's notes_version or the KB
    changed: a search pays one small read, not a parse of every saved note."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._kb: Index | None = None
        self._version: int | None = None
        self._knowledge: Knowledge | None = None
        # Each note's entries, kept while the note is unchanged: a save re-parses one note.
        self._parsed: dict[str, tuple[SavedNote, list[Entry]]] = {}

    def knowledge(self, kb: Index) -> Knowledge:
        try:
            version = self.store.notes_version()
        except Exception as exc:  # no saved notes beats no answer
            log.error("saved notes unavailable (%s): %s", type(exc).__name__, exc)
            return self._knowledge if self._knowledge and self._kb is kb else Knowledge(kb)
        with self._lock:
            if self._knowledge is not None and self._kb is kb and self._version == version:
                return self._knowledge
        try:
            notes = self.store.saved_notes() if version else []
        except Exception as exc:
            log.error("saved notes unavailable (%s): %s", type(exc).__name__, exc)
            return Knowledge(kb)
        built = build(kb, notes, self._entries_of)
        with self._lock:
            self._kb, self._version, self._knowledge = kb, version, built
            self._parsed = {n.id: self._parsed[n.id] for n in notes if n.id in self._parsed}
        return built

    def _entries_of(self, note: SavedNote) -> list[Entry]:
        cached = self._parsed.get(note.id)
        if cached is not None and cached[0] == note:
            return cached[1]
        entries = entries_of(note)
        self._parsed[note.id] = (note, entries)
        return entries


def build(
    kb: Index,
    notes: Sequence[SavedNote],
    parse: Callable[[SavedNote], list[Entry]] = entries_of,
) -> Knowledge:
    """The KB beside an index of the saved notes whose titles it does not have yet."""
    from knowledge import Index

    # Documents only: a committed note is a file of its own, while a section named like a new
    # note ("예제", "정리") is no sign that the note was published.
    if not notes:
        return Knowledge(kb)  # the common case: no reading of the KB's titles on a cold start
    published = {fold(title) for title in kb.titles("document")}
    new = [n for n in notes if fold(n.title) not in published]
    if not new:
        return Knowledge(kb)
    entries = [e for note in new for e in parse(note)]
    return Knowledge(kb, Index(entries), {n.id: n for n in new})

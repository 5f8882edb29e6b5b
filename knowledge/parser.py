"""Markdown TIL notes → entries: the one module that interprets markdown.

Every file is a document; its headings are sections that know the entry they sit in; the
``- topic`` items of a period log (ours: ``- topic`` lines, each followed by its paragraphs) are
topics. markdown-it gives block tokens with source line maps, so a ``# comment`` inside code is
not a heading and every entry knows the line it starts on.

What the parser stores as an entry's body is normalised markdown: real ``` fences (for ``'''``
and smart-quote fences, indented code and ~~~), ATX headings (for setext ones), no HTML (``<br>``
is a line break, ``<img>`` an image, ``<a>`` a link). The summary, the index text, Slack mrkdwn
and terminal text are all read from that body with the line rules of ``knowledge.textutil``, so a
fence this module calls code is code everywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from knowledge import textutil
from knowledge.models import CodeBlock, Entry, EntryKind, Image, Link, Problem

# markdown-it stops reading a file where its nesting limit is reached (20 levels in the CommonMark
# preset, a list level taking two): the list, and every heading after it, swallows the rest of
# the file. 100 covers every note seen and keeps a pathological file (hundreds of "> " or "- ")
# far from Python's recursion limit; past _DEEPEST, `_too_deep` reads each line as text where it
# stands, so the limit itself is never reached.
_OPTIONS = {"html": True, "maxNesting": 100}
_DEEPEST = 96  # a list item opened here nests two levels more, a paragraph in it one


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line nested past _DEEPEST levels (lists 48 deep, quotes 96) as a paragraph of its own,
    not one more list or quote: the list it is in ends where its indentation says, and the
    headings after it are read."""
    if state.level < _DEEPEST:
        return False
    if not silent:
        state.push("paragraph_open", "p", 1).map = [start, start + 1]
        inline = state.push("inline", "", 0)
        inline.content = state.getLines(start, start + 1, state.blkIndent, False).strip()
        inline.map = [start, start + 1]
        inline.children = []
        state.push("paragraph_close", "p", -1)
        state.line = start + 1
    return True


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", _OPTIONS).enable(["table", "strikethrough"])
    md.block.ruler.before("table", "too_deep", _too_deep)
    return md


_MD = _markdown()
_MD_BLOCKS = _markdown().disable("inline")
# markdown-it-py spends ~15 s on 1 MB of dense inline markup; past this much inline text a note's
# paragraphs are kept as text (headings are always read), so no note can stall a build.
_INLINE_BUDGET = 300_000

# People type ''' (or smart quotes) for ``` in note apps; treat such a line as a fence.
_QUOTE_FENCE = re.compile(r"^(\s{0,3})(?:'''|‘‘‘|’’’|“|”)([\w+-]*)\s*$")
_REAL_FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})")
# Hugo's and Jekyll's code blocks, which their sites render as fences: {{< highlight go >}} …
# {{< /highlight >}}, {% highlight ruby linenos %} … {% endhighlight %}.
_HIGHLIGHT_OPEN = re.compile(
    r"^(\s{0,3})(?:\{\{[<%]\s*highlight\s+([\w+#.-]+)[^}]*[>%]\}\}"
    r"|\{%-?\s*highlight\s+([\w+#.-]+)[^%]*%\})\s*$"
)
_HIGHLIGHT_CLOSE = re.compile(
    r"^\s{0,3}(?:\{\{[<%]\s*/\s*highlight\s*[>%]\}\}|\{%-?\s*endhighlight\s*-?%\})\s*$"
)
# GitHub renders a one-line <h1>…</h1> as a heading, and READMEs open with one.
_HTML_HEADING = re.compile(r"^ {0,3}<h([1-6])(?:\s[^>]*)?>(.*)</h\1>\s*$", re.IGNORECASE)
_HTML_HEADING_OPEN = re.compile(
    r"^ {0,3}<h([1-6])(?:\s[^>]*)?>((?:(?!</h[1-6]).)*)$", re.IGNORECASE
)
# A collapsible block's summary line (`<details><summary>Q</summary>`), the title GitHub shows
# for what it folds: interview notes fold each answer under its question.
_SUMMARY = re.compile(r"^\s*(?:<details\b[^>]*>\s*)?<summary\b[^>]*>(.*?)</summary>\s*$", re.I)
_DETAILS_OPEN = re.compile(r"^\s*<details\b[^>]*>\s*$", re.I)
_ITEM_FENCE = re.compile(r"^( {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+)(`{3,}|~{3,})([^`]*)$")
_SPACER = re.compile(r"^ {0,3}(?:<(?:br|hr)\s*/?>[ \t]*)+$", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"^\s*</details>\s*$", re.I)
_ATX_LEVEL = re.compile(r"^ {0,3}(#{1,6})(?:\s|$)")
_FRONT_MATTER_KEY = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=\s*(.*?)\s*$")
_YAML_ITEM = re.compile(r"^\s+-\s+(.*?)\s*$")
_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>()\[\]]+")
_HTML_IMG = re.compile(r"<img\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>", re.I)
_HTML_ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.I)
_HTML_A = re.compile(r"<a\b[^>]*\bhref=[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_BR = re.compile(r"<br\s*/?>", re.I)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_SMART_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_TITLE_MAX = 120
_TOPIC_MAX = 80  # a topic line names a topic; a long sentence in a bullet is content
_T = TypeVar("_T")


class NoteError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


# --------------------------------------------------------------------------- bytes → text


# Invisible characters that only split words: a zero-width space pasted from a web page
# ("빌드\u200b") would stay in a title and cut a word in two for search. Joiners (U+200D) stay:
# emoji sequences need them. Control characters go too (`textutil.CONTROLS`).
_INVISIBLE = {**dict.fromkeys((0x200B, 0x2060, 0xFEFF)), **textutil.CONTROLS}


def read_note(path: Path, source: str) -> tuple[str, list[Problem]]:
    """Decode a note: UTF-8 (BOM and CRLF tolerated), or CP949/EUC-KR when it can only be that."""
    problems: list[Problem] = []
    data = path.read_bytes()
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise NoteError(Problem(source=source, line=line, message="binary file (NUL byte)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        legacy = _korean_legacy(data)
        if legacy is not None:
            text = legacy
            problems.append(
                Problem(
                    source=source,
                    line=line,
                    message="decoded as CP949/EUC-KR; save it as UTF-8",
                    level="warning",
                )
            )
        else:
            problems.append(
                Problem(
                    source=source,
                    line=line,
                    message="not valid UTF-8 (nor CP949/EUC-KR); bad bytes replaced. "
                    "Save the file as UTF-8",
                )
            )
            text = data.decode("utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    # Notes written on macOS arrive in NFD (decomposed Hangul); search needs one form.
    return unicodedata.normalize("NFC", text), problems


def _korean_legacy(data: bytes) -> str | None:
    """The text if the bytes are CP949 beyond doubt: a strict decode works and yields Hangul.

    Latin-1 or other legacy bytes rarely survive a strict CP949 decode, and when they do they
    make Hanja or symbols rather than Hangul syllables."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    non_ascii = [c for c in text if ord(c) > 127]
    hangul = sum(1 for c in non_ascii if "가" <= c <= "힣")
    return text if non_ascii and hangul >= 0.8 * len(non_ascii) else None


# --------------------------------------------------------------------------- lines → blocks


@dataclass
class Block:
    kind: str  # heading, bullet_list, ordered_list, paragraph, fence, code_block, html_block, ...
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    tokens: list[Token]
    level: int = 0  # heading level
    title: str = ""  # a heading's literal text, or the one line of a one-item bullet list


def _front_matter(lines: list[str]) -> tuple[dict[str, str], dict[str, int]]:
    """Read and blank out a leading ``---`` (YAML) or ``+++`` (TOML) block, keys in any case and
    spacing; a YAML list under a key (``tags:`` then ``- a`` lines) becomes ``a, b``.

    A block after blank lines (a template that left one above it) or after another such block
    (an export that wrote it twice) is front matter too when every line in it is one: GitHub
    would show it as a rule and a heading named ``title: … date: …``.

    Returns the metadata and the 0-based line of each key."""
    meta: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    start = 0
    while True:
        first = next((i for i in range(start, len(lines)) if lines[i].strip()), len(lines))
        block = _metadata_block(lines, first, strict=first > 0)
        if block is None:
            return meta, key_lines
        end, pattern, mapping = block
        if mapping:
            at = next(j for j in range(first + 1, end) if lines[j].strip())
            for key, value in mapping.items():
                if key not in meta:
                    meta[key] = value
                    key_lines[key] = at
        listing = ""  # the key whose value is the "- item" lines that follow it
        for j in range(first + 1, end):
            m = pattern.match(lines[j])
            item = _YAML_ITEM.match(lines[j])
            if m:
                key = m.group(1).lower()
                listing = ""
                if key not in meta:
                    meta[key] = m.group(2).strip("\"'").strip()
                    key_lines[key] = j
                    listing = key if not meta[key] else ""
            elif item and listing:
                meta[listing] = ", ".join(filter(None, [meta[listing], item.group(1).strip("\"'")]))
        for j in range(end + 1):
            lines[j] = ""
        start = end + 1


# Keys that only front matter has (Jekyll, Hugo, Obsidian, Wiki.js): with one of them a block
# that is not on the first line is still metadata, not a "Note: …" line between two rules.
_KNOWN_KEYS = {
    *("title", "date", "tags", "categories", "category", "layout", "aliases", "permalink"),
    *("description", "published", "draft", "slug", "keywords", "lastmod", "datecreated"),
    *("created", "updated", "cssclasses", "editor"),
}


def _metadata_block(
    lines: list[str], first: int, strict: bool
) -> tuple[int, re.Pattern[str], dict[str, str] | None] | None:
    """The closing line of the front matter block that opens on line ``first``, its key
    pattern, and what it maps when it is one flow mapping (`_flow_mapping`); None when there is
    none. ``strict``: only if every line is a key, a list item or a key's indented continuation
    (a rule and a paragraph after it are content)."""
    fence = lines[first].strip() if first < len(lines) else ""
    if fence not in {"---", "+++"}:
        return None
    closing = {"---", "..."} if fence == "---" else {"+++"}
    pattern = _FRONT_MATTER_KEY if fence == "---" else _TOML_KEY
    for i in range(first + 1, min(len(lines), first + 200)):
        if lines[i].strip() not in closing:
            continue
        inside = [line for line in lines[first + 1 : i] if line.strip()]
        keys = [m.group(1).lower() for m in map(pattern.match, inside) if m]
        mapping = _flow_mapping(inside) if fence == "---" else None
        if mapping is not None:
            # YAML's other way to write a map, which GitHub shows as front matter too.
            return (
                None if strict and not _KNOWN_KEYS.intersection(mapping) else (i, pattern, mapping)
            )
        if inside and not keys:
            # Rules around a heading or prose (a title set off by two `---` lines): GitHub shows
            # them as rules, and a block that names no key holds no metadata.
            return None
        if strict and not (
            inside
            and pattern.match(inside[0])
            and _KNOWN_KEYS.intersection(keys)
            and all(pattern.match(x) or x[:1].isspace() or x.startswith("- ") for x in inside)
        ):
            return None
        return i, pattern, None
    return None


def _flow_mapping(inside: list[str]) -> dict[str, str] | None:
    """Front matter written as one YAML flow mapping (``{}``, or the JSON line
    ``{"dg-publish":true,"permalink":"/…/"}`` that Obsidian's Digital Garden writes): its keys
    and values, none when it is YAML but no JSON; None when the lines are not one mapping."""
    text = " ".join(line.strip() for line in inside if line.strip())
    if not (text.startswith("{") and text.endswith("}")):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {
        str(key).lower(): (", ".join(map(str, item)) if isinstance(item, list) else
                           item if isinstance(item, str) else json.dumps(item))
        for key, item in value.items()
    }  # fmt: skip


def _prepare(lines: list[str]) -> list[str]:
    """Lines as markdown-it should see them: quote fences outside real code become ``` fences,
    and so do Hugo's and Jekyll's highlight blocks (a Ruby ``# =>`` comment in one is code, no
    heading; one that never ends is left as written, as the site leaves it)."""
    out = []
    opener = ""  # the real fence we are inside, if any
    taken = 0  # lines of a multi-line HTML heading already read
    closing = (-1, "")  # the line ending the highlight block we are in, and its fence
    level = 1  # the last heading's level: a summary is a section under it
    folded = False  # in the HTML block a summary opened: its lines are text, not code
    closes = _Marks(lines, lambda x: "</" in x and _DETAILS_CLOSE.match(x))
    # A list item's fence closes on a real fence line of its own mark.
    fences = {"`": _Marks(lines, _fenced_by("`")), "~": _Marks(lines, _fenced_by("~"))}
    for i, line in enumerate(lines):
        if taken:
            taken -= 1
            out.append("")
            continue
        if folded:
            folded = bool(line.strip())
            if folded:
                out.append("" if _DETAILS_CLOSE.match(line) else line.lstrip())
                continue
        if i <= closing[0]:
            out.append(closing[1] if i == closing[0] else line)
            continue
        real = _REAL_FENCE.match(line)
        if opener:
            if real and real.group(2)[0] == opener[0] and len(real.group(2)) >= len(opener):
                opener = ""
            out.append(line)
            continue
        if real:
            opener = real.group(2)
            out.append(line)
            continue
        if line[:6].lstrip(" ")[:1] in "-*+0123456789" and (item := _item_fence(lines, i, fences)):
            # The fence is the code; the item had nothing else to say.
            opener, line = item
            out.append(line)
            continue
        m = _QUOTE_FENCE.match(line)
        if m:
            line = f"{m.group(1)}```{m.group(2)}"
        elif "highlight" in line and (h := _HIGHLIGHT_OPEN.match(line)):
            end = next((k for k in range(i + 1, len(lines)) if _HIGHLIGHT_CLOSE.match(lines[k])), 0)
            if end:
                inside = lines[i + 1 : end]
                fence = "~~~~" if any(_REAL_FENCE.match(x) for x in inside) else "```"
                line = f"{h.group(1)}{fence}{h.group(2) or h.group(3)}"
                closing = (end, h.group(1) + fence)
        elif line.lstrip(" ")[:2].lower() == "<h":
            line, taken = _html_heading(lines, i)
        elif "<" in line and (folding := _summary_heading(lines, i, level, closes)) is not None:
            line, folded = folding, True
            if out and _DETAILS_OPEN.match(out[-1]):
                out[-1] = ""  # the block's HTML opener would make the heading HTML too
        elif "</" in line and _DETAILS_CLOSE.match(line):
            line = ""
        elif (
            line[:4].lstrip(" ")[:1] == "<"
            and _SPACER.match(line)
            and i + 1 < len(lines)
            and (_ATX_LEVEL.match(lines[i + 1]) or _REAL_FENCE.match(lines[i + 1]))
        ):
            # A line of <br> (or <hr>) alone over a heading or a fence is space. Read as an HTML
            # block, as CommonMark reads it, it would make the heading raw text, and the fence's
            # opening line too, so its closing line would open a block that swallows the rest;
            # the site the note is written for (kramdown, for a Jekyll blog) shows them.
            line = ""
        if not folded and "#" in line[:4] and (atx := _ATX_LEVEL.match(line)) is not None:
            level = len(atx.group(1))  # a heading the note wrote, not a summary's
        out.append(line)
    return out


def _fenced_by(mark: str) -> Callable[[str], bool]:
    """Whether a line is a real fence of backticks or of tildes."""

    def test(line: str) -> bool:
        real = _REAL_FENCE.match(line)
        return real is not None and real.group(2)[0] == mark

    return test


def _item_fence(lines: list[str], i: int, fences: dict[str, _Marks]) -> tuple[str, str] | None:
    """The fence a list item opens on its own line ("* ~~~javascript") when the code under it
    is written flush left up to a closing fence, as many Jekyll blogs write it, and the line to
    read in its place: their site (kramdown) shows one code block. CommonMark would end the
    item, and its fence, at the first line of code, and read the closing fence as the opening
    of a block that swallows the headings after it. None when the code is indented into the
    item, as CommonMark wants it."""
    m = _ITEM_FENCE.match(lines[i])
    if not m or i + 1 >= len(lines):
        return None
    column, fence = len(m.group(1)), m.group(2)
    after = lines[i + 1]
    if not after.strip() or len(after) - len(after.lstrip(" ")) >= column:
        return None
    for k in fences[fence[0]].following(i):
        real = _REAL_FENCE.match(lines[k])
        if real and len(real.group(2)) >= len(fence):
            return (fence, f"{fence}{m.group(3)}") if not lines[k].strip().strip(fence[0]) else None
    return None


class _Marks:
    """The lines of a file that pass a test, found at the first question: the next one after
    a line is a look-up, not a scan of the rest of the file for every line that asks (a
    `</details>` for each summary, a closing fence for each list item's fence)."""

    def __init__(self, lines: list[str], test: Callable[[str], object]) -> None:
        self._lines = lines
        self._test = test
        self._at: list[int] | None = None

    def following(self, i: int) -> Iterator[int]:
        """The marked lines after line `i`, in order."""
        if self._at is None:
            self._at = [k for k, x in enumerate(self._lines) if self._test(x)]
        at = self._at
        return (at[j] for j in range(bisect_left(at, i + 1), len(at)))

    def after(self, i: int) -> int:
        """The first marked line after line `i`, or the file's length."""
        return next(self.following(i), len(self._lines))


def _summary_heading(lines: list[str], i: int, level: int, closes: _Marks) -> str | None:
    """A `<details>` block's summary line as the heading of a section under the last heading
    (``<summary>IoC 컨테이너란?</summary>`` → ``### IoC 컨테이너란?``), "" for a question that
    folds nothing, None for any other line: each folded answer of an interview note is a
    section titled by its question."""
    m = _SUMMARY.match(lines[i])
    if not m or not ((i and _DETAILS_OPEN.match(lines[i - 1])) or "<details" in lines[i].lower()):
        return None
    # Its inline HTML (<b>, <code>) is read as any heading's is.
    text = m.group(1).strip()
    if not textutil.strip_html(text).strip():
        return None
    # A question folded over nothing (`<summary>Q</summary><br></details>`, left to answer
    # later) is neither a section (asked, it would answer with an empty card) nor a line of the
    # answer before it.
    end = closes.after(i)
    if not textutil.strip_html("\n".join(lines[i + 1 : end])).strip():
        return ""
    return f"{'#' * min(6, level + 1)} {text}"


def _html_heading(lines: list[str], i: int) -> tuple[str, int]:
    """The HTML heading opening on line ``i`` as the markdown heading it renders as, and how many
    more lines it took (``<h2>제목\n</h2>``); those lines are left blank, so lines keep their
    numbers."""
    m = _HTML_HEADING.match(lines[i]) or _HTML_HEADING_OPEN.match(lines[i])
    if not m:
        return lines[i], 0
    content, more = m.group(2), 0
    if not m.group(0).rstrip().lower().endswith(f"</h{m.group(1)}>"):
        rest = _html_heading_rest(lines[i + 1 : i + 20], m.group(1))
        if rest is None:
            return lines[i], 0
        content, more = f"{content} {rest[0]}", rest[1]
    text = " ".join(textutil.strip_html(content).split())
    return (f"{'#' * int(m.group(1))} {text}", more) if text else (lines[i], 0)


def _html_heading_rest(lines: list[str], level: str) -> tuple[str, int] | None:
    """The rest of an HTML heading's text up to its closing tag, and the lines that took; None
    when its HTML block ends first, at a blank line, as GitHub reads it."""
    closing = re.compile(rf"^(.*)</h{level}>\s*$", re.IGNORECASE)
    for n, line in enumerate(lines):
        if not line.strip():
            return None
        end = closing.match(line)
        if end:
            return " ".join([*lines[:n], end.group(1)]), n + 1
    return None


def _parse(text: str) -> tuple[list[Token], int | None]:
    """markdown-it's tokens, and the 0-based line where inline parsing stopped, if it did."""
    if len(text) <= _INLINE_BUDGET:
        return _MD.parse(text), None
    tokens = _MD_BLOCKS.parse(text)
    used = 0
    cut = None
    for i, tok in enumerate(tokens):
        if tok.type != "inline":
            continue
        heading = i > 0 and tokens[i - 1].type == "heading_open"
        if heading:  # a title is cut to _TITLE_MAX anyway
            tok.children = _MD.parseInline(tok.content[:1000])[0].children
        elif used + len(tok.content) <= _INLINE_BUDGET:
            used += len(tok.content)
            tok.children = _MD.parseInline(tok.content)[0].children
        else:
            tok.children = [Token("text", "", 0, content=tok.content)]
            if cut is None and tok.map:
                cut = tok.map[0]
    return tokens, cut


def _blocks(tokens: list[Token]) -> list[Block]:
    """Group top-level tokens into blocks with their line ranges."""
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.nesting == 1:
            depth, j = 0, i
            while j < len(tokens):
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
            group = tokens[i : j + 1]
            kind = tok.type.removesuffix("_open")
            start, end = tok.map if tok.map else (0, 0)
            block = Block(kind=kind, start=start, end=end, tokens=group)
            if kind == "heading":
                block.level = int(tok.tag[1:])
                block.title = heading_title(group[1])
                if not block.title:
                    block.kind = "empty_heading"  # a stray "#" line cuts nothing
            elif kind == "bullet_list":
                block.title = _single_item_text(group)
            blocks.append(block)
            if kind in _CONTAINERS:
                blocks += _nested_headings(group)
            i = j + 1
        else:
            if tok.map is not None:
                blocks.append(Block(kind=tok.type, start=tok.map[0], end=tok.map[1], tokens=[tok]))
            i += 1
    return blocks


_CONTAINERS = {"bullet_list", "ordered_list", "blockquote"}


def _nested_headings(group: list[Token]) -> list[Block]:
    """The headings inside a list item or a quote (``- ### 04. 싱글톤``, ``> ## 정리``): GitHub
    shows them as headings like any other, so they divide the note into sections too."""
    out = []
    for k, tok in enumerate(group):
        if tok.type != "heading_open" or tok.level == 0 or not tok.map:
            continue
        title = heading_title(group[k + 1])
        if title:  # an empty "- #" cuts nothing
            start, end = tok.map
            level = int(tok.tag[1:])
            heading = group[k : k + 3]
            out.append(Block("heading", start, end, heading, level, title))
    return out


def heading_title(inline: Token, first_line: bool = False) -> str:
    """A heading's literal text: ``__init_subclass__`` keeps its underscores, `code` its content.

    Only markup that cannot be part of a name is dropped: ``*``/``**`` emphasis, link and image
    syntax, the tags of HTML elements (others are text), and emoji codes (``:bulb:``), which
    GitHub shows as pictures. With ``first_line``, the text up to the first line break."""
    out: list[str] = []
    emoji: list[str] = []
    for child in inline.children or []:
        if first_line and child.type in {"softbreak", "hardbreak"}:
            break
        if child.type == "code_inline":
            out.append(child.content)
        elif child.type == "text":
            # An image whose address has a space is text to CommonMark, but never a name.
            text = _wikilinks(_MD_IMAGE.sub("", child.content))
            if ":" in text:
                emoji += textutil.emoji_codes().findall(text)
                text = textutil.emoji_codes().sub(" ", text)
            out.append(text)
        elif child.type in {"strong_open", "strong_close", "em_open", "em_close"}:
            if child.markup.startswith("_"):
                out.append(child.markup)
        elif child.type in {"softbreak", "hardbreak"}:
            out.append(" ")
        elif child.type == "html_inline":
            # A tag of no HTML element we know (`<input type='button' />`, `<ip>`, `List<T>`'s
            # `<T>`) was written as text: the author saw it vanish or never meant markup.
            text = textutil.strip_html(child.content)
            out.append(
                text if text.strip() else " " if _BR.fullmatch(child.content.strip()) else ""
            )
    # "### # Title" and "## - Title" repeat a mark by mistake; "#hashtag", "C#", "-v" are text.
    title = re.sub(r"^(?:#+|[-*+•])\s+", "", " ".join("".join(out).split()))
    return title or " ".join(emoji)  # a heading of only an emoji is still a heading


def _single_item_text(group: list[Token]) -> str:
    """The one line of a one-item bullet list holding one paragraph, else ''."""
    items = [t for t in group if t.type == "list_item_open" and t.level == 1]
    paragraphs = [t for t in group if t.type == "paragraph_open"]
    nested = [t for t in group[1:-1] if t.type.endswith("_list_open") or t.type == "heading_open"]
    if len(items) != 1 or len(paragraphs) != 1 or nested:
        return ""
    inline = next(t for t in group if t.type == "inline")
    first = heading_title(inline, first_line=True)
    return first if len(first) <= _TOPIC_MAX else ""


# --------------------------------------------------------------------------- the normalised body


def _normalise(lines: list[str], tokens: list[Token]) -> list[str]:
    """The note's lines as clean CommonMark, one string per source line (line numbers hold)."""
    out = list(lines)
    code: set[int] = set()
    for tok in tokens:
        if not tok.map:
            continue
        start, end = tok.map
        if tok.type == "fence":
            code.update(range(start, end))
            opener = lines[start]
            if not opener.lstrip().startswith(tok.markup):
                continue  # a fence inside a blockquote: its lines stay as written
            pad = opener[: len(opener) - len(opener.lstrip())]
            fence = "~~~~" if re.search(r"^\s*```", tok.content, re.M) else "```"
            out[start] = f"{pad}{fence}{tok.info.strip()}"
            for i in range(start + 1, end):
                out[i] = lines[i].translate(_SMART_QUOTES)
            closing = lines[end - 1].strip()
            if end - 1 > start and closing[:1] == tok.markup[0] and set(closing) == {closing[0]}:
                out[end - 1] = pad + fence
        elif tok.type == "code_block" and tok.level == 0:
            code.update(range(start, end))
            body = [
                lines[i][4:] if lines[i].startswith("    ") else lines[i] for i in range(start, end)
            ]
            body[0] = "```\n" + body[0]
            body[-1] = body[-1] + "\n```"
            out[start:end] = body
        elif tok.type == "code_block":
            code.update(range(start, end))
        elif tok.type == "html_block" and "<!--" in tok.content:
            out[start:end] = _without_comments(out[start:end])
        elif tok.type == "heading_open" and tok.markup in {"=", "-"} and tok.level == 0:
            # A setext heading becomes ATX, so line rules see every heading the same way.
            level = int(tok.tag[1:])
            content = " ".join(lines[i].strip() for i in range(start, end - 1))
            out[start] = "#" * level + " " + content
            for i in range(start + 1, end):
                out[i] = ""
    hidden = _comment_lines(out, code) if "%%" in "".join(out) else set()
    for i, line in enumerate(out):
        if i in hidden:
            out[i] = ""
        elif i not in code:
            out[i] = _prose(line)
    return out


def _comment_lines(lines: list[str], code: set[int]) -> set[int]:
    """The lines of Obsidian's comment blocks, which it never shows: from a line opening with
    ``%%`` and a space (or only ``%%``) to the next line with ``%%``. One never closed is
    text (``%%timeit`` is IPython's, not a comment)."""
    hidden: set[int] = set()
    opened: int | None = None
    for i, line in enumerate(lines):
        if i in code:
            continue
        if opened is None:
            text = line.strip()
            if (text == "%%" or text.startswith("%% ")) and text.count("%%") == 1:
                opened = i
        elif "%%" in line:
            hidden.update(range(opened, i + 1))
            opened = None
    return hidden


def _without_comments(lines: list[str]) -> list[str]:
    """An HTML block's lines without its comments (``<!--`` … ``-->`` over several lines),
    which GitHub never shows; as many lines as before, so the ones after keep their numbers."""
    kept = textutil.strip_comments("\n".join(lines)).split("\n")
    kept = [line if line.strip() else "" for line in kept]
    return kept + [""] * (len(lines) - len(kept))


def _prose(line: str) -> str:
    """HTML and wiki links out of a prose line (outside `code` spans): breaks, images and links
    as markdown, ``[[Page|shown]]`` as the words shown, and Obsidian's marks as it shows them:
    ``==highlight==`` as bold, a ``%%comment%%`` not at all, a callout's ``[!tip] 제목`` as its
    bold title (GitHub's ``[!NOTE]`` too)."""
    if "[!" in line and (m := _CALLOUT.match(line)):
        line = f"{m.group(1)}**{m.group(3) or m.group(2).replace('-', ' ').capitalize()}**"
    if not any(mark in line for mark in ("<", "&nbsp;", "[[", "%%", "==")):
        return line
    parts = []
    last = 0
    for m in _CODE_SPAN.finditer(line):
        parts.append(_prose_text(line[last : m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_prose_text(line[last:]))
    text = "".join(parts)
    return text if text.strip() or not line.strip() else ""


def _prose_text(text: str) -> str:
    if "%%" in text or "==" in text:
        text = _MARKED.sub(r"**\1**", _OBSIDIAN_COMMENT.sub("", text))
    return _html_to_markdown(text)


# A page name starts with a letter, so code in prose (a[[0]], df[['a']]) is no link; one that
# shows other words ([[005 Intro to Classes|Class]], [[#제목|위]]) is a link whatever its name,
# but not one that opens with a space or whose "alias" opens with a second bar: that is Bash's
# test ([[ -z $a || -n $b ]]).
_WIKILINK = re.compile(
    r"(!?)\[\[((?=[^\W\d_])[^\[\]|#]*|(?!\s)[^\[\]|#]*(?=(?:#[^\[\]|]*)?\|(?!\|)))"
    r"(?:#[^\[\]|]*)?(?:\|(?!\|)([^\[\]]*))?\]\]"
)


def _wikilinks(text: str) -> str:
    """Obsidian's and other wikis' links as the words they show: an embed (![[…]]) shows a
    file, a link its alias or else its page's name."""
    if "[[" not in text:
        return text
    return _WIKILINK.sub(lambda m: "" if m.group(1) else (m.group(3) or m.group(2)), text)


_OBSIDIAN_COMMENT = re.compile(r"%%.*?%%")
# Highlighted wherever the marks touch the words, as Obsidian shows it ("==유지==하려면").
_MARKED = re.compile(r"(?<!=)==(?=[^=\s])(.+?)(?<=[^=\s])==(?!=)")
_CALLOUT = re.compile(r"^(\s{0,3}(?:>\s?)+)\[!([A-Za-z][\w-]*)\][+-]?(?:[ \t]+(.*?))?\s*$")


def _html_to_markdown(text: str) -> str:
    text = _wikilinks(text)
    if "<" not in text and "&nbsp;" not in text:
        return text
    text = _BR.sub("\n", text)

    def image(m: re.Match[str]) -> str:
        alt = _HTML_ALT.search(m.group(0))
        return f"![{alt.group(1) if alt else ''}]({m.group(1)})"

    text = _HTML_IMG.sub(image, text)
    text = _HTML_A.sub(lambda m: f"[{textutil.strip_html(m.group(2)).strip()}]({m.group(1)})", text)
    return textutil.strip_html(text).replace("&nbsp;", " ")


def _body(norm: list[str], start: int, end: int) -> str:
    """Normalised lines [start, end) as one body; a fence left open there is closed."""
    text = "\n".join(norm[start:end])
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    text = text.strip("\n")
    closing = textutil.closing_fence(text)
    if closing:
        text += "\n" + closing
    return text


# --------------------------------------------------------------------------- structure


@dataclass
class Node:
    """A document, section or topic: a titled range of lines."""

    kind: EntryKind
    title: str
    line: int  # 0-based line of the title
    start: int  # first body line
    end: int  # line after the body
    children: list[Node] = field(default_factory=list)


_CONTAINER_TITLE = re.compile(
    r"^(?:til\b|today i learned|\d{1,4}[./-]\d{1,2}|\d{1,2}월|\d{4}년|day\s*\d|\d+\s*일차|week)",
    re.I,
)


def _is_container(title: str) -> bool:
    """A title naming a period (``TIL 9-1 ~ 9-15``, ``2021.02.15``) holds topics, not one TIL."""
    return bool(_CONTAINER_TITLE.match(title.strip())) or textutil.find_period(title) is not None


def _has_content(blocks: list[Block]) -> bool:
    """Is there anything to read? Rules, HTML without text and paragraphs of only images
    (a README's badges and logo) or markers are decoration."""
    return any(b.kind not in {"html_block", "hr"} and not _is_decoration(b) for b in blocks) or any(
        textutil.strip_html(b.tokens[0].content).strip() for b in blocks if b.kind == "html_block"
    )


def _is_decoration(block: Block) -> bool:
    """A paragraph of only images, linked badges and editors' markers ([TOC], Liquid tags)."""
    if block.kind != "paragraph" or len(block.tokens) < 2:
        return False
    text = _DECORATION.sub(" ", _EMPTY_LINK.sub(" ", _MD_IMAGE.sub(" ", block.tokens[1].content)))
    return not text.strip()


def _header(block: Block, lines: list[str]) -> dict[str, str] | None:
    """What a block before a file's title says about the note, or None when it is content.

    Notes without front matter put the same things in lines of their own above the title: a
    list or quote of ``Key : value`` lines whose keys are front matter's (``- Date : 2019-02-18``,
    ``- Tags : #ansible #devops``, ``> 출처 : 자바의 정석``), or a paragraph that only links
    back to a log or an index (``[TIL on May 16th](../TIL/05-16.md)``). Neither is what the
    note is about, so the one heading after them is still its title."""
    if block.kind == "paragraph" and len(block.tokens) > 1:
        rest = _ANY_LINK.sub(" ", _MD_IMAGE.sub(" ", block.tokens[1].content))
        if rest != block.tokens[1].content and not rest.strip(" \t\n|/>·•-"):
            return {}
    if block.kind not in {"paragraph", "bullet_list", "blockquote"}:
        return None
    return _key_values(lines[block.start : block.end]) or None


def _key_values(lines: list[str], others: frozenset[str] = frozenset()) -> dict[str, str] | None:
    """The front matter a run of ``Key : value`` lines says, under front matter's names; None
    when a line is not one whose key is front matter's or one of `others` (which say nothing
    the note keeps). Blank lines are skipped."""
    meta: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            continue
        m = _HEADER_LINE.match(line)
        key = m.group(1).strip().lower() if m else ""
        if m is None or (key not in _HEADER_KEYS and key not in others):
            return None
        if key in _HEADER_KEYS:
            value = m.group(2).strip()
            if key in {"tags", "tag", "태그"}:  # "#a #b", "a b" or "a, b"
                words = value.split(",") if "," in value else value.split()
                value = ", ".join(w.strip().lstrip("#") for w in words if w.strip("# "))
            meta.setdefault(_HEADER_KEYS[key], value)
    return meta


def _after_properties(
    blocks: list[Block], lines: list[str], head: Block, meta: dict[str, str]
) -> int:
    """Where the body starts after the title: past a page's properties, which Notion exports
    as a paragraph of ``Key: value`` lines right under the title (``Created: Sep 22, 2019 1:55
    PM``, ``Tags: JPA, Spring``); their keys join ``meta``. Only when every line is one and one
    key at least is front matter's: a paragraph "원인: 메모리 부족" is content."""
    after = next((b for b in blocks if b.start >= head.end), None)
    if after is None or after.kind != "paragraph" or after.start > head.end + 1:
        return head.end
    found = _key_values(lines[after.start : after.end], _PAGE_PROPERTIES)
    if not found:
        return head.end
    for key, value in found.items():
        meta.setdefault(key, value)
    return after.end


# The other properties Notion exports under a page's title (English and Korean).
_PAGE_PROPERTIES = frozenset(
    (
        "created time", "last edited", "last edited time", "updated time", "created by",
        "type", "status", "topic", "url", "property", "reviewed", "생성 일시", "최종 편집 일시",
        "유형", "상태", "주제", "분류",
    )
)  # fmt: skip


# Front matter's keys, and the Korean words notes use for them, as front matter names them.
_HEADER_KEYS = {
    **{k: k for k in ("date", "tags", "categories", "category", "keywords", "author", "source")},
    **{"tag": "tags", "created": "date", "updated": "date", "날짜": "date", "작성일": "date"},
    **{"태그": "tags", "카테고리": "category", "작성자": "author", "출처": "source"},
}
_HEADER_LINE = re.compile(
    r"^\s{0,3}(?:>\s*)?(?:[-*+]\s+)?\**([^\W\d_][\w ]{0,15}?)\**\s*:\s*(\S.*)$"
)
_ANY_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_EMPTY_LINK = re.compile(r"\[\s*\]\([^)]*\)")
# Table-of-contents markers of Typora, GitLab and kramdown, and Jekyll's Liquid tags.
_DECORATION = re.compile(r"\[TOC\]|\[\[_TOC_\]\]|\{:\s*toc\s*\}|\{%[^%]*%\}|\{\{[^}]*\}\}", re.I)


_BODY_KINDS = {"paragraph", "fence", "code_block", "ordered_list", "table", "blockquote"}
_SENTENCE_END = re.compile(r"[.。!:;]$")


def _is_topic(blocks: list[Block], i: int) -> bool:
    """Does block ``i`` look like a period-log topic: a one-line bullet with a body after it
    (the next block, or lines that continue the item)?"""
    block = blocks[i]
    if block.kind != "bullet_list" or not block.title:
        return False
    if i + 1 < len(blocks):
        return blocks[i + 1].kind in _BODY_KINDS
    return block.end - block.start > 1


def _topic_scope(blocks: list[Block], doc_title: str | None) -> list[bool]:
    """For each block, may a topic start here? At the top of a file with no title or a period
    title (``TIL 9-1 ~ 9-15``), and under period headings; never under a topic's heading."""
    inside = doc_title is None or _is_container(doc_title)
    out = []
    for block in blocks:
        if block.kind == "heading":
            inside = _is_container(block.title)
        out.append(inside)
    return out


def _is_period_log(blocks: list[Block], doc_title: str | None) -> bool:
    """Is the file organised as ``- topic`` lines, each followed by its body?

    Decided on evidence from the whole file, never from a few bullets: where topics may start
    (see ``_topic_scope``) there are at least three, nearly every bullet list there is one, they
    hold most of the content, and they read like titles rather than sentences."""
    scope = _topic_scope(blocks, doc_title)
    starts = [i for i in range(len(blocks)) if scope[i] and _is_topic(blocks, i)]
    if len(starts) < 3:
        return False
    bullets = sum(1 for i, b in enumerate(blocks) if scope[i] and b.kind == "bullet_list")
    content = [
        i
        for i, b in enumerate(blocks)
        if scope[i] and b.kind not in {"heading", "hr", "html_block"}
    ]
    covered = sum(1 for i in content if i >= starts[0])
    titles = [blocks[i].title for i in starts]
    sentences = sum(1 for t in titles if _SENTENCE_END.search(t))
    median = sorted(len(t) for t in titles)[len(titles) // 2]
    return (
        len(starts) >= 0.8 * bullets
        and covered >= 0.8 * len(content)
        and sentences <= 0.2 * len(titles)
        and median <= 40
    )


def _structure(doc: Node, blocks: list[Block], topics: list[bool]) -> Node:
    """The document's heading tree; topic bullets too where ``topics`` allows one (each a child
    of the document or section whose own text they begin)."""
    n_lines = doc.end
    stack: list[tuple[Node, int]] = [(doc, 0)]
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            while len(stack) > 1 and stack[-1][1] >= block.level:
                stack.pop()[0].end = block.start
            node = Node("section", block.title, block.start, block.end, n_lines)
            stack[-1][0].children.append(node)
            stack.append((node, block.level))
        elif topics[i] and _is_topic(blocks, i):
            parent = stack[-1][0]
            if parent.children and parent.children[-1].kind != "topic":
                continue  # after a subsection, a bullet is that subsection's content
            # The topic bullet itself is the title; its lazy continuation lines stay in the body.
            parent.children.append(
                Node("topic", block.title, block.start, block.start + 1, n_lines)
            )
    _close_topics(doc)
    return doc


def _close_topics(node: Node) -> None:
    """A topic runs to its next sibling, the last one to its parent's end."""
    for i, child in enumerate(node.children):
        if child.kind == "topic":
            child.end = node.children[i + 1].line if i + 1 < len(node.children) else node.end
        _close_topics(child)


# --------------------------------------------------------------------------- entries


def _walk_inline(tokens: list[Token]) -> tuple[list[Link], list[Image]]:
    links: list[Link] = []
    images: list[Image] = []
    for tok in tokens:
        if tok.type != "inline" or not tok.children:
            continue
        children = tok.children
        for k, child in enumerate(children):
            if child.type == "link_open":
                text = []
                for nxt in children[k + 1 :]:
                    if nxt.type == "link_close":
                        break
                    text.append(nxt.content)
                href = str(child.attrs.get("href", ""))
                if href:
                    links.append(Link(text="".join(text).strip() or href, url=href))
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                if src:
                    images.append(Image(alt=child.content.strip(), url=src))
            elif child.type == "text":
                for url in _BARE_URL.findall(child.content):
                    links.append(Link(text=url, url=url))
            elif child.type == "html_inline":
                images += _html_images(child.content)
    return links, images


def _html_images(html: str) -> list[Image]:
    out = []
    for m in _HTML_IMG.finditer(html):
        alt = _HTML_ALT.search(m.group(0))
        out.append(Image(alt=alt.group(1) if alt else "", url=m.group(1)))
    return out


_LEAF_KINDS = {"inline", "fence", "code_block", "html_block"}


class _Leaves:
    """The tokens that hold a note's code, links and images, in line order, taken by line range:
    a section that starts inside a list item (``- ### 제목``) owns the code after its heading,
    though the list holding both is one block."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = [t for t in tokens if t.type in _LEAF_KINDS and t.map]
        self.starts = [t.map[0] for t in self.tokens if t.map]

    def within(self, start: int, end: int) -> list[Token]:
        out = []
        for tok in self.tokens[bisect_left(self.starts, start) :]:
            if not tok.map or tok.map[0] >= end:
                break
            if tok.map[1] <= end:
                out.append(tok)
        return out


def _collect(tokens: list[Token]) -> tuple[list[CodeBlock], list[Link], list[Image]]:
    code: list[CodeBlock] = []
    images: list[Image] = []
    for tok in tokens:
        if tok.type in {"fence", "code_block"}:
            content = tok.content.rstrip("\n")
            if tok.type == "fence":
                content = content.translate(_SMART_QUOTES)
            code.append(CodeBlock(language=tok.info.strip(), code=content))
        elif tok.type == "html_block":
            images += _html_images(tok.content)
    links, inline_images = _walk_inline(tokens)
    return code, _dedupe(links), _dedupe(inline_images + images)


def _dedupe(items: list[_T]) -> list[_T]:
    return list(dict.fromkeys(items))


def _check_front_matter(
    lines: list[str], meta: dict[str, str], key_lines: dict[str, int], source: str
) -> list[Problem]:
    """Front matter that a site would refuse, read here as well as it can be: a block opened
    on the first line and never closed (GitHub shows a rule and its lines as text; so do we),
    a value that opens a YAML list or map and never closes it, a date that is no date. The
    keys are those `_front_matter` read (`key_lines`: each one's line), as it read them."""

    def warn(line: int, message: str) -> Problem:
        return Problem(source=source, line=line + 1, message=message, level="warning")

    first = lines[0].strip() if lines else ""
    if first in {"---", "+++"} and len(lines) > 1:
        pattern = _FRONT_MATTER_KEY if first == "---" else _TOML_KEY
        if pattern.match(lines[1]) and _metadata_block(lines, 0, strict=False) is None:
            return [
                warn(0, f"front matter is never closed (no {first} line after it): its lines "
                        "are read as text, and the title comes from a heading or the file name")
            ]  # fmt: skip
    out = []
    for key, i in key_lines.items():
        # The value as written, quotes and all: a quoted "[a" is a string, no list.
        m = _FRONT_MATTER_KEY.match(lines[i]) or _TOML_KEY.match(lines[i])
        value = m.group(2) if m else ""
        opened = value[:1]
        if opened in "[{" and value and not value.rstrip().endswith("]}"[opened == "{"]):
            out.append(warn(i, f"front matter {key}: {value[:40]!r} opens a YAML "
                               f"{'list' if opened == '[' else 'map'} and never closes it: "
                               "read as written"))  # fmt: skip
        if key == "date" and meta["date"] and not textutil.find_date(meta["date"]):
            out.append(warn(i, f"front matter date {meta['date'][:40]!r} is not a date "
                               "(write it as 2024-05-01): the note has none"))  # fmt: skip
    return out


def _check_fences(blocks: list[Block], lines: list[str], source: str) -> list[Problem]:
    """A fence whose last line is not a closing marker and that runs to the end of the file.

    A fence inside a blockquote or a list item that the author never closed ends with its
    container, as GitHub shows it: nothing after it is lost, so it is not reported."""
    problems = []
    last_text = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for block in blocks:
        for tok in block.tokens:
            if tok.type != "fence" or not tok.map:
                continue
            last = tok.map[1] - 1
            # A fence inside a blockquote closes on a quoted line ("> ```").
            closing = textutil.unquote(lines[last]).strip() if last < len(lines) else ""
            closed = (
                last > tok.map[0]
                and closing.startswith(tok.markup)
                and set(closing) == {tok.markup[0]}
            )
            if not closed and last >= last_text:
                problems.append(
                    Problem(
                        source=source,
                        line=tok.map[0] + 1,
                        message="code fence is never closed; the rest of the file is code",
                    )
                )
    return problems


# What git leaves around an unresolved merge: "<<<<<<< HEAD" and ">>>>>>> branch" on lines of their
# own (its "=======" is also a setext heading's underline, so it tells nothing alone).
_CONFLICT_MARKER = re.compile(r"^\s*(<{7}|>{7})(?:\s.*)?$")


def _check_conflicts(tokens: list[Token], lines: list[str], source: str) -> list[Problem]:
    """Each unresolved merge left in the note (outside code, where a note about git may show
    one). It is still read as CommonMark reads it, as GitHub shows it: the line before its
    "=======" is then a heading."""
    code = {
        n
        for tok in tokens
        if tok.type in {"fence", "code_block"} and tok.map
        for n in range(tok.map[0], tok.map[1])
    }
    problems = []
    inside = False  # after a "<<<<<<<": its ">>>>>>>" is the same conflict
    for n, line in enumerate(lines):
        m = _CONFLICT_MARKER.match(line) if n not in code else None
        if m is None:
            continue
        opens = m.group(1)[0] == "<"
        if opens or not inside:
            problems.append(
                Problem(
                    source=source,
                    line=n + 1,
                    message=f"unresolved merge conflict (a {m.group(1)} line): keep the "
                    "version you want and delete the <<<<<<<, ======= and >>>>>>> lines",
                )
            )
        inside = opens
    return problems


def _document_title(
    blocks: list[Block], lines: list[str], meta: dict[str, str], fm_line: int | None, stem: str
) -> tuple[str, int, int, Block | None]:
    """The document's title, its 0-based line, where its body starts, and its heading if any.

    A file's title is its front matter's, else its one top-level heading when nothing but
    decoration and header lines (see ``_header``, whose keys join ``meta``) comes before it,
    else its file name."""
    meta_title = meta.get("title", "")
    headings = [b for b in blocks if b.kind == "heading"]
    head = None
    if headings:
        top = min(h.level for h in headings)
        tops = [h for h in headings if h.level == top]
        # Blocks that start before the title: a list holding it in one of its later items is
        # content before it.
        preamble = [b for b in blocks if b.start < tops[0].start]
        headers = [_header(b, lines) for b in preamble]
        content = [b for b, h in zip(preamble, headers, strict=True) if h is None]
        if len(tops) == 1 and not _has_content(content):
            head = tops[0]
            for header in headers:
                for key, value in (header or {}).items():
                    meta.setdefault(key, value)
    if meta_title:
        line = fm_line or 0
        if head is not None and head.title == meta_title:
            return meta_title, line, head.end, head
        return meta_title, line, line + 1, None
    if head is not None:
        return head.title, head.start, _after_properties(blocks, lines, head, meta), head
    first = next((b.start for b in blocks), 0)
    return stem, first, 0, None


def parse_note(path: Path, source: str, category: str) -> tuple[list[Entry], list[Problem]]:
    """Entries of one note file. ``source`` is the path shown to people (relative to the notes).

    The first entry is always the file's document (when the file has any content)."""
    text, problems = read_note(path, source)
    entries, more = parse_markdown(text, source, category, stem=textutil.note_name(source))
    return entries, problems + more


def parse_markdown(
    text: str, source: str, category: str, stem: str = ""
) -> tuple[list[Entry], list[Problem]]:
    """Entries of one note's text (decoded, ``\\n`` line ends): what parse_note makes of a file,
    for notes that are not files yet (written in Slack). ``stem`` is the title of last resort."""
    problems: list[Problem] = []
    if "\r" in text:
        # markdown-it ends a line at a bare CR as at LF: so must the line numbers read here.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    lines = list(raw_lines)
    meta, key_lines = _front_matter(lines)
    fm_line = key_lines.get("title")
    problems += _check_front_matter(raw_lines, meta, key_lines, source)
    prepared = _prepare(lines)
    tokens, cut = _parse("\n".join(prepared))
    if cut is not None:
        problems.append(
            Problem(
                source=source,
                line=cut + 1,
                message="very large note: links and images from here on are not listed",
                level="warning",
            )
        )
    blocks = _blocks(tokens)
    problems += _check_fences(blocks, prepared, source)
    problems += _check_conflicts(tokens, prepared, source)
    norm = _normalise(prepared, tokens)
    stem = textutil.humanize_stem(stem) or Path(source).name
    title, title_line, body_start, head = _document_title(blocks, prepared, meta, fm_line, stem)
    has_title = bool(meta.get("title")) or head is not None
    if not has_title and not _has_content(blocks):
        problems.append(Problem(source=source, line=1, message="no content found", level="warning"))
        return [], problems
    if head is not None:
        blocks = [b for b in blocks if b is not head]
    body = [b for b in blocks if b.start >= body_start]
    named = title if has_title else None
    topics = _topic_scope(body, named) if _is_period_log(body, named) else [False] * len(body)
    doc = _structure(Node("document", title, title_line, body_start, len(lines)), body, topics)
    builder = _Builder(source, category, norm, _Leaves(tokens), meta)
    builder.add(doc, parent=None, path=[], ancestors=[])
    problems += builder.problems
    return builder.entries, problems


class _Builder:
    """Turns the node tree of one file into entries, depth first (a parent before its children)."""

    def __init__(
        self, source: str, category: str, norm: list[str], leaves: _Leaves, meta: dict[str, str]
    ) -> None:
        self.source = source
        self.category = category
        self.norm = norm
        self.leaves = leaves
        self.meta_tags = _meta_tags(meta)
        stem = Path(source).stem
        self.file_date = textutil.find_date(stem) or textutil.find_date(meta.get("date", ""))
        self.file_period = textutil.find_period(stem)
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, ...], int] = {}
        self.document: str | None = None

    def add(self, node: Node, parent: Entry | None, path: list[str], ancestors: list[str]) -> None:
        title = node.title if len(node.title) <= _TITLE_MAX else node.title[: _TITLE_MAX - 1] + "…"
        # An id is the file plus the titles leading to the entry (not the document's own title,
        # which may be edited): editing a body or renaming the file's title keeps ids.
        key = tuple(path) if node.kind == "document" else (*path, title)
        n = self.seen.get(key, 0)
        self.seen[key] = n + 1
        if n:
            self.problems.append(
                Problem(
                    source=self.source,
                    line=node.line + 1,
                    message=f"duplicate title {title!r} here; its entry id gets a number",
                    level="warning",
                )
            )
        entry_id = hashlib.sha1("\n".join([self.source, *key, str(n)]).encode()).hexdigest()[:12]
        body = _body(self.norm, node.start, node.end)
        # A topic's bullet may hold its body as continuation lines, so its block counts too.
        first = node.line if node.kind == "topic" else node.start
        code, links, images = _collect(self.leaves.within(first, node.end))
        dates = [textutil.find_date(t) for t in [*reversed(ancestors), title]]
        periods = [textutil.find_period(t) for t in [*reversed(ancestors), title]]
        date = next((d for d in dates if d), None) or self.file_date
        period = next((p for p in periods if p), None) or self.file_period
        entry = Entry(
            id=entry_id,
            title=title,
            body=body,
            summary=textutil.plain_summary(body),
            code=code,
            links=links,
            images=images,
            keywords=textutil.keywords(title, body),
            category=self.category,
            tags=_dedupe([*ancestors, *self.meta_tags]),
            source=self.source,
            line=node.line + 1,
            date=date,
            period=period,
            kind=node.kind,
            parent=parent.id if parent else None,
            document=self.document,
        )
        self.entries.append(entry)
        if node.kind == "document":
            self.document = title
        child_path = key if node.kind != "document" else []
        for child in node.children:
            self.add(child, entry, list(child_path), [*ancestors, title])


def _meta_tags(meta: dict[str, str]) -> list[str]:
    """Front matter's tags, then its categories and keywords (Jekyll, Hugo) and its aliases
    (Obsidian's other names for the note), each once."""
    tags: list[str] = []
    for key in ("tags", "categories", "category", "keywords", "aliases", "alias"):
        raw = meta.get(key, "").strip("[]")
        tags += [t.strip().strip("\"'") for t in raw.split(",") if t.strip()]
    return list(dict.fromkeys(t for t in tags if t))

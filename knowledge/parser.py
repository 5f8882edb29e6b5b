"""Markdown TIL notes → entries.

Three layouts occur in real TIL collections and all are handled by one walk over the
top-level markdown blocks:

1. period logs (ours): ``- topic`` lines, each followed by its paragraphs, code and ``<br>``;
2. files with several ``#``/``##`` topic headings (daily class notes);
3. one TIL per file with a ``# Title`` first line (``category/slug.md``).

markdown-it gives block tokens with source line maps, so headings inside code blocks are not
headings, and every entry knows the line it starts on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

from knowledge import textutil
from knowledge.models import CodeBlock, Entry, Image, Link, Problem

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

# People type ''' (or smart quotes) for ``` in note apps; treat such a line as a fence.
_QUOTE_FENCE = re.compile(r"^(\s{0,3})(?:'''|‘‘‘|’’’|“|”){1}([\w+-]*)\s*$")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>()\[\]]+")
_HTML_IMG = re.compile(r"<img\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>", re.I)
_HTML_ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.I)
_TITLE_MAX = 120
_T = TypeVar("_T")


@dataclass
class Block:
    kind: str  # heading, bullet_list, ordered_list, paragraph, fence, code_block, html_block, ...
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    tokens: list[Token]
    level: int = 0  # heading level
    text: str = ""  # heading text, or the single paragraph of a one-item bullet list


@dataclass
class Section:
    title: str
    line: int  # 0-based line of the title
    blocks: list[Block]
    parents: list[str] = field(default_factory=list)


def read_note(path: Path, source: str) -> tuple[str, list[Problem]]:
    """Decode a note as UTF-8 (BOM and CRLF tolerated); undecodable bytes are reported."""
    problems: list[Problem] = []
    data = path.read_bytes()
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise NoteError(Problem(source=source, line=line, message="binary file (NUL byte)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(source=source, line=line, message="not valid UTF-8; bad bytes replaced")
        )
        text = data.decode("utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Notes written on macOS arrive in NFD (decomposed Hangul); search needs one form.
    return unicodedata.normalize("NFC", text), problems


class NoteError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _strip_front_matter(lines: list[str]) -> dict[str, str]:
    """Blank out a leading ``---`` front-matter block in place (keeps line numbers)."""
    meta: dict[str, str] = {}
    if not lines or lines[0].strip() != "---":
        return meta
    for i in range(1, min(len(lines), 200)):
        if lines[i].strip() in {"---", "..."}:
            for j in range(1, i):
                m = _FRONT_MATTER_KEY.match(lines[j])
                if m:
                    meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
            for j in range(i + 1):
                lines[j] = ""
            return meta
    return meta


def _prepare(lines: list[str]) -> list[str]:
    """Lines as markdown-it should see them: quote fences become ``` fences."""
    out = []
    for line in lines:
        m = _QUOTE_FENCE.match(line)
        out.append(f"{m.group(1)}```{m.group(2)}" if m else line)
    return out


def _blocks(tokens: list[Token]) -> list[Block]:
    """Group top-level tokens into blocks with their line ranges."""
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.nesting == 1:
            depth, j = 0, i
            while True:
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
            group = tokens[i : j + 1]
            kind = tok.type.removesuffix("_open")
            assert tok.map is not None
            block = Block(kind=kind, start=tok.map[0], end=tok.map[1], tokens=group)
            if kind == "heading":
                block.level = int(tok.tag[1:])
                block.text = group[1].content.strip()
                if not textutil.clean_title(block.text):
                    block.kind = "empty_heading"  # a stray "#" line cuts nothing
            elif kind == "bullet_list":
                block.text = _single_item_text(group)
            blocks.append(block)
            i = j + 1
        else:
            if tok.map is not None:
                blocks.append(Block(kind=tok.type, start=tok.map[0], end=tok.map[1], tokens=[tok]))
            i += 1
    return blocks


def _single_item_text(group: list[Token]) -> str:
    """The first line of a one-item bullet list holding one paragraph, else ''."""
    items = [t for t in group if t.type == "list_item_open" and t.level == 1]
    paragraphs = [t for t in group if t.type == "paragraph_open"]
    nested = [t for t in group[1:-1] if t.type.endswith("_list_open")]
    if len(items) != 1 or len(paragraphs) != 1 or nested:
        return ""
    inline = next(t for t in group if t.type == "inline")
    return inline.content.split("\n", 1)[0].strip()


def _is_period_log(blocks: list[Block]) -> bool:
    """Do topic bullets (``- topic`` then its paragraphs) organise these blocks?"""
    topics = 0
    for i, block in enumerate(blocks[:-1]):
        following = blocks[i + 1].kind
        if block.text and following in {"paragraph", "fence", "code_block", "ordered_list"}:
            topics += 1
    return topics >= 2


def _split_period_log(blocks: list[Block], parents: list[str]) -> list[Section]:
    sections: list[Section] = []
    for block in blocks:
        if block.kind == "bullet_list" and block.text:
            sections.append(Section(block.text, block.start, [block], parents))
        elif sections:
            sections[-1].blocks.append(block)
    return sections


_CONTAINER_TITLE = re.compile(
    r"^(?:til\b|today i learned|\d{1,4}[./-]\d{1,2}|\d{1,2}월|\d{4}년|day\s*\d|\d+\s*일차|week)",
    re.I,
)


def _is_container(title: str) -> bool:
    """A title naming a period (``TIL 9-1 ~ 9-15``, ``2021.02.15``) holds topics, not one TIL."""
    return bool(_CONTAINER_TITLE.match(title.strip())) or textutil.find_period(title) is not None


def _sections(blocks: list[Block], parents: list[str], fallback_title: str) -> list[Section]:
    """Cut blocks into entry-sized sections, recursing through container headings."""
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        if _is_period_log(blocks):
            return _split_period_log(blocks, parents)
        if _has_content(blocks):
            return [Section(fallback_title, blocks[0].start, blocks, parents)]
        return []
    top = min(h.level for h in headings)
    cut = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == top]
    out: list[Section] = []
    preamble = blocks[: cut[0]]
    if preamble and _has_content(preamble):
        out += _sections(preamble, parents, fallback_title)
    if len(cut) == 1 and not _has_content(preamble):
        head = blocks[cut[0]]
        rest = blocks[cut[0] + 1 :]
        if _is_container(head.text) or (
            _is_period_log([b for b in rest if b.kind != "heading"])
            and not any(b.kind == "heading" for b in rest)
        ):
            return _sections(rest, [*parents, head.text], head.text)
        return [Section(head.text, head.start, rest, parents)]
    for n, i in enumerate(cut):
        head = blocks[i]
        rest = blocks[i + 1 : cut[n + 1] if n + 1 < len(cut) else len(blocks)]
        if _is_container(head.text) or (
            _is_period_log(rest) and not any(b.kind == "heading" for b in rest)
        ):
            out += _sections(rest, [*parents, head.text], head.text)
        else:
            out.append(Section(head.text, head.start, rest, parents))
    return out


def _has_content(blocks: list[Block]) -> bool:
    return any(b.kind != "html_block" and b.kind != "hr" for b in blocks) or any(
        textutil.strip_html(b.tokens[0].content).strip() for b in blocks if b.kind == "html_block"
    )


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


def _collect(blocks: list[Block]) -> tuple[list[CodeBlock], list[Link], list[Image]]:
    code: list[CodeBlock] = []
    tokens: list[Token] = []
    images: list[Image] = []
    for block in blocks:
        for tok in block.tokens:
            if tok.type in {"fence", "code_block"}:
                code.append(CodeBlock(language=tok.info.strip(), code=tok.content.rstrip("\n")))
            elif tok.type == "html_block":
                images += _html_images(tok.content)
            tokens.append(tok)
    links, inline_images = _walk_inline(tokens)
    return code, _dedupe(links), _dedupe(inline_images + images)


def _dedupe(items: list[_T]) -> list[_T]:
    return list(dict.fromkeys(items))


def _check_fences(blocks: list[Block], lines: list[str], source: str) -> list[Problem]:
    """A fence whose last line is not a closing marker ran to the end of the file."""
    problems = []
    for block in blocks:
        for tok in block.tokens:
            if tok.type != "fence" or not tok.map:
                continue
            last = tok.map[1] - 1
            closing = lines[last].strip() if last < len(lines) else ""
            closed = (
                last > tok.map[0]
                and closing.startswith(tok.markup)
                and set(closing) == {tok.markup[0]}
            )
            if not closed:
                problems.append(
                    Problem(
                        source=source,
                        line=tok.map[0] + 1,
                        message="code fence is never closed; the rest of the file is code",
                    )
                )
    return problems


def parse_note(path: Path, source: str, category: str) -> tuple[list[Entry], list[Problem]]:
    """Entries of one note file. ``source`` is the path shown to people (relative to the notes)."""
    text, problems = read_note(path, source)
    raw_lines = text.split("\n")
    lines = list(raw_lines)
    meta = _strip_front_matter(lines)
    prepared = _prepare(lines)
    blocks = _blocks(_MD.parse("\n".join(prepared)))
    problems += _check_fences(blocks, prepared, source)
    stem = textutil.humanize_stem(path.stem)
    if meta.get("title"):
        line = next(i for i, raw in enumerate(raw_lines) if raw.startswith("title:"))
        blocks = [Block("heading", line, line + 1, [], level=0, text=meta["title"]), *blocks]
    sections = _sections(blocks, [], meta.get("title") or stem)
    if not sections:
        problems.append(Problem(source=source, line=1, message="no content found", level="warning"))
    file_date = textutil.find_date(path.stem) or textutil.find_date(meta.get("date", ""))
    file_period = textutil.find_period(path.stem)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for section in sections:
        entry, entry_problems = _entry(section, raw_lines, source, category, seen)
        problems += entry_problems
        if entry is None:
            continue
        heading_dates = [textutil.find_date(p) for p in section.parents]
        heading_periods = [textutil.find_period(p) for p in section.parents]
        date = next((d for d in heading_dates if d), None) or file_date
        period = next((p for p in heading_periods if p), None) or file_period
        tags = _dedupe([*section.parents, *_meta_tags(meta)])
        entries.append(entry.model_copy(update={"date": date, "period": period, "tags": tags}))
    return entries, problems


def _meta_tags(meta: dict[str, str]) -> list[str]:
    raw = meta.get("tags", "").strip("[]")
    return [t.strip().strip("\"'") for t in raw.split(",") if t.strip()]


def _entry(
    section: Section, lines: list[str], source: str, category: str, seen: dict[str, int]
) -> tuple[Entry | None, list[Problem]]:
    problems: list[Problem] = []
    title = textutil.clean_title(section.title)
    if not title:
        problems.append(
            Problem(source=source, line=section.line + 1, message="topic has an empty title")
        )
        return None, problems
    if len(title) > _TITLE_MAX:
        title = title[: _TITLE_MAX - 1].rstrip() + "…"
    body_start = section.blocks[0].start if section.blocks else section.line + 1
    body_end = max((b.end for b in section.blocks), default=body_start)
    first = section.blocks[0] if section.blocks else None
    if first is not None and first.kind == "bullet_list" and first.text == section.title:
        # The topic bullet itself is the title; lazy continuation lines stay in the body.
        body_start = first.start + 1
    body = "\n".join(lines[body_start:body_end]).strip("\n")
    code, links, images = _collect(section.blocks)
    summary = textutil.plain_summary(body)
    n = seen.get(title, 0)
    seen[title] = n + 1
    if n:
        problems.append(
            Problem(
                source=source,
                line=section.line + 1,
                message=f"duplicate title {title!r} in this file",
            )
        )
    entry_id = hashlib.sha1(f"{source}\n{title}\n{n}".encode()).hexdigest()[:12]
    entry = Entry(
        id=entry_id,
        title=title,
        body=body,
        summary=summary,
        code=code,
        links=links,
        images=images,
        keywords=textutil.keywords(title, body),
        category=category,
        source=source,
        line=section.line + 1,
    )
    return entry, problems

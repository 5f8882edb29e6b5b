"""Line rules over the parser's normalised markdown: plain text, summaries, keywords and dates.

An entry's body is normalised by ``knowledge.parser`` (real ``` fences, no HTML), so simple
line-level rules read it the same way everywhere: the index, the summary, Slack and the terminal
all ask ``lines_with_code`` which lines are code."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import NamedTuple


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """The pattern, compiled at its first use instead of at import.

    For the dearest patterns below, which only building a KB reads: re's compiler is Python, and
    it builds a character class holding characters past U+00FF (Hangul, 년) character by
    character; that, or a long case-insensitive alternation, costs 2-6 M instructions a pattern,
    which a cold Lambda answering from a built KB would pay for nothing (callgrind,
    bench/bench_coldstart.py --instructions)."""
    return functools.cache(lambda: re.compile(pattern, flags))


# Control characters other than tab and newline: they draw nothing in Slack or a note, and in a
# terminal an escape (ESC) or backspace rewrites what is shown. A vertical tab or form feed
# separates words, as a space.
CONTROLS: dict[int, str | None] = {
    **dict.fromkeys([*range(0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]),
    0x0B: " ",
    0x0C: " ",
}


def without_controls(text: str) -> str:
    return text.translate(CONTROLS)


def cut_at_word(text: str, limit: int) -> str:
    """The text's first `limit` characters, less a word the cut would split: "docker docker
    doc" would ask about "doc", and name it as in no note. Text with no space to cut at (a
    Korean sentence typed without spaces, a 100 kB token) is cut where the limit falls."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if text[limit].isspace():
        return head
    words = head.rsplit(maxsplit=1)
    return words[0] if len(words) == 2 else head


# An emoji code as Slack and GitHub write it, standing apart (":pray:", ":+1:", ":wave::skin-tone-2:",
# ":small_blue_diamond: 집계"): a picture, no word. "std::vector", "10:30:00" and "a:b:" touch
# other text and stay.
emoji_codes = lazy_pattern(r"(?<!\S)(?::(?:[a-z0-9_+-]*[a-z][a-z0-9_+-]*|[+-]1):)+(?!\S)")


# Only real HTML tags are stripped: notes also contain placeholders like ``git pull <url> <branch>``
# that are text the reader needs.
_HTML_TAG = lazy_pattern(
    r"(?<!\\)</?(?:br|p|div|span|img|a|b|i|u|em|strong|code|pre|sup|sub|details|summary|center|font|aside|"
    r"table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|hr|kbd|mark|small|blockquote|figure|figcaption|"
    r"picture|source|video|iframe|del|s|ins)\b[^>]*?/?>",
    re.I,
)
# Compiled at first use too: a KB build reads them, answering a question does not (a cold /til
# compiled these eight for nothing, ~2 M instructions).
_HTML_COMMENT = lazy_pattern(r"<!--.*?-->", re.S)
_IMAGE = lazy_pattern(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = lazy_pattern(r"\[([^\]]*)\]\(([^)]*)\)")
_AUTOLINK = lazy_pattern(r"<(https?://[^>]+)>")
_URL = lazy_pattern(r"https?://\S+")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
# Quote marks before a line's text, one optional space each ("> > x" → "x", code indentation kept).
_QUOTE_PREFIX = lazy_pattern(r"^\s*(?:>[ \t]?)+")
_EMPHASIS = lazy_pattern(r"(\*\*|__|~~|`)")
_WORD = lazy_pattern(r"[A-Za-z][A-Za-z0-9_.+#-]*[A-Za-z0-9+#]|[A-Za-z]|[가-힣]{2,}")
# _WORD's words of two or more Latin letters: the only words keywords take from a body.
_LATIN_WORD = lazy_pattern(r"[A-Za-z][A-Za-z0-9_.+#-]*[A-Za-z0-9+#]")
_SUMMARY_MAX = 200

_DATE = lazy_pattern(
    r"(?<!\d)(20\d{2}|19\d{2})\s*(?:[-./_]|년)\s*(\d{1,2})\s*(?:[-./_]|월)\s*(\d{1,2})(?!\d)"
)
_COMPACT_DATE = lazy_pattern(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
# English dates as Notion, Medium and blogs write them: "Sep 22, 2019", "22 September 2019".
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_PATTERN = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_NAMED_DATE = lazy_pattern(
    rf"\b(?:{MONTH_PATTERN}\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH_PATTERN}),?"
    r"\s+((?:19|20)\d{2})(?!\d)",
    re.I,
)
_PERIOD = lazy_pattern(
    r"(?<![\d.])(\d{1,2})[-./](\d{1,2})\s*(?:~|-|–|—)\s*(\d{1,2})[-./](\d{1,2})(?![\d.])"
)

_STOP = {
    "the", "and", "for", "with", "that", "this", "from", "you", "are", "was", "can", "not",
    "use", "using", "your", "have", "has", "will", "into", "when", "what", "how", "all",
    "입니다", "합니다", "있다", "있습니다", "한다", "하는", "것이다", "것을", "수", "있는",
}  # fmt: skip


def strip_comments(text: str) -> str:
    """HTML comments, which GitHub never shows, out of the text (each a space)."""
    return _HTML_COMMENT().sub(" ", text) if "<!--" in text else text


def strip_html(text: str) -> str:
    return _HTML_TAG().sub(" ", strip_comments(text))


def inline_plain(text: str) -> str:
    """One line of markdown as plain text."""
    # Each rule runs only when the text holds what it needs: this runs for every line of every
    # note at build time, and most lines have no link or tag.
    if "](" in text:
        text = _IMAGE().sub(" ", text)
        text = _LINK().sub(lambda m: m.group(1) or m.group(2), text)
    if "<" in text:
        text = _AUTOLINK().sub(r"\1", text)
        text = strip_html(text)
    if "*" in text or "_" in text or "~" in text or "`" in text:
        text = _EMPHASIS().sub("", text)
    return " ".join(text.split())  # what \s+ → " " and strip() give (\s is str.isspace)


def fence_lines(body: str) -> Iterator[tuple[str, str]]:
    """Each line of a normalised body with its role: ``text``, ``code``, ``open`` or ``close``,
    and ``quoted code`` for a line of a fence inside a blockquote (``> ```python``), which
    `unquote` reads as code.

    A fence closes on a line of the same character at least as long, with nothing after it. A
    fence in a blockquote also ends with the quote, at the first line without ``>``, as
    markdown-it (the parser) and GitHub read it: that close has no line of its own (``""``)."""
    opener = ""
    quoted = False
    for line in body.split("\n"):
        if opener and quoted:
            if line.lstrip().startswith(">"):
                inner = unquote(line)
                m = _FENCE.match(inner) if "```" in inner or "~~~" in inner else None
                if m and m.group(1)[0] == opener[0] and len(m.group(1)) >= len(opener):
                    if not m.group(2).strip():
                        opener = ""
                        yield line, "close"
                        continue
                yield line, "quoted code"
                continue
            opener = ""
            yield "", "close"
        fenced = "```" in line or "~~~" in line
        m = _FENCE.match(line) if fenced else None
        if not opener:
            quoted = m is None and fenced and line.lstrip().startswith(">")
            if quoted:
                m = _FENCE.match(unquote(line))
                quoted = m is not None
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                opener = m.group(1)
                yield line, "open"
            else:
                yield line, "text"
        elif (
            m
            and m.group(1)[0] == opener[0]
            and len(m.group(1)) >= len(opener)
            and not m.group(2).strip()
        ):
            opener = ""
            yield line, "close"
        else:
            yield line, "code"


def unquote(line: str) -> str:
    """A line of a fence inside a blockquote without its quote marks (``> x = 1`` → ``x = 1``)."""
    return _QUOTE_PREFIX().sub("", line, count=1)


def lines_with_code(body: str) -> Iterator[tuple[str, bool]]:
    """The body's lines without fence markers, each with whether it is inside a code block."""
    for line, role in fence_lines(body):
        if role in {"text", "code"}:
            yield line, role == "code"
        elif role == "quoted code":
            yield unquote(line), True


def closing_fence(body: str) -> str:
    """The line that closes a fence this text leaves open at its end ("" when none is): the
    opener's own marker (```` ``` ```` or ``~~~``), quoted when the fence is in a blockquote."""
    opened = ""
    for line, role in fence_lines(body):
        if role == "open":
            opened = line
        elif role == "close":
            opened = ""
    if not opened:
        return ""
    quoted = opened.lstrip().startswith(">")
    m = _FENCE.match(unquote(opened) if quoted else opened)
    marker = m.group(1) if m else "```"
    return f"> {marker}" if quoted else marker


class MarkdownLine(NamedTuple):
    kind: str  # blank heading rule table_rule table_row quote bullet ordered text
    indent: str  # before a list marker
    number: str  # an ordered item's number
    text: str  # the line without its block marker


# Each rule is compiled when a line first needs it: answering a question classifies the lines
# of one card, and most cards have none of these markers (a cold /til compiled all seven for
# nothing, ~3 M instructions).
_HEADING = lazy_pattern(r"^\s*#{1,6}\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_RULE = lazy_pattern(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_TABLE_RULE = lazy_pattern(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_TABLE_ROW = lazy_pattern(r"^\s*\|(?P<text>.*)\|\s*$")
_QUOTE = lazy_pattern(r"^\s*>\s?(?P<text>.*)$")
_BULLET = lazy_pattern(r"^(?P<indent>\s*)[-*+]\s+(?P<text>.*)$")
_ORDERED = lazy_pattern(r"^(?P<indent>\s*)(?P<number>\d{1,9})[.)]\s+(?P<text>.*)$")
# CommonMark's line rules in their order (heading, rule, table rule, table row, quote, bullet,
# ordered), each under the characters a line it takes can start with after its indentation
# (a digit for ordered, \d being str.isdecimal): any other line is text, without trying any.
_RULES_BY_START: dict[str, tuple[tuple[str, Callable[[], re.Pattern[str]]], ...]] = {
    "#": (("heading", _HEADING),),
    "-": (("rule", _RULE), ("table_rule", _TABLE_RULE), ("bullet", _BULLET)),
    "*": (("rule", _RULE), ("bullet", _BULLET)),
    "_": (("rule", _RULE),),
    "|": (("table_rule", _TABLE_RULE), ("table_row", _TABLE_ROW)),
    ":": (("table_rule", _TABLE_RULE),),
    ">": (("quote", _QUOTE),),
    "+": (("bullet", _BULLET),),
}
_ORDERED_RULES = (("ordered", _ORDERED),)
# A line of only these is a table or rule remnant, not prose.
_RULE_CHARS = "-=*_|: "


def classify(line: str) -> MarkdownLine:
    """What a prose line of a normalised body is, by its block marker (CommonMark's line rules)."""
    stripped = line.strip()
    if not stripped:
        return MarkdownLine("blank", "", "", "")
    first = stripped[0]
    for kind, pattern in _ORDERED_RULES if first.isdecimal() else _RULES_BY_START.get(first, ()):
        if m := pattern().match(line):
            found = m.groupdict()
            return MarkdownLine(
                kind,
                found.get("indent") or "",
                found.get("number") or "",
                found.get("text") or "",
            )
    return MarkdownLine("text", "", "", stripped)


# The rules whose text (without the marker) a prose line reads as, by the line's first
# character: rule and table-rule lines are read whole, and hold only `_RULE_CHARS` anyway, so
# a line that one of them would take first is dropped whichever rule reads it.
_TEXT_RULES = {"#": _HEADING, "-": _BULLET, "*": _BULLET, "+": _BULLET}


_CELL_BAR = lazy_pattern(r"(?<!\\)\|")


def plain_lines(body: str) -> Iterator[str]:
    """The body's prose lines as plain text (no code, images, markup or rules).

    What `classify` and `inline_plain` make of each text line, read without building a
    `MarkdownLine`: this runs for every line of every note at build time."""
    for line, role in fence_lines(body):
        if role != "text":
            continue
        stripped = line.strip()
        if not stripped:
            continue
        first = stripped[0]
        if first == ">":  # a quote's text, without its marks ("> > 인용" → "인용")
            line = _QUOTE_PREFIX().sub("", line, count=1)
            stripped = line.strip()
            if not stripped:
                continue
            first = stripped[0]
        rule = _ORDERED if first.isdecimal() else _TEXT_RULES.get(first)
        if rule is not None and (m := rule().match(line)):
            line = m.group("text")
        elif first == "|":  # a table row's cells, without the bars between them
            if not stripped.strip(_RULE_CHARS):
                continue
            line = " · ".join(
                c.strip() for c in _CELL_BAR().split(stripped.strip("|")) if c.strip()
            )
        line = inline_plain(line)
        if line.strip(_RULE_CHARS):
            yield line


def plain_text(body: str) -> str:
    """The body's prose as one line of plain text: what search indexes besides the code."""
    return " ".join(plain_lines(body))


def plain_summary(body: str, limit: int = _SUMMARY_MAX) -> str:
    """The start of the body's prose as one line of plain text, cut at a word."""
    out: list[str] = []
    size = 0
    for line in plain_lines(body):
        out.append(line)
        size += len(line) + 1
        if size > limit:
            break
    text = " ".join(out)
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def keywords(title: str, body: str, limit: int = 12) -> list[str]:
    """Title words first, then the body's most frequent technical words."""
    title_words = [w.lower() for w in _WORD().findall(inline_plain(title))]
    prose = _URL().sub(" ", _LINK().sub(r"\1", _IMAGE().sub(" ", strip_html(body))))
    # Korean words carry particles (컨테이너를), so only Latin technical words come from the body.
    counts = Counter(map(str.lower, _LATIN_WORD().findall(prose)))
    ranked = [w for w, _ in counts.most_common()]
    words = [w for w in title_words + ranked if w not in _STOP and len(w) > 1]
    return list(dict.fromkeys(words))[:limit]


# Notion exports name every page and folder "<title> <32 hex digits>".
_NOTION_ID = lazy_pattern(r" [0-9a-f]{32}(?=/|$)")


def drop_page_ids(path: str) -> str:
    """``Dev 1a2b…/Docker 3c4d…`` → ``Dev/Docker``: a Notion export's page ids are no names."""
    return _NOTION_ID().sub("", path)


# Files named for their role in a folder, not for their topic.
_INDEX_NAMES = frozenset({"readme", "index", "_index"})


def note_name(source: str) -> str:
    """The name a note's file gives it: its stem, or its folder's name for a README.md or
    index.md inside a folder (one collection keeps 68 lecture notes as ``Topic/README.md``):
    "README" says nothing of what the note is about."""
    folder, _, name = source.replace("\\", "/").rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if stem.lower() in _INDEX_NAMES and folder:
        return folder.rsplit("/", 1)[-1]
    return stem


def humanize_stem(stem: str) -> str:
    """``grab-a-limited-set`` → ``Grab a limited set``; dates and versions keep their dashes."""
    stem = drop_page_ids(without_controls(stem))
    text = re.sub(r"(?<=[^\W\d])[-_]+|[-_]+(?=[^\W\d])", " ", stem).strip()
    return text[:1].upper() + text[1:] if text else stem


def find_date(text: str) -> dt.date | None:
    for pattern in (_DATE(), _COMPACT_DATE()):
        for m in pattern.finditer(text):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    if not any(c.isalpha() and c.isascii() for c in text):
        return None
    for m in _NAMED_DATE().finditer(text):
        month = MONTHS.index((m.group(1) or m.group(4))[:3].lower()) + 1
        try:
            return dt.date(int(m.group(5)), month, int(m.group(2) or m.group(3)))
        except ValueError:
            continue
    return None


def find_period(text: str) -> str | None:
    """``TIL-9-1-9-15`` → ``9-1 ~ 9-15``: a month-day range without a year."""
    for m in _PERIOD().finditer(text):
        m1, d1, m2, d2 = (int(g) for g in m.groups())
        if 1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31:
            return f"{m1}-{d1} ~ {m2}-{d2}"
    return None

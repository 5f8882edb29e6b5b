"""Block Kit rendering: knowledge entries and answers in, Slack message payloads out.

Pure functions (no Slack calls), so every message the bot can send is testable as data.
Each builder returns ``(fallback_text, blocks)``: Slack shows the text in notifications and
screen readers, the blocks in the conversation.

An entry's body is the parser's normalised markdown (real ``` fences, no HTML), so mrkdwn is made
from it with line rules, using ``knowledge.textutil.fence_lines`` to know which lines are code:
a fence the parser calls code is code here too, and no markdown parser is imported on a cold
start. Everything that is not our own markup is escaped: Slack treats ``<...>`` as a control
sequence, so an unescaped note or question could ping a channel or break the message.
Rendering stops once it has what a card can show, so a huge note costs no more than a small one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bot import messages
from knowledge.models import Entry
from knowledge.textutil import classify, fence_lines, lazy_pattern, unquote

if TYPE_CHECKING:
    from bot.gaps import Gap
    from bot.store import WeekStats

Block = dict[str, Any]
Payload = tuple[str, list[Block]]

ACTION_OPEN = "til_open"  # + ":<n>" — Slack wants action ids unique within a block
ACTION_SHARE = "til_share"
ACTION_FULL = "til_full"
ACTION_NOTE = "til_note"  # a section's whole note (its document)
ACTION_VOTE_UP = "til_vote_up"
ACTION_VOTE_DOWN = "til_vote_down"
ACTION_ANOTHER_TIP = "til_another_tip"
ACTION_TOPIC = "til_topic"  # + ":<n>"

# Slack's documented Block Kit limits.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_FALLBACK_TEXT = 3000

PREVIEW_CHARS = 1200  # a card longer than this gets a "show all" button
MAX_CANDIDATES = 4
MAX_SUGGESTIONS = 5
FULL_CHUNK = 2900
ZWSP = "\u200b"

_BROADCAST = lazy_pattern(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_FENCE = "```"


# --------------------------------------------------------------------------- escaping


def escape(text: str) -> str:
    """Make arbitrary text display literally in mrkdwn: no pings, no links, no broken markup."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # "@channel" typed as plain text is not a ping today, but a ZWSP keeps it that way even if
    # a future payload turns on link_names.
    if "@" not in escaped:
        return escaped
    return _BROADCAST().sub(lambda m: "@" + ZWSP + m.group(1), escaped)


# Slack reads *, _ and ~ as bold, italic and strike marks where a word starts or ends (one
# that opens has a character after it, one that closes a character before it), never inside a
# word (snake_case, a~b) or standing apart (9-1 ~ 9-15), and has no escape for them.
_MARK_AT_WORD_EDGE = re.compile(r"(?<![^\W_])[*_~](?=\S)|(?<=\S)[*_~](?![^\W_])")
# The asterisk operator, modifier letter low macron, tilde operator: they look the same.
_LOOK_ALIKE = {"*": "\u2217", "_": "\u02cd", "~": "\u223c"}


def literal(text: str) -> str:
    """`escape`, and a mark Slack would read (`__init__`, `*args 와 **kwargs`, `~/.a 와 ~/.b`)
    shown by a look-alike that marks nothing: for what someone typed or named (a question, a
    note's name) shown in a line of our own."""
    return _MARK_AT_WORD_EDGE.sub(lambda m: _LOOK_ALIKE[m.group()], escape(text))


def escape_bold(text: str) -> str:
    """`literal`, for text shown between bold marks: there any `*` of a title (`**kwargs`,
    `a * b`) would end the bold early and show the rest with stray marks."""
    return literal(text).replace("*", _LOOK_ALIKE["*"])


def _safe_url(url: str) -> str | None:
    """The URL as Slack link syntax wants it, or None for schemes that must not be clickable."""
    url = url.strip()
    if not url.lower().startswith(_SAFE_SCHEMES):
        return None
    url = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")
    return url.replace("&", "&amp;")


def link(url: str, text: str) -> str:
    safe = _safe_url(url)
    label = escape(text.replace("|", "¦")) if text else ""
    if safe is None:
        return label or escape(url)
    return f"<{safe}|{label}>" if label and text != url else f"<{safe}>"


def plain(text: str, limit: int) -> str:
    """Single-line plain text cut to `limit` characters (headers, buttons)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --------------------------------------------------------------------------- markdown → mrkdwn

# A link's text may hold brackets of its own (markdown allows balanced ones): Korean blog posts
# are titled "[Spring] 트랜잭션", so references read [[Spring] 트랜잭션](url).
_LINK_TEXT = r"(?:[^\[\]]|\[[^\[\]]*\])"
# These patterns are compiled at first use, and each is used only on text holding the
# character every match of it starts with: a card without code, links or emphasis needs none
# of them (compiled at import, they were ~5 M instructions of a cold /til).
_SPAN_STARTS = "`[<\\"  # code, a link or an image (![), an autolink, an escape
_SPAN = lazy_pattern(
    r"(?P<code>(`+)(?P<code_text>.+?)\2)"
    rf"|!\[(?P<alt>{_LINK_TEXT}*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\)"
    rf"|\[(?P<text>{_LINK_TEXT}+)\]\((?P<href>[^)\s]*)(?:\s+\"[^\"]*\")?\)"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    # A backslash before punctuation makes it a literal character (``\_\_init\_\_``,
    # ``\<div\>``, ``\*``): shown without the backslash, and never read as a mark.
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"
)
_EMPHASIS = (  # (pattern, mrkdwn mark, the character every match holds)
    (lazy_pattern(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), "*", "*"),
    (lazy_pattern(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), "*", "_"),
    (lazy_pattern(r"(?<![*\w])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?![*\w])"), "_", "*"),
    (lazy_pattern(r"(?<!\w)_(?=[^\s_])([^_]+?)(?<=\S)_(?!\w)"), "_", "_"),
    (lazy_pattern(r"~~(?=\S)(.+?)(?<=\S)~~"), "~", "~"),
)
_HOLE = lazy_pattern("\x00(\\d+)\x00")
_LONG_LINE = 4000  # a single line is never worth more than a section holds


def to_mrkdwn(markdown: str) -> str:
    """Normalised note markdown as Slack mrkdwn (bold, links, code, lists, quotes, images)."""
    return render_mrkdwn(markdown)[0]


def render_mrkdwn(markdown: str, limit: int | None = None) -> tuple[str, bool]:
    """mrkdwn for the body, and whether it stopped early because ``limit`` characters were made."""
    out: list[str] = []
    size = 0
    for line, role in fence_lines(markdown):
        if limit is not None and size > limit:
            break
        line = line[:_LONG_LINE]
        if role in {"open", "close"}:
            text = _FENCE
        elif role == "code":
            text = escape(line.rstrip())
        elif role == "quoted code":
            text = escape(unquote(line).rstrip())
        else:
            text = _mrkdwn_line(line)
        out.append(text)
        size += len(text) + 1
    else:
        return _tidy(out), False
    text = _tidy(out)
    if text.count(_FENCE) % 2:
        text += "\n" + _FENCE
    return text, True


def _tidy(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_TASK = lazy_pattern(r"\[([ xX])\]\s+")


def _mrkdwn_line(line: str) -> str:
    kind, indent, number, text = classify(line)
    if kind in {"blank", "table_rule"}:
        return ""
    if kind == "heading":
        return _emphasis(_inline(text), "*")
    if kind == "rule":
        return "──────────"
    if kind == "table_row":
        return " | ".join(_inline(cell.strip()) for cell in text.split("|"))
    if kind == "quote":
        return "> " + _inline(text)
    if kind == "bullet":
        depth = _depth(indent)
        # A task list item (GitHub's "- [x] 배포"): the box it shows, not the brackets.
        box = _TASK().match(text)
        if box:
            text = ("☑ " if box.group(1) in "xX" else "☐ ") + text[box.end() :]
        return f"{'    ' * depth}{'•' if depth % 2 == 0 else '◦'} {_inline(text)}"
    if kind == "ordered":
        return f"{'    ' * _depth(indent)}{number}. {_inline(text)}"
    return _inline(text)


def _depth(indent: str) -> int:
    # A nested list item is indented by its parent's marker width: 2 for "- ", 3 for "1. ".
    return (len(indent.expandtabs(4)) + 1) // 3


def _inline(text: str) -> str:
    """One line of markdown as mrkdwn: code, links and images first, then escaped emphasis."""
    holes: list[str] = []

    def hole(m: re.Match[str]) -> str:
        if m.group("escaped"):
            made = escape(m.group("escaped"))
        elif m.group("code"):
            made = f"`{escape(m.group('code_text').strip())}`"
        elif m.group("src") is not None:
            made = link(m.group("src"), "🖼 " + (m.group("alt").strip() or "image"))
        elif m.group("href") is not None:
            made = link(m.group("href"), _strip_marks(m.group("text")))
        else:
            made = link(m.group("auto"), m.group("auto"))
        holes.append(made)
        return f"\x00{len(holes) - 1}\x00"

    def marker(mark: str) -> Callable[[re.Match[str]], str]:
        # Made marks become holes too, so *bold* is not read again as _italic_.
        def made(m: re.Match[str]) -> str:
            holes.append(_emphasis(m.group(1), mark))
            return f"\x00{len(holes) - 1}\x00"

        return made

    text = text.replace("\x00", "")
    if any(start in text for start in _SPAN_STARTS):
        text = _SPAN().sub(hole, text)
    text = escape(text)
    for pattern, mark, needs in _EMPHASIS:
        if needs in text:
            text = pattern().sub(marker(mark), text)
    while "\x00" in text and _HOLE().search(text):  # holes may hold holes (a link in bold)
        text = _HOLE().sub(lambda m: holes[int(m.group(1))], text)
    return text


def _strip_marks(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text)


def _emphasis(inner: str, mark: str) -> str:
    if not inner.strip():
        return inner
    # Slack only applies *bold* at word boundaries; Korean particles glued to a word ("*API*는")
    # would otherwise show the asterisks. Zero-width spaces make the boundary invisible.
    return f"{ZWSP}{mark}{inner.strip()}{mark}{ZWSP}"


# --------------------------------------------------------------------------- cutting long text


def preview(mrkdwn: str, limit: int = PREVIEW_CHARS) -> tuple[str, bool]:
    """The first `limit`-ish characters of mrkdwn, cut cleanly; True if something was cut."""
    if len(mrkdwn) <= limit:
        return mrkdwn, False
    return _cut(mrkdwn, limit) + "\n…", True


def _cut(mrkdwn: str, limit: int) -> str:
    head = _cut_raw(mrkdwn, limit)
    if head.count(_FENCE) % 2:
        head += "\n" + _FENCE
    return head.rstrip()


def _cut_raw(mrkdwn: str, limit: int) -> str:
    head = mrkdwn[:limit]
    newline = head.rfind("\n")
    if newline > limit // 2:
        head = head[:newline]
    elif (space := head.rfind(" ")) > limit // 2:
        head = head[:space]
    # Never leave half a <url|text> link or entity: Slack would reject or mangle the message.
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    if head.rfind("&") > head.rfind(";"):
        head = head[: head.rfind("&")]
    if len(head) <= len(_FENCE) + 1:  # a pathological single token: cut it anyway
        head = mrkdwn[:limit]
    return head


def chunks(mrkdwn: str, size: int = FULL_CHUNK) -> list[str]:
    """Split mrkdwn into section-sized pieces, reopening a code block cut across pieces."""
    pieces: list[str] = []
    rest = mrkdwn
    reserve = len(_FENCE) + 1
    while rest:
        if len(rest) <= size:
            pieces.append(rest)
            break
        head = _cut_raw(rest, size - reserve)
        rest = rest[len(head) :].lstrip("\n")
        if head.count(_FENCE) % 2:
            head += "\n" + _FENCE
            rest = _FENCE + "\n" + rest
        pieces.append(head.rstrip())
    return pieces


# --------------------------------------------------------------------------- block primitives


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, MAX_HEADER_TEXT)}}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in texts[:10]]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": plain(text, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
    }
    if value:  # optional in Block Kit; an empty one is left out rather than risk invalid_blocks
        element["value"] = value[:MAX_BUTTON_VALUE]
    if style:
        element["style"] = style
    return element


def actions(elements: Sequence[Block], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:MAX_ACTIONS_ELEMENTS])}
    if block_id:
        block["block_id"] = block_id
    return block


def divider() -> Block:
    return {"type": "divider"}


def said(entry: Entry) -> str:
    """An entry in one line: its title and what it says, or its title alone when its text is
    only code (a notification that ends in a dash reads as cut off)."""
    return f"{entry.title} — {entry.summary}" if entry.summary.strip() else entry.title


def fallback(text: str) -> str:
    """Notification text from raw text: Slack parses this field as mrkdwn too, so escape it."""
    return escape(plain(text, MAX_FALLBACK_TEXT))


# --------------------------------------------------------------------------- entry cards


def source_url(entry: Entry, template: str) -> str | None:
    """The entry's source as a link, from TIL_SOURCE_URL (``…/blob/main/{path}#L{line}``)."""
    if not template:
        return None
    path = quote(entry.source)
    return template.replace("{path}", path).replace("{line}", str(entry.line))


def source_line(entry: Entry, lang: str, link_template: str = "") -> str:
    msg = messages.get(lang)
    url = source_url(entry, link_template)
    where = escape(entry.location)
    shown = f"<{escape(url)}|{where}>" if url else f"`{where}`"
    parts = [f"📄 {msg.source}: {shown}"]
    if entry.edited:
        parts.append(msg.last_edited.format(date=entry.edited.isoformat()))
    if entry.date:
        parts.append(f"🗓 {entry.date.isoformat()}")
    elif entry.period:
        parts.append(f"🗓 {literal(entry.period)}")
    if entry.category:
        parts.append(f"🏷 {literal(entry.category)}")
    return "  ·  ".join(parts)


def _vote_buttons(entry: Entry) -> list[Block]:
    return [
        button("👍", ACTION_VOTE_UP, entry.id),
        button("👎", ACTION_VOTE_DOWN, entry.id),
    ]


def _open_buttons(entries: Sequence[Entry], block_id: str, shown: Entry | None = None) -> Block:
    """A button per entry. Titles repeat across a real repo's files ("문제 설명" in every
    coding-test write-up, "Python" in a README and a site page): a title that another button,
    or the answer `shown` above them, also has is labelled with where it is from."""
    seen = Counter(e.title for e in entries) + Counter([shown.title] if shown else [])
    return actions(
        [button(_label(e, seen), f"{ACTION_OPEN}:{i}", e.id) for i, e in enumerate(entries)],
        block_id=block_id,
    )


def _label(entry: Entry, seen: Counter[str]) -> str:
    """The entry's title, or where it is from too when `seen` counts that title more than once."""
    return _where(entry) if seen[entry.title] > 1 else entry.title


def _where(entry: Entry) -> str:
    """The title and the document it is part of, or its file's name."""
    place = entry.document if entry.document and entry.document != entry.title else None
    return f"{entry.title} · {place or entry.source.rsplit('/', 1)[-1]}"


def _body_section(entry: Entry) -> tuple[Block | None, bool]:
    text, stopped = render_mrkdwn(entry.body, limit=2 * PREVIEW_CHARS)
    body, cut = preview(text)
    return (section(body) if body else None), cut or stopped


def entry_blocks(
    entry: Entry,
    lang: str,
    *,
    query: str | None = None,
    unmatched: Sequence[str] = (),
    sure: bool = True,
    others: Sequence[Entry] = (),
    shareable: bool = False,
    shared_by: str | None = None,
    link_template: str = "",
    others_block: str = "til_candidates",
) -> Payload:
    """One entry as a card: title, body preview, source, buttons, then other candidates (in a
    block `others_block`: BROWSED under a candidate picked from a list)."""
    msg = messages.get(lang)
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(msg.shared_by.format(user=escape(shared_by))))
    if query:
        blocks.append(context(msg.searched_for.format(query=literal(query))))
    if unmatched:
        words = ", ".join(f"*{escape_bold(plain(w, 40))}*" for w in unmatched[:5])
        blocks.append(context(msg.not_in_notes.format(words=words)))
    elif not sure:  # words left out already say the match is partial
        blocks.append(context(msg.not_sure))
    blocks.append(header(entry.title))
    if entry.document:
        blocks.append(context(msg.part_of.format(document=literal(plain(entry.document, 200)))))
    body, cut = _body_section(entry)
    if body:
        blocks.append(body)
    blocks.append(context(source_line(entry, lang, link_template)))
    buttons: list[Block] = []
    if cut:
        buttons.append(button(msg.show_full, ACTION_FULL, entry.id))
    if entry.document:  # the right note but another of its parts is one click away
        label = msg.whole_note.format(document=plain(entry.document, 50))
        buttons.append(button(label, ACTION_NOTE, entry.id))
    if shareable:
        buttons.append(button(msg.share, ACTION_SHARE, entry.id, style="primary"))
    buttons.extend(_vote_buttons(entry))
    blocks.append(actions(buttons, block_id="til_entry"))
    if others:
        blocks.append(context(msg.other_candidates))
        blocks.append(_open_buttons(others[:MAX_CANDIDATES], block_id=others_block, shown=entry))
    return fallback(said(entry)), blocks


def tip_blocks(entry: Entry, lang: str, link_template: str = "") -> Payload:
    """The daily-tip card (posted by bot.tips): the entry, "another tip" and 👍/👎."""
    msg = messages.get(lang)
    blocks: list[Block] = [
        header(msg.tip_header),
        section(f"*{escape_bold(plain(entry.title, 200))}*"),
    ]
    body, cut = _body_section(entry)
    if body:
        blocks.append(body)
    blocks.append(context(source_line(entry, lang, link_template)))
    buttons = [button(msg.another_tip, ACTION_ANOTHER_TIP, entry.id)]
    if cut:
        buttons.append(button(msg.show_full, ACTION_FULL, entry.id))
    buttons.extend(_vote_buttons(entry))
    blocks.append(actions(buttons, block_id="til_tip"))
    return fallback(f"{msg.tip_header}: {said(entry)}"), blocks


def random_blocks(entry: Entry, lang: str, *, shareable: bool, link_template: str = "") -> Payload:
    text, blocks = entry_blocks(entry, lang, shareable=shareable, link_template=link_template)
    return text, [context(messages.get(lang).random_header), *blocks]


def full_entry_blocks(entry: Entry, lang: str, link_template: str = "") -> Payload:
    """The whole entry, split over as many sections as Slack allows."""
    msg = messages.get(lang)
    blocks: list[Block] = [header(entry.title)]
    room = MAX_BLOCKS - 3
    text, stopped = render_mrkdwn(entry.body, limit=room * FULL_CHUNK)
    pieces = chunks(text)
    blocks.extend(section(p) for p in pieces[:room])
    if stopped or len(pieces) > room:
        blocks.append(context(msg.too_long_to_show.format(source=escape(entry.location))))
    blocks.append(context(source_line(entry, lang, link_template)))
    return fallback(f"{msg.full_header}: {entry.title}"), blocks


def no_match_blocks(query: str, suggestions: Sequence[Entry], lang: str) -> Payload:
    msg = messages.get(lang)
    blocks: list[Block] = [section(msg.no_match.format(query=literal(query)))]
    if suggestions:
        blocks.append(context(msg.did_you_mean))
        blocks.append(_open_buttons(suggestions[:MAX_SUGGESTIONS], block_id="til_suggestions"))
    else:
        blocks.append(context(msg.try_other_words))
    return fallback(msg.no_match.format(query=query)), blocks


# --------------------------------------------------------------------------- other replies


def notice_blocks(text: str) -> Payload:
    """A short message in our own words (mrkdwn of bot.messages; nothing user-typed inside)."""
    return fallback(text), [section(text)]


def help_blocks(lang: str) -> Payload:
    return notice_blocks(messages.get(lang).usage)


def small_talk_blocks(kind: str, lang: str) -> Payload:
    """A word in kind to a greeting, thanks or laughter (knowledge.normalize.small_talk), and
    how to ask (to a request for help, only that): they are no question the notes failed to
    answer."""
    msg = messages.get(lang)
    if kind == "thanks":
        return notice_blocks(msg.thanks_reply)
    if kind == "help":
        return help_blocks(lang)
    if kind == "ack":  # "ㅇㅋ" after an answer: no need to be told how to ask again
        return notice_blocks(msg.laughter_reply)
    said = msg.laughter_reply if kind == "laughter" else msg.hello_reply
    return notice_blocks(f"{said}\n\n{msg.usage}")


def topics_blocks(categories: dict[str, list[Entry]], lang: str) -> Payload:
    """Topic names with counts as buttons; clicking one lists its entries."""
    msg = messages.get(lang)
    if not categories:
        return notice_blocks(msg.empty_kb)
    total = sum(len(v) for v in categories.values())
    title = msg.topics_header.format(topics=len(categories), entries=total)
    ordered = sorted(categories.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    blocks: list[Block] = [section(title)]
    buttons = [
        button(
            f"{name or msg.uncategorized} ({msg.entry_count.format(count=len(entries))})",
            f"{ACTION_TOPIC}:{i}",
            name,
        )
        for i, (name, entries) in enumerate(ordered)
    ]
    for start in range(0, len(buttons), MAX_ACTIONS_ELEMENTS):
        if len(blocks) >= MAX_BLOCKS:
            break
        blocks.append(actions(buttons[start : start + MAX_ACTIONS_ELEMENTS]))
    return fallback(title), blocks


def topic_entries_blocks(topic: str, entries: Sequence[Entry], lang: str) -> Payload:
    msg = messages.get(lang)
    name = topic or msg.uncategorized
    blocks: list[Block] = [
        section(msg.topic_entries.format(topic=escape_bold(name), count=len(entries)))
    ]
    # A topic's notes share section titles ("Reference", "정리"): those say which note.
    seen = Counter(e.title for e in entries)
    for start in range(0, len(entries), MAX_ACTIONS_ELEMENTS):
        if len(blocks) >= MAX_BLOCKS:
            break
        group = entries[start : start + MAX_ACTIONS_ELEMENTS]
        blocks.append(
            actions(
                [
                    button(_label(e, seen), f"{ACTION_OPEN}:{start + i}", e.id)
                    for i, e in enumerate(group)
                ]
            )
        )
    return fallback(msg.topic_entries.format(topic=name, count=len(entries))), blocks


# --------------------------------------------------------------------------- the knowledge loop

ACTION_GAPS = "til_gaps"
ACTION_WRITE = "til_write"  # + ":<n>"
VIEW_WRITE = "til_write_modal"
SHORTCUT_SAVE = "til_save"  # the message shortcut "TIL로 저장" (manifest.json)
ACTION_SAVED_EDIT = "til_saved_edit"
ACTION_SAVED_DELETE = "til_saved_delete"
MAX_MODAL_BLOCKS = 100
MAX_MODAL_TITLE = 24
MAX_INPUT_VALUE = 3000
# Buttons whose click teaches the search (a candidate picked, an answer voted on): they carry
# the query they answered along with the entry id.
# The rest of a list under a candidate picked from it: a pick there is a user browsing the
# list, which teaches nothing (everyone who browses would "choose" every candidate).
BROWSED = "til_browsed"
_QUERY_BUTTONS = {"til_entry", "til_candidates", "til_suggestions", BROWSED}


def query_value(entry_id: str, query: str) -> str:
    """A button value holding an entry id and the query it answered, within Slack's 2000."""
    data = {"e": entry_id, "q": query}
    value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    while len(value) > MAX_BUTTON_VALUE and data["q"]:
        data["q"] = data["q"][: len(data["q"]) - (len(value) - MAX_BUTTON_VALUE) - 1]
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return value


def read_value(value: str) -> tuple[str, str]:
    """(entry id, query) of a button value; buttons without a query give ("<id>", "")."""
    if value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return value, ""
        if isinstance(data, dict):
            return str(data.get("e") or ""), str(data.get("q") or "")
    return value, ""


def with_query(payload: Payload, query: str) -> Payload:
    """The same answer, its candidate and vote buttons carrying `query` (see query_value)."""
    text, found = payload
    out: list[Block] = []
    for block in found:
        if block.get("type") == "actions" and block.get("block_id") in _QUERY_BUTTONS:
            elements = [
                {**el, "value": query_value(el["value"], query)}
                if el.get("action_id", "").startswith(
                    (ACTION_OPEN, ACTION_VOTE_DOWN, ACTION_VOTE_UP)
                )
                else el
                for el in block["elements"]
            ]
            block = {**block, "elements": elements}
        out.append(block)
    return text, out


def learned_blocks(payload: Payload, lang: str) -> Payload:
    """An answer that is first because other people chose it, saying so above its title."""
    text, found = payload
    at = next((i for i, b in enumerate(found) if b.get("type") == "header"), 0)
    return text, [*found[:at], context(messages.get(lang).learned_choice), *found[at:]]


def _write_button(question: str, n: int, lang: str) -> Block:
    return button(messages.get(lang).write_til, f"{ACTION_WRITE}:{n}", question)


def _gap_sections(gaps: Sequence[Gap], lang: str) -> list[Block]:
    msg = messages.get(lang)
    blocks = []
    for i, gap in enumerate(gaps):
        block = section(
            msg.gap_line.format(question=escape_bold(plain(gap.example, 200)), count=gap.count)
        )
        block["accessory"] = _write_button(plain(gap.example, MAX_HEADER_TEXT), i, lang)
        blocks.append(block)
    return blocks


def gaps_blocks(gaps: Sequence[Gap], lang: str, days: int) -> Payload:
    """`/til gaps`: the most-asked unanswered questions, each with a "TIL 쓰기" button."""
    msg = messages.get(lang)
    if not gaps:
        return notice_blocks(msg.gaps_none.format(days=days))
    title = msg.gaps_header.format(days=days)
    return fallback(title), [section(title), *_gap_sections(gaps, lang)]


def digest_blocks(gaps: Sequence[Gap], lang: str) -> Payload:
    """The weekly digest posted to subscribed channels."""
    msg = messages.get(lang)
    blocks = [header(msg.digest_header), context(msg.digest_intro), *_gap_sections(gaps, lang)]
    return fallback(msg.digest_header), blocks


def modal(title: str, found: Sequence[Block], lang: str) -> Block:
    """A read-only modal showing `found` (for clicks where there is no message to answer in:
    the Home tab, or a modal already open)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": plain(title, MAX_MODAL_TITLE)},
        "close": {"type": "plain_text", "text": messages.get(lang).close},
        "blocks": list(found[:MAX_MODAL_BLOCKS]),
    }


NOTICE = "til_notice"
# What views.publish / views.update take of a view that a click sends back (which also holds
# its id, hash, state and app fields, refused when sent).
_VIEW_FIELDS = ("type", "title", "close", "submit", "callback_id", "private_metadata")


def with_notice(view: Block, text: str) -> Block:
    """`view` as a click sent it back, with `text` (our own mrkdwn) on top in place of an earlier
    notice: what a click in the Home tab or a modal says when there is no message to say it
    in, without taking away what the user was looking at."""
    kept = {k: view[k] for k in _VIEW_FIELDS if k in view}
    rest = [b for b in view.get("blocks") or [] if b.get("block_id") != NOTICE]
    note = {**context(text), "block_id": NOTICE}
    return {**kept, "blocks": [note, *rest][:MAX_MODAL_BLOCKS]}


def _input(block_id: str, label: str, initial: str, *, multiline: bool, optional: bool) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if initial:
        element["initial_value"] = initial[:MAX_INPUT_VALUE]
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }


def write_modal(
    title: str,
    lang: str,
    *,
    body: str = "",
    tags: Sequence[str] = (),
    metadata: str = "",
    notice: str = "",
) -> Block:
    """The "TIL 쓰기" modal: title, body, tags, pre-filled from a question, a message or the
    note being edited; `metadata` (private_metadata) says where it came from."""
    msg = messages.get(lang)
    view = modal(msg.write_modal_title, [], lang)
    inputs = [
        _input("title", msg.write_title_label, title, multiline=False, optional=False),
        _input("body", msg.write_body_label, body, multiline=True, optional=False),
        _input("tags", msg.write_tags_label, ", ".join(tags), multiline=False, optional=True),
    ]
    view.update(
        callback_id=VIEW_WRITE,
        submit={"type": "plain_text", "text": msg.write_save},
        private_metadata=metadata,
        blocks=[*([context(notice)] if notice else []), *inputs],
    )
    return view


def saved_modal(lines: Sequence[str], lang: str) -> Block:
    """What a submitted "TIL 쓰기" modal becomes: what happened, in our own words."""
    return modal(messages.get(lang).saved_title, [section("\n".join(lines))], lang)


def saved_blocks(
    payload: Payload,
    note_id: str,
    author_name: str,
    permalink: str,
    lang: str,
    *,
    editable: bool,
) -> Payload:
    """A card of a note saved from Slack: marked new (who saved it, the message it came from);
    for its saver, with edit and delete buttons."""
    msg = messages.get(lang)
    text, found = payload
    at = next((i for i, b in enumerate(found) if b.get("type") == "header"), 0)
    mark = [msg.saved_new]
    if author_name:
        mark.append(msg.saved_by.format(name=literal(plain(author_name, 80))))
    if permalink:
        mark.append(link(permalink, msg.saved_from))
    added = [*found[:at], context(" · ".join(mark)), *found[at:]]
    if editable:
        delete = button(msg.saved_delete, ACTION_SAVED_DELETE, note_id, style="danger")
        delete["confirm"] = {
            "title": {"type": "plain_text", "text": msg.saved_delete},
            "text": {"type": "plain_text", "text": msg.saved_delete_confirm},
            "confirm": {"type": "plain_text", "text": msg.saved_delete},
            "deny": {"type": "plain_text", "text": msg.close},
        }
        edit = button(msg.saved_edit, ACTION_SAVED_EDIT, note_id)
        after = next(
            (i + 1 for i, b in enumerate(added) if b.get("block_id") == "til_entry"), len(added)
        )
        added.insert(after, actions([edit, delete], block_id="til_saved"))
    return text, added[:MAX_BLOCKS]


def home_view(
    categories: dict[str, list[Entry]],
    channels: Sequence[str],
    stats: WeekStats,
    week: str,
    gaps: Sequence[Gap],
    lang: str,
) -> Block:
    """The App Home tab, from the index and the store alone."""
    msg = messages.get(lang)
    rate = f"{round(100 * stats.answered / stats.asked)}%" if stats.asked else "—"
    blocks: list[Block] = [
        header(msg.home_title),
        actions(
            [
                button(msg.show_gaps, ACTION_GAPS, "", style="primary"),
                _write_button("", 0, lang),
            ]
        ),
        divider(),
        section(msg.home_week.format(week=week)),
        context(
            msg.home_week_numbers.format(asked=stats.asked, rate=rate, up=stats.up, down=stats.down)
        ),
        section(
            msg.home_top_queries
            + "\n"
            + (
                "\n".join(f"• {literal(plain(q, 100))} ({n})" for q, n in stats.top_queries)
                or msg.home_nothing_yet
            )
        ),
        section(
            msg.home_top_gaps
            + "\n"
            + (
                "\n".join(f"• {literal(plain(g.example, 100))} ({g.count})" for g in gaps)
                or msg.home_nothing_yet
            )
        ),
        divider(),
        section(
            msg.home_channels.format(channels=", ".join(f"<#{c}>" for c in channels))
            if channels
            else msg.home_no_channels
        ),
        divider(),
    ]
    _, topics = topics_blocks(categories, lang)
    if topics and topics[0].get("type") == "section" and categories:
        total = sum(len(v) for v in categories.values())
        topics[0] = section(msg.home_topics.format(topics=len(categories), entries=total))
    blocks.extend(topics[: MAX_MODAL_BLOCKS - len(blocks)])
    return {"type": "home", "blocks": blocks}

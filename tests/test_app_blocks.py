"""Markdown → Slack mrkdwn and Block Kit limits: what the reader of an answer actually sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import messages
from bot.blocks import (
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    PREVIEW_CHARS,
    chunks,
    entry_blocks,
    escape,
    full_entry_blocks,
    preview,
    to_mrkdwn,
    topics_blocks,
)
from knowledge.loader import build_kb
from knowledge.models import Entry

ZWSP = "\u200b"


def visible(mrkdwn: str) -> str:
    return mrkdwn.replace(ZWSP, "")


def make_entry(body: str, title: str = "제목") -> Entry:
    return Entry(id="e1", title=title, body=body, summary=body[:50], source="notes/a.md", line=3)


def test_bold_italic_strike_become_slack_marks() -> None:
    out = visible(to_mrkdwn("**굵게**는 _기울임_ 과 ~~취소~~"))
    assert "*굵게*는" in out and "_기울임_" in out and "~취소~" in out


def test_links_become_slack_links_and_unsafe_links_do_not() -> None:
    out = to_mrkdwn("[문서](https://docs.example.com/a?b=1&c=2) 와 [나쁜](javascript:alert(1))")
    assert "<https://docs.example.com/a?b=1&amp;c=2|문서>" in out
    assert "javascript:" not in out.split("나쁜")[0]
    assert "<javascript" not in out


def test_code_blocks_keep_code_and_escape_it() -> None:
    out = to_mrkdwn("```python\nif a < b and c > d:\n    print('&')\n```")
    assert out.startswith("```\n") and out.endswith("\n```")
    assert "if a &lt; b and c &gt; d:" in out
    assert "    print('&amp;')" in out
    assert "`make <x>`" not in to_mrkdwn("`make <x>`")
    assert "`make &lt;x&gt;`" in to_mrkdwn("`make <x>`")


def test_lists_and_headings() -> None:
    out = visible(to_mrkdwn("# 제목\n\n- 하나\n- 둘\n  1. 셋\n\n1. 첫째\n2. 둘째"))
    assert "*제목*" in out
    assert "• 하나" in out and "• 둘" in out
    assert "    1. 셋" in out
    assert "1. 첫째\n2. 둘째" in out


def note_body(tmp_path: Path, text: str) -> str:
    """The body the parser stores for a one-file note: what every card is rendered from."""
    (tmp_path / "note.md").write_text(text, encoding="utf-8")
    return build_kb(tmp_path).entries[0].body


def test_images_become_links_and_br_tags_line_breaks(tmp_path: Path) -> None:
    out = to_mrkdwn(note_body(tmp_path, "설명<br><br>\n![구성도](https://img.example.com/a.png)"))
    assert "<https://img.example.com/a.png|🖼 구성도>" in out
    assert "<br>" not in out and "&lt;br&gt;" not in out


def test_note_text_that_looks_like_slack_markup_is_shown_literally() -> None:
    out = to_mrkdwn("<예시> 와 <!channel> 그리고 @here, A & B")
    assert "&lt;예시&gt;" in out
    assert "<!channel>" not in out and "&lt;!channel&gt;" in out
    assert "@here" not in out
    assert "A &amp; B" in out


def test_escape_neutralises_every_control_sequence() -> None:
    assert (
        escape("<@U123> <!here> <#C1|x> a&b") == "&lt;@U123&gt; &lt;!here&gt; &lt;#C1|x&gt; a&amp;b"
    )


def test_preview_cuts_long_text_cleanly() -> None:
    text = "\n".join(f"줄 {n} <https://e.com/{n}|링크 {n}>" for n in range(300))
    cut, was_cut = preview(text)
    assert was_cut and len(cut) <= PREVIEW_CHARS + 10
    assert cut.count("<") == cut.count(">")  # no half link
    short, was_cut = preview("짧은 글")
    assert (short, was_cut) == ("짧은 글", False)


def test_preview_closes_a_code_block_it_cuts() -> None:
    body = "```\n" + "\n".join(f"line {n}" for n in range(500)) + "\n```"
    cut, was_cut = preview(to_mrkdwn(body))
    assert was_cut and cut.count("```") == 2


def test_chunks_fit_sections_and_lose_nothing() -> None:
    text = "\n".join(f"{n}번째 줄은 조금 긴 설명을 담고 있습니다" for n in range(2000))
    pieces = chunks(text)
    assert all(len(p) <= 3000 for p in pieces)
    assert "".join(p.replace("\n", "") for p in pieces) == text.replace("\n", "")


def test_card_respects_block_kit_limits() -> None:
    long_title = "아주 " * 200
    _, blocks = entry_blocks(make_entry("본문 " * 5000, title=long_title), "ko", shareable=True)
    header = next(b for b in blocks if b["type"] == "header")
    assert len(header["text"]["text"]) <= 150
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75
    assert len(blocks) <= 50


def test_many_topics_stay_within_block_kit_limits() -> None:
    categories = {f"주제 {n}": [make_entry("본문")] for n in range(2000)}
    _, blocks = topics_blocks(categories, "ko")
    assert len(blocks) <= 50
    assert all(len(b.get("elements", [])) <= 25 for b in blocks)


def test_images_after_a_br_line_still_become_links(tmp_path: Path) -> None:
    out = to_mrkdwn(note_body(tmp_path, "<br>\n ![구성도](https://img.example.com/a.png)\n<br>"))
    assert "<https://img.example.com/a.png|🖼 구성도>" in out
    assert "![" not in out


def test_a_fence_the_parser_reads_as_code_is_code_in_slack(tmp_path: Path) -> None:
    body = note_body(tmp_path, "예시\n\n'''\n\nx: List[int] = [1]\n\n'''\n\n끝")
    out = to_mrkdwn(body)
    assert "```\n\nx: List[int] = [1]\n\n```" in out
    assert "'''" not in out
    smart = to_mrkdwn(note_body(tmp_path, "‘‘‘python\nprint(“hi”)\n‘‘‘\n\n**굵게**"))
    assert smart.startswith('```\nprint("hi")\n```')
    inside_real_code = to_mrkdwn(note_body(tmp_path, "```py\ns = '''\n<br>\n'''\n```"))
    assert "s = '''\n&lt;br&gt;\n'''" in inside_real_code


def test_obsidian_marks_show_as_obsidian_shows_them(tmp_path: Path) -> None:
    """An Obsidian vault's notes: a ``%%comment%%`` is hidden there (a line or a block), a
    ``==highlight==`` stands out, a callout shows its title; the card shows the same, and
    ``%%timeit`` (IPython's, never closed) stays text."""
    body = note_body(
        tmp_path,
        "# 도커 볼륨\n\n%%나중에 정리%% 컨테이너가 지워져도 ==데이터를 유지==하려면 볼륨을 쓴다.\n\n"
        "%%\n숨긴 메모\n%%\n\n> [!tip] 한 줄 요약\n> 볼륨은 따로 만든다.\n\n"
        "> [!NOTE]\n> `a == b` 는 그대로.\n\n%%timeit 으로 잰다.\n",
    )
    out = visible(to_mrkdwn(body))
    assert (
        "나중에 정리" not in out
        and "숨긴 메모" not in out
        and "%%" not in out.replace("%%timeit", "")
    )
    assert "*데이터를 유지*하려면" in out and "==" not in out.replace("`a == b`", "")
    assert "> *한 줄 요약*" in out and "> *Note*" in out and "[!" not in out
    assert "%%timeit 으로 잰다." in out
    # The one-line summary (notifications, tips, other candidates) reads the quote as text.
    summary = build_kb(tmp_path).entries[0].summary
    assert "한 줄 요약 볼륨은 따로 만든다. Note a == b 는 그대로." in summary and ">" not in summary


def test_a_task_list_shows_its_boxes(tmp_path: Path) -> None:
    """GitHub shows ``- [x]`` and ``- [ ]`` as ticked and empty boxes: so does the card."""
    body = note_body(
        tmp_path, "# 정리\n\n- [x] 로컬 브랜치 삭제\n- [ ] 원격 브랜치 삭제\n  - [X] 하위\n"
    )
    assert visible(to_mrkdwn(body)) == "• ☑ 로컬 브랜치 삭제\n• ☐ 원격 브랜치 삭제\n    ◦ ☑ 하위"


def test_backslash_escapes_show_the_character_not_the_backslash(tmp_path: Path) -> None:
    """Notes escape what markdown would read as marks or tags (``\\_\\_init\\_\\_.py``,
    ``\\<div\\>``): Slack shows the characters, as GitHub does, not backslashes around
    italics or a tag removed from the text."""
    body = note_body(
        tmp_path,
        "# HTML\n\n요소\n\n## \\<div\\> 태그\n\n\\_\\_init\\_\\_.py 와 \\<iostream\\>, 코드 `a\\*b`",
    )
    out = visible(to_mrkdwn(body))
    assert "*&lt;div&gt; 태그*" in out
    assert "__init__.py 와 &lt;iostream&gt;," in out
    assert "`a\\*b`" in out  # a backslash in code is code
    assert "\\_" not in out and "\\&lt;" not in out


def test_a_fence_inside_a_blockquote_is_code_in_slack_and_ends_with_the_quote(
    tmp_path: Path,
) -> None:
    """`> ```python` … `> ```` is code to the parser, so Slack shows it as code (markup kept
    as written, no quote marks in it); a quoted fence never closed ends with its quote."""
    body = note_body(
        tmp_path,
        "> 예시\n> ```python\n> print(**kw)\n>     x = 1\n> ```\n\n"
        "> ```bash\n> ls *.md\n\n뒤에 오는 **글**",
    )
    out = visible(to_mrkdwn(body))
    assert "```\nprint(**kw)\n    x = 1\n```" in out
    assert "```\nls *.md\n```" in out
    assert out.endswith("뒤에 오는 *글*")


def test_a_one_megabyte_note_renders_within_slack_limits_and_says_it_was_cut() -> None:
    line = "긴 노트의 한 줄에는 **굵은 글씨**와 [링크](https://example.com/a)가 있습니다.\n"
    body = (line * (1_000_000 // len(line.encode())))[:1_000_000]
    body += "```\n" + "x = 1\n" * 1000 + "```\n"
    entry = make_entry(body)
    _, card = entry_blocks(entry, "ko", shareable=True)
    _, full = full_entry_blocks(entry, "ko")
    for blocks in (card, full):
        assert len(blocks) <= MAX_BLOCKS
        texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
        assert all(len(t) <= MAX_SECTION_TEXT for t in texts)
    buttons = [e["action_id"] for b in card for e in b.get("elements", []) if "action_id" in e]
    assert "til_full" in buttons  # the card offers 전체 보기
    notes = [e["text"] for b in full if b["type"] == "context" for e in b["elements"]]
    assert any("notes/a.md:3" in n for n in notes[:-1])  # the full view says where the rest is


def test_a_section_card_says_which_document_it_is_part_of(tmp_path: Path) -> None:
    (tmp_path / "vim.md").write_text("# Vim 정리\n\n개요\n\n## 줄 끝까지 지우기\n\n`D`\n")
    doc, part = build_kb(tmp_path).entries
    texts = [
        e["text"]
        for b in entry_blocks(part, "ko")[1]
        if b["type"] == "context"
        for e in b["elements"]
    ]
    assert "📚 Vim 정리 의 일부" in texts
    assert not any("의 일부" in str(b) for b in entry_blocks(doc, "ko")[1])


def test_a_translation_that_lacks_a_text_or_names_an_unknown_one_is_refused() -> None:
    texts = dict(vars(messages.EN))
    assert messages.Messages(**texts).usage == messages.EN.usage
    with pytest.raises(TypeError, match="usage"):
        messages.Messages(**{k: v for k, v in texts.items() if k != "usage"})
    with pytest.raises(TypeError, match="usgae"):
        messages.Messages(**texts, usgae="typo")
    with pytest.raises(AttributeError):
        messages.KO.usage = "changed at run time"


def test_candidates_that_share_a_title_say_where_each_is_from(tmp_path: Path) -> None:
    """Real repos repeat section titles in every file (a coding-test write-up's "문제 설명"):
    buttons with the same words would be a guess, so each says its document."""
    for name in ("bfs", "dfs", "dp"):
        (tmp_path / f"{name}.md").write_text(
            f"# {name.upper()} 풀이\n\n## 문제 설명\n\n{name} 문제\n", encoding="utf-8"
        )
    (tmp_path / "intro.md").write_text("# 들어가며\n\n## 목표\n\n꾸준히\n", encoding="utf-8")
    entries = build_kb(tmp_path).entries
    sections = [e for e in entries if e.title == "문제 설명"]
    other = next(e for e in entries if e.title == "목표")
    _, blocks = entry_blocks(sections[0], "ko", others=[*sections[1:], other])
    buttons = next(b for b in blocks if b.get("block_id") == "til_candidates")["elements"]
    labels = [b["text"]["text"] for b in buttons]
    assert labels == ["문제 설명 · DFS 풀이", "문제 설명 · DP 풀이", "목표"]


def test_a_code_only_entry_notifies_with_its_title_not_a_dangling_dash(tmp_path: Path) -> None:
    """A section that is only a command has no prose summary: its notification (the text Slack
    shows in a push or a channel list) is its title, not "title —"; one with prose says both."""
    (tmp_path / "git.md").write_text(
        "# 되돌리기\n\n되돌리는 법.\n\n## git commit 취소하기\n\n```bash\n$ git reset --soft HEAD^\n```\n",
        encoding="utf-8",
    )
    doc, code_only = build_kb(tmp_path).entries
    text, _ = entry_blocks(code_only, "ko")
    assert text == "git commit 취소하기"
    text, _ = entry_blocks(doc, "ko")
    assert text.startswith("되돌리기 — 되돌리는 법.")

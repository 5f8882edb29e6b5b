"""The note parser and KB builder on our notes, messy markdown, broken files and real corpora."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from bench.parse_corpora import missing_titles
from knowledge import Index, artifact, textutil
from knowledge.loader import NOTES_DIR, build_kb, default_index, digest, load_kb
from knowledge.models import SCHEMA_VERSION, Entry, KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
OUR_NOTE = NOTES_DIR / "TIL-9-1-9-15.md"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def by_title(kb: KnowledgeBase) -> dict[str, Entry]:
    return {e.title: e for e in kb.entries}


def shape(kb: KnowledgeBase) -> list[tuple[str, str, str | None]]:
    """(kind, title, parent's title) of every entry, in order."""
    titles = {e.id: e.title for e in kb.entries}
    return [(e.kind, e.title, titles.get(e.parent or "")) for e in kb.entries]


def test_our_period_log_is_a_document_with_one_topic_per_bullet_and_its_line():
    kb = build_kb(OUR_NOTE)
    lines = OUR_NOTE.read_text(encoding="utf-8").split("\n")
    doc, *topics = kb.entries
    assert (doc.kind, doc.title, doc.line, doc.parent) == ("document", "TIL 9-1 ~ 9-15", 1, None)
    assert "- boto3" in doc.body and "- Docker 이미지" in doc.body  # the whole file
    titles = [e.title for e in topics]
    assert titles[:3] == ["boto3", "boto3의 자격증명", "새로운 model class 생성"]
    assert "Docker 작동방식" in titles and "typing 모듈" in titles
    assert len(titles) == sum(1 for line in lines if line.startswith("- "))
    for entry in topics:
        assert lines[entry.line - 1] == f"- {entry.title}"  # the source line is the topic line
        assert (entry.kind, entry.parent, entry.document) == ("topic", doc.id, doc.title)
    for entry in kb.entries:
        assert entry.period == "9-1 ~ 9-15"
        assert entry.source == "TIL-9-1-9-15.md"
    assert not kb.problems


def test_topic_keeps_numbered_lists_arrows_and_quote_fenced_code():
    entries = by_title(build_kb(OUR_NOTE))
    django = entries["django 작업 순서"]
    assert "13. runserver로 확인" in django.body and "—> python manage.py migrate" in django.body
    typing_ = entries["typing 모듈"]
    assert len(typing_.code) == 1 and "nums: List[int] = [1, 2, 3]" in typing_.code[0].code
    assert "'''" not in typing_.summary and "List[int]" not in typing_.summary
    # The stored body says what is code with a real fence, and fixes the smart quotes in it.
    assert "'''" not in typing_.body and typing_.body.count("```") == 2
    assert '{"KR": "South Korea"' in typing_.body and '{"KR": "South Korea"' in typing_.code[0].code
    docker = entries["Docker"]
    assert docker.links and docker.links[0].url.startswith("https://cultivo-hy.github.io/")
    beanstalk = entries["AWS Elastic Beanstalk + docker + django"]
    assert len(beanstalk.images) == 2 and "<br>" not in beanstalk.summary
    assert "<br>" not in beanstalk.body and beanstalk.body.count("![") == 2


def test_messy_markdown_does_not_break_or_pollute_entries(tmp_path):
    messy = (
        "\ufeff---\ntitle: 깨끗한 제목\ntags: [python, tips]\ndate: 2021-03-04\n---\n"
        "“스마트 따옴표”와 —help 옵션<br>\r\n"
        "<div align='center'><img src='https://x.test/a.png' alt='그림'></div>\r\n"
        "\r\n```bash\r\n# 이건 주석이지 제목이 아님\r\necho hi\r\n```\r\n"
        "broken [link](http://broken and bare https://example.com/page ok\r\n"
        "![alt](https://x.test/b.png)\r\n"
    )
    write(tmp_path, "tips/messy.md", messy)
    kb = build_kb(tmp_path)
    assert [e.title for e in kb.entries] == ["깨끗한 제목"]
    entry = kb.entries[0]
    assert entry.category == "tips" and entry.tags == ["python", "tips"]
    assert entry.date is not None and entry.date.isoformat() == "2021-03-04"
    assert entry.code[0].language == "bash" and "# 이건 주석이지" in entry.code[0].code
    assert {i.url for i in entry.images} == {"https://x.test/a.png", "https://x.test/b.png"}
    assert any(link.url == "https://example.com/page" for link in entry.links)
    for junk in ("<br>", "<div", "<img", "\r", "\ufeff", "![", "echo hi"):
        assert junk not in entry.summary
    assert entry.line == 2  # the front matter's title line, counted as in the file


def test_every_file_is_a_document_and_its_headings_sections_that_know_their_parent(tmp_path):
    write(tmp_path, "class/day3.md", "# Docker Compose\n\n내용 A\n\n# Kubernetes 기초\n\n내용 B\n")
    write(
        tmp_path,
        "vim/delete-to-end.md",
        "# Delete To The End Of The Line\n\nUse `D`.\n\n## Why\n\n```\n# not a heading\n```\n"
        "\n### Really\n\n깊이\n",
    )
    write(tmp_path, "2021-02-15.md", "# 2021.02.15 TIL\n\n## Redis\n\n캐시\n\n## Celery\n\n큐\n")
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "2021.02.15 TIL", None),
        ("section", "Redis", "2021.02.15 TIL"),
        ("section", "Celery", "2021.02.15 TIL"),
        ("document", "Day3", None),  # no single title: the file's name
        ("section", "Docker Compose", "Day3"),
        ("section", "Kubernetes 기초", "Day3"),
        ("document", "Delete To The End Of The Line", None),
        ("section", "Why", "Delete To The End Of The Line"),
        ("section", "Really", "Why"),
    ]
    entries = by_title(kb)
    assert entries["Kubernetes 기초"].line == 5 and entries["Kubernetes 기초"].category == "class"
    doc = entries["Delete To The End Of The Line"]
    assert "## Why" in doc.body and "깊이" in doc.body  # a document holds its whole body
    assert (
        entries["Why"].body.startswith("```\n# not a heading\n```")
        and "깊이" in entries["Why"].body
    )
    assert entries["Really"].document == doc.title and entries["Really"].tags[:2] == [
        "Delete To The End Of The Line",
        "Why",
    ]
    assert entries["Redis"].date is not None and entries["Redis"].date.isoformat() == "2021-02-15"


def test_headings_inside_list_items_and_quotes_are_sections_with_their_own_code(tmp_path):
    """GitHub shows ``- ### 제목`` and ``> ## 제목`` as headings: lecture notes that put every
    chapter heading in a list item are divided by them like any other note."""
    write(
        tmp_path,
        "spring/ch05.md",
        "# Ch05. 싱글톤 컨테이너\n\n"
        "- ### 04. 싱글톤 방식의 주의점\n  - 무상태로 설계한다\n\n"
        "  ```java\n  private int price; // 공유 필드 금지\n  ```\n\n"
        "- ### 05. @Configuration과 싱글톤\n  CGLIB 이 바이트코드를 조작한다\n\n"
        "> ## 정리\n> 스프링 빈은 싱글톤으로 관리된다\n\n"
        "1. 항목\n\n   #### 참고 링크\n   [문서](https://docs.spring.io)\n",
    )
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "Ch05. 싱글톤 컨테이너", None),
        ("section", "04. 싱글톤 방식의 주의점", "Ch05. 싱글톤 컨테이너"),
        ("section", "05. @Configuration과 싱글톤", "Ch05. 싱글톤 컨테이너"),
        ("section", "정리", "Ch05. 싱글톤 컨테이너"),
        ("section", "참고 링크", "정리"),
    ]
    entries = by_title(kb)
    caution = entries["04. 싱글톤 방식의 주의점"]
    assert [c.code for c in caution.code] == ["private int price; // 공유 필드 금지"]
    assert "무상태로 설계한다" in caution.body and "CGLIB" not in caution.body
    assert "CGLIB" in entries["05. @Configuration과 싱글톤"].body
    assert entries["05. @Configuration과 싱글톤"].line == 10
    assert [link.url for link in entries["참고 링크"].links] == ["https://docs.spring.io"]
    assert len(kb.entries[0].code) == 1  # the document still holds all of it
    best = Index(kb.entries).search("싱글톤 방식의 주의점").best
    assert best is not None and best.entry.title == "04. 싱글톤 방식의 주의점"


def test_a_jekyll_posts_br_spacers_and_flush_left_item_fences_keep_its_headings(tmp_path):
    """Jekyll blogs (kramdown) put a ``<br>`` line over a heading for space, and write a list
    item's code flush left under ``* ~~~bash`` up to its closing fence. CommonMark would read
    the ``<br>`` and the heading or fence under it as one HTML block, and end the item's fence
    at its first line of code, so a closing fence would open a block that swallows every
    heading after it. The site shows the headings and the code blocks: so does the knowledge
    base."""
    write(
        tmp_path,
        "_posts/2018-05-25-git-undo.md",
        "---\ntitle: '[Git] 되돌리기'\n---\n\n## git add 취소하기\n* 실수로 모두 add 했다\n"
        "* ~~~bash\n# 모두 unstage 한다\n$ git reset HEAD\n~~~\n\n<br>\n## git commit 취소하기\n"
        "* ~~~bash\n$ git reset --soft HEAD^\n~~~\n<br>\n```bash\n# 강제로 올린다\n$ git push -f\n```\n\n"
        "<BR/>\n# References\n> - 공식 문서\n\n"
        "- ```python\n  # indented into the item, as CommonMark wants\n  x = 1\n  ```\n",
    )
    kb = build_kb(tmp_path)
    assert not [p for p in kb.problems if p.level == "error"]
    assert shape(kb) == [
        ("document", "[Git] 되돌리기", None),
        ("section", "git add 취소하기", "[Git] 되돌리기"),
        ("section", "git commit 취소하기", "[Git] 되돌리기"),
        ("section", "References", "[Git] 되돌리기"),
    ]
    entries = by_title(kb)
    assert [c.code for c in entries["git add 취소하기"].code] == [
        "# 모두 unstage 한다\n$ git reset HEAD"
    ]
    assert entries["git commit 취소하기"].line == 13
    assert [c.code for c in entries["git commit 취소하기"].code] == [
        "$ git reset --soft HEAD^",
        "# 강제로 올린다\n$ git push -f",
    ]
    best = Index(kb.entries).search("커밋 취소").best
    assert best is not None and best.entry.title == "git commit 취소하기"


def test_a_deeply_nested_outline_does_not_swallow_the_headings_after_it(tmp_path):
    """A call tree written as a list nested ten levels deep ends where GitHub ends it: the
    sections after it are sections, not part of the list."""
    tree = "".join("  " * depth + f"- `step{depth}()`\n" for depth in range(12))
    write(
        tmp_path,
        "ruby/net-http.md",
        "# net-http 調査\n\n## 全体の流れ\n\n" + tree + "\n## `HTTP.get`\n\n```ruby\n"
        "# (lib/net/http.rb)\ndef HTTP.get(uri) = get_response(uri).body\n```\n\n"
        "## `HTTP.start`\n\n接続を開く\n",
    )
    kb = build_kb(tmp_path)
    assert [e.title for e in kb.entries] == [
        "net-http 調査",
        "全体の流れ",
        "HTTP.get",
        "HTTP.start",
    ]
    get = by_title(kb)["HTTP.get"]
    assert get.code[0].language == "ruby" and "step11" not in get.body
    assert "step11" in by_title(kb)["全体の流れ"].body and not kb.problems


def test_a_list_or_quote_nested_past_the_parsers_limit_does_not_swallow_the_rest(tmp_path):
    """markdown-it stops reading a file where nesting passes its limit (100 levels: a list level
    takes two), so a list 60 deep, or quotes 120 deep, lost every heading after it, unreported.
    Past the limit a line is read as text where it stands; the rest of the note is read."""
    tree = "".join("  " * depth + f"- 단계{depth}\n" for depth in range(60))
    quotes = "".join("> " * depth + f"인용{depth}\n" for depth in range(1, 121))
    for name, deep in (("list.md", tree), ("quote.md", quotes)):
        write(
            tmp_path,
            f"notes/{name}",
            f"# 깊은 목록\n\n## 호출 흐름\n\n{deep}\n## 뒤 섹션\n\n뒤 내용\n\n## 마지막\n\n끝\n",
        )
        kb = build_kb(tmp_path / "notes" / name)
        assert [e.title for e in kb.entries] == ["깊은 목록", "호출 흐름", "뒤 섹션", "마지막"]
        entries = by_title(kb)
        assert "뒤 내용" in entries["뒤 섹션"].body and "단계59" not in entries["뒤 섹션"].body
        assert entries["뒤 섹션"].line == deep.count("\n") + 6 and not kb.problems
        assert ("단계59" if name == "list.md" else "인용120") in entries["호출 흐름"].body


def test_bullets_and_bold_lines_in_a_titled_file_are_content_not_entries(tmp_path):
    write(
        tmp_path,
        "python/itertools.md",
        "# itertools 사용하여 순열과 조합 구하기\n\n"
        "* **A, B, C, D 라는 네 개의 값에서 두 개를 고르는 경우**\n\n```python\nprint(1)\n```\n\n"
        "* **result (각각 튜플 형식으로 출력됨!)**\n\n```python\nprint(2)\n```\n\n"
        "* **세 번째**\n\n설명\n\n**굵은 줄**\n\n끝\n",
    )
    kb = build_kb(tmp_path)
    assert shape(kb) == [("document", "itertools 사용하여 순열과 조합 구하기", None)]
    assert "**result (각각 튜플 형식으로 출력됨!)**" in kb.entries[0].body


def test_a_period_log_needs_evidence_from_the_whole_file(tmp_path):
    topic = "- {0}\n\n{0}에 대한 설명입니다.\n\n"
    write(tmp_path, "log/9월.md", "".join(topic.format(f"주제 {n}") for n in range(4)))
    # Two topic-like bullets among many list items and prose: no period log.
    write(
        tmp_path,
        "log/notes.md",
        "도입 문단\n\n- 하나\n\n설명\n\n- 둘\n\n설명\n\n- a\n- b\n\n- c\n- d\n\n- e\n- f\n",
    )
    # Sentences in bullets after code are captions, not topics.
    captions = "```kotlin\nval a = 1\n```\n\n- 위 코드는 a에 1을 넣는다.\n\n<br>\n\n"
    write(tmp_path, "log/captions.md", captions * 4)
    kinds = {(e.source, e.kind) for e in build_kb(tmp_path).entries}
    assert ("log/9월.md", "topic") in kinds
    assert ("log/notes.md", "topic") not in kinds and ("log/captions.md", "topic") not in kinds


def test_titles_keep_their_literal_text(tmp_path):
    write(tmp_path, "a.md", "# __init_subclass__\n\n본문\n")
    write(tmp_path, "b.md", "# `Optional[int]`과 **None**\n\n본문\n")
    write(tmp_path, "c.md", "# 01. What is webpack?\n\n본문\n\n## 8.6 버전에서 바뀐 점\n\n본문\n")
    write(tmp_path, "d.md", "# [C#](https://learn.microsoft.com) 기초 ###\n\n### # 추가 LAB\n\nx\n")
    write(
        tmp_path,
        "e.md",
        "# <a name='top'></a>Optional<T>로 반환하기<br>\n\n본문\n\n"
        "## <input type='button' /> vs <input type='submit' /><!-- 정리 -->\n\n본문\n",
    )
    titles = [e.title for e in build_kb(tmp_path).entries]
    assert titles == [
        "__init_subclass__",
        "Optional[int]과 None",
        "01. What is webpack?",
        "8.6 버전에서 바뀐 점",
        "C# 기초",
        "추가 LAB",
        # Tags GitHub renders as markup are dropped; any other was written as text.
        "Optional<T>로 반환하기",
        "<input type='button' /> vs <input type='submit' />",
    ]


def test_a_readme_style_title_after_badges_or_in_html_is_the_documents_title(tmp_path):
    badges = (
        '[![CI](https://x/ci.svg)](https://x) ![v](https://x/v.svg)\n\n<img src="logo.png">\n\n'
    )
    write(tmp_path, "badges.md", badges + "# Redis 캐시 전략\n\n본문\n\n## 만료\n\nTTL\n")
    write(
        tmp_path, "html.md", '<H2 align="center">Nginx <code>proxy_pass</code> 정리</H2>\n\n본문\n'
    )
    write(tmp_path, "toc.md", "[TOC]\n{% raw %}\n\n# 목차 표시 뒤 제목\n\n본문\n")
    write(tmp_path, "prose.md", "들어가며 한 줄.\n\n# 진짜 제목 아님\n\n본문\n")
    page_id = "0123456789abcdef0123456789abcdef"
    write(tmp_path, f"Dev {page_id}/도커 정리 {page_id}.md", "**굵게**만 있는 Notion 페이지\n")
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "도커 정리", None),  # a Notion export's page ids are no names
        ("document", "Redis 캐시 전략", None),
        ("section", "만료", "Redis 캐시 전략"),
        ("document", "Nginx proxy_pass 정리", None),
        ("document", "Prose", None),  # prose before the heading: the file's name
        ("section", "진짜 제목 아님", "Prose"),
        ("document", "목차 표시 뒤 제목", None),
    ]
    assert by_title(kb)["Redis 캐시 전략"].line == 5
    assert by_title(kb)["도커 정리"].category == "Dev"


def test_an_html_heading_over_several_lines_is_a_heading_until_a_blank_line(tmp_path):
    write(
        tmp_path,
        "java/overloading.md",
        "# Overriding & Overloading\n\n재정의\n\n<h2> Overloading\n</h2>\n\n같은 이름, 다른 매개변수\n\n"
        '<h3 align="center">\n  <code>@Override</code> 붙이기\n</h3>\n\n컴파일러가 검사\n\n'
        "<h2>\n\n빈 줄 뒤의 글\n</h2>\n",
    )
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "Overriding & Overloading", None),
        ("section", "Overloading", "Overriding & Overloading"),
        ("section", "@Override 붙이기", "Overloading"),
    ]
    overloading = by_title(kb)["Overloading"]
    assert overloading.line == 5 and overloading.body.startswith("같은 이름, 다른 매개변수")
    assert "</h2>" not in overloading.body and "</h3>" not in overloading.body
    assert by_title(kb)["@Override 붙이기"].line == 10


def test_header_lines_above_the_one_heading_are_metadata_and_it_is_the_title(tmp_path):
    write(
        tmp_path,
        "a.md",
        "- Date : 2019-02-18\n- Tags : #ansible #devops\n\n## 모든 호스트에서 명령\n\n본문\n",
    )
    write(tmp_path, "b.md", "> 출처 : 자바의 정석\n\n# Math 클래스\n\n## 특징\n\n정적 메서드\n")
    write(tmp_path, "c.md", "[TIL on May 16th](../TIL/05-16-2022.md)\n# 몽고 연결\n\n본문\n")
    # A term and its definition is content, and a list of links is a table of contents: the
    # heading after either is a section of the file.
    write(tmp_path, "d.md", "**프로비저닝** : 자원을 할당해 두는 일\n\n# 앤서블\n\n본문\n")
    write(tmp_path, "e.md", "- [설치](#설치)\n- [사용](#사용)\n\n## 설치\n\n본문\n")
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "모든 호스트에서 명령", None),
        ("document", "Math 클래스", None),
        ("section", "특징", "Math 클래스"),
        ("document", "몽고 연결", None),
        ("document", "D", None),
        ("section", "앤서블", "D"),
        ("document", "E", None),
        ("section", "설치", "E"),
    ]
    first = kb.entries[0]
    assert (first.tags, str(first.date), first.line) == (["ansible", "devops"], "2019-02-18", 4)
    assert first.body == "본문"


def test_front_matter_in_any_case_or_spacing_gives_the_title(tmp_path):
    write(tmp_path, "a.md", "---\nTitle: 대문자 키\nTags: [a, b]\n---\n본문\n")
    write(tmp_path, "b.md", "---\ntitle : 띄어 쓴 키\n---\n\n본문\n")
    write(tmp_path, "c.md", '---\nTITLE:   "따옴표"  \n---\n')
    write(tmp_path, "d.md", '---\ntitle: 목록\ntags:\n  - python\n  - "tips"\n---\n본문\n')
    write(tmp_path, "e.md", '+++\ntitle = "톰 제목"\ntags = ["x", "y"]\n+++\n\n본문\n')
    write(tmp_path, "f.md", "---\nlayout: post\ncategories: [dev, x]\ntags: x\n---\n# 지킬\n본문\n")
    kb = build_kb(tmp_path)
    entries = by_title(kb)
    assert set(entries) == {"대문자 키", "띄어 쓴 키", "따옴표", "목록", "톰 제목", "지킬"}
    assert entries["지킬"].tags == ["x", "dev"]  # Jekyll's categories are tags too
    assert entries["대문자 키"].tags == ["a", "b"] and entries["대문자 키"].line == 2
    assert entries["목록"].tags == ["python", "tips"] and entries["톰 제목"].tags == ["x", "y"]
    done = run_knowledge("check", "--notes", str(tmp_path))
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_front_matter_a_site_would_refuse_is_a_warning_naming_file_and_line(tmp_path):
    """Front matter never closed, a YAML list left open, a date that is none: a site's build
    would fail or drop them; `check` says where, and the note is still read as well as it can
    be. Front matter in any of the shapes above is no warning."""
    write(tmp_path, "open.md", '---\ntitle: "끝이 없는\n\n# 열린 머리말\n\n본문\n')
    write(tmp_path, "list.md", "---\ntitle: [깨진: 목록: {\n---\n\n# 목록 머리말\n\n본문\n")
    write(tmp_path, "date.md", "---\ntitle: 날짜\ndate: 언젠가\n---\n\n본문\n")
    write(tmp_path, "fine.md", "---\ntitle: 멀쩡한\ndate: 2024-05-01\ntags: [a, b]\n---\n본문\n")
    kb = build_kb(tmp_path)
    problems = sorted(str(p) for p in kb.problems)
    assert [p.split(": warning: ")[0] for p in problems] == ["date.md:3", "list.md:2", "open.md:1"]
    assert "never closed" in problems[2] and "never closes" in problems[1]
    assert "'언젠가' is not a date" in problems[0]
    assert {"열린 머리말", "날짜", "멀쩡한"} <= set(by_title(kb))
    assert by_title(kb)["날짜"].date is None
    done = run_knowledge("check", "--notes", str(tmp_path))
    assert done.returncode == 0 and "3 warnings" in done.stderr + done.stdout


def test_an_obsidian_alias_is_another_name_the_note_is_found_by(tmp_path):
    """Obsidian's ``aliases`` are the note's other names (a link or a search by either finds
    it): asked by an alias that no title or body says, the note answers."""
    write(
        tmp_path,
        "인프라/도커 볼륨.md",
        "---\naliases: [named volume, 영속 저장소]\ntags:\n  - docker\n---\n# 도커 볼륨\n\n"
        "컨테이너가 지워져도 데이터가 남는다.\n",
    )
    write(
        tmp_path, "인프라/도커 네트워크.md", "# 도커 네트워크\n\n컨테이너끼리 이름으로 통신한다.\n"
    )
    kb = build_kb(tmp_path)
    assert by_title(kb)["도커 볼륨"].tags == ["docker", "named volume", "영속 저장소"]
    for question in ("named volume", "영속 저장소가 뭐야"):
        best = Index(kb.entries).search(question).best
        assert best is not None and best.entry.title == "도커 볼륨", question


def test_a_notion_export_shows_its_text_not_its_page_properties(tmp_path):
    """Notion exports a page's properties as lines under its title and its callouts as
    ``<aside>``: the card starts with what the note says, the tags are tags. A paragraph of
    ``원인: …`` lines under a title is what the note says."""
    write(
        tmp_path,
        "JPA 영속성 컨텍스트 3f2a9c1b7e4d4a5b9c8d7e6f5a4b3c2d.md",
        "# JPA 영속성 컨텍스트\n\nCreated: Sep 22, 2019 1:55 PM\nTags: JPA, Spring\nStatus: Done\n\n"
        "<aside>\n💡 엔티티를 영구 저장하는 환경이다.\n\n</aside>\n\n## 1차 캐시\n\n같은 엔티티를 반환한다.\n",
    )
    write(tmp_path, "oom.md", "# OOM 장애\n\n원인: 메모리 부족\n해결: 힙 늘리기\n")
    entries = by_title(build_kb(tmp_path))
    jpa = entries["JPA 영속성 컨텍스트"]
    assert jpa.body.startswith("💡 엔티티를 영구 저장하는 환경이다.\n\n## 1차 캐시")
    assert jpa.tags == ["JPA", "Spring"] and jpa.summary.startswith("💡 엔티티를")
    assert jpa.date == dt.date(2019, 9, 22)  # the card's 🗓, from "Created: Sep 22, 2019"
    assert entries["OOM 장애"].body == "원인: 메모리 부족\n해결: 힙 늘리기"


def test_front_matter_after_a_blank_line_or_written_twice_is_still_metadata(tmp_path):
    """A template that leaves a blank line above the front matter, or an export that writes it
    twice, would otherwise give a section named "title: … date: …"."""
    write(
        tmp_path,
        "vault/arch.md",
        '\n---\ntitle: "아키텍처 정리"\ndate: 2026-03-19\ntags:\n  - 架构\n  - 后端\n'
        "status: in-progress\n---\n본문\n\n## 계층\n\n설명\n",
    )
    fm = "---\ntitle: PhoneGap CSP 허용하기\ntags: phonegap\neditor: markdown\n---\n"
    write(tmp_path, "wiki/csp.md", fm + "\n" + fm + "\n## 도대체 왜\n\n메타 태그\n")
    # A rule, a "Note: …" line and a rule: a heading, as GitHub shows it, not metadata.
    write(tmp_path, "notes/rule.md", "\n---\nNote: 중요한 것\n---\n\n본문\n")
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "Note: 중요한 것", None),
        ("document", "아키텍처 정리", None),
        ("section", "계층", "아키텍처 정리"),
        ("document", "PhoneGap CSP 허용하기", None),
        ("section", "도대체 왜", "PhoneGap CSP 허용하기"),
    ]
    arch = by_title(kb)["아키텍처 정리"]
    assert arch.tags == ["架构", "后端"] and str(arch.date) == "2026-03-19"
    assert arch.line == 3 and "status" not in arch.body
    assert "editor" not in by_title(kb)["PhoneGap CSP 허용하기"].body


def test_front_matter_written_as_a_flow_mapping_is_metadata_not_a_heading(tmp_path):
    """Obsidian's Digital Garden writes its front matter as one JSON line, and some vaults
    leave `{}`: YAML maps both, GitHub shows them as front matter, and the line followed by the
    closing `---` is no setext heading."""
    garden = '---\n{"dg-publish":true,"permalink":"/cheat-sheets/react-query/","title":"RQ"}\n---\n'
    write(tmp_path, "garden/rq.md", garden + "\n# Queries\n\n본문\n")
    two = "\n\n## 하나\n\n설명\n\n## 둘\n\n설명\n"
    write(tmp_path, "vault/Prompt.md", "---\n{}\n---\n" + two)
    write(tmp_path, "vault/yaml.md", "---\n{title: 따옴표 없는 키}\n---\n" + two)
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "RQ", None),
        ("section", "Queries", "RQ"),
        ("document", "Prompt", None),
        ("section", "하나", "Prompt"),
        ("section", "둘", "Prompt"),
        ("document", "Yaml", None),
        ("section", "하나", "Yaml"),
        ("section", "둘", "Yaml"),
    ]
    assert not kb.problems


def test_a_title_between_two_rules_at_the_top_is_the_title_not_front_matter(tmp_path):
    """A note that sets its heading off with `---` above and below it opens like front matter;
    it names no key, so it is rules and a heading, and the heading is the note's title."""
    write(tmp_path, "ShellShock/README.md", "---\n\n# Shellshock 정리\n\n---\n\n## 개요\n\n본문\n")
    write(tmp_path, "empty/README.md", "---\n---\n# 빈 머리말 뒤 제목\n")
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "Shellshock 정리", None),
        ("section", "개요", "Shellshock 정리"),
        ("document", "빈 머리말 뒤 제목", None),
    ]
    assert kb.entries[0].line == 3


def test_the_stored_body_is_normalised_markdown(tmp_path):
    write(
        tmp_path,
        "n.md",
        "# 제목\n\n첫 줄<br>둘째 줄 `<br>` 그대로\n\n"
        '<div align="center"><img src="https://x.test/a.png" alt="그림"></div>\n\n'
        '<a href="https://x.test">링크</a>&nbsp;끝\n\n'
        "소제목\n---\n\n    indented = True\n\n~~~\n```\n~~~\n\n```python\nnever_closed()\n",
    )
    kb = build_kb(tmp_path)
    doc = kb.entries[0]
    assert doc.body.split("\n")[:2] == ["첫 줄", "둘째 줄 `<br>` 그대로"]
    assert "![그림](https://x.test/a.png)" in doc.body and "<div" not in doc.body
    assert "[링크](https://x.test) 끝" in doc.body
    assert "## 소제목" in doc.body and by_title(kb)["소제목"].kind == "section"
    assert "```\nindented = True\n```" in doc.body
    assert "~~~~\n```\n~~~~" in doc.body  # a fence around ``` lines stays one block
    assert doc.body.endswith("```python\nnever_closed()\n```")  # closed where the file ends


def test_wiki_links_read_as_the_words_they_show_and_code_keeps_its_brackets(tmp_path):
    write(
        tmp_path,
        "obsidian.md",
        "# 배포 메모\n\n[[Kubernetes|쿠버]] 클러스터와 [[Helm]] 차트. ![[diagram.png]]\n\n"
        "파이썬 a[[0]] 와 df[['a']] 는 코드, `[[x]]` 도.\n",
    )
    doc = build_kb(tmp_path).entries[0]
    assert doc.body.split("\n")[0].rstrip() == "쿠버 클러스터와 Helm 차트."
    assert "a[[0]] 와 df[['a']] 는 코드, `[[x]]` 도." in doc.body


def test_wiki_links_in_headings_read_as_the_words_they_show(tmp_path):
    write(
        tmp_path,
        "vault/oop.md",
        "# [[005 Intro to Classes|Class]]\n\n본문\n\n## [[xss|XSS 공격]] 막는 법\n\n본문\n\n"
        "## [[Encapsulation]]과 `[[x]]`\n\n본문\n\n## ![[diagram.png]] 구조도\n\n그림\n",
    )
    write(tmp_path, "vault/links.md", "# 목차\n\n[[#설치|설치 방법]] 과 [[01 Docker|도커]] 참고\n")
    kb = build_kb(tmp_path)
    assert [e.title for e in kb.entries] == [
        "목차",
        "Class",
        "XSS 공격 막는 법",
        "Encapsulation과 [[x]]",  # code keeps its brackets
        "구조도",
    ]
    assert by_title(kb)["목차"].body == "설치 방법 과 도커 참고"


def test_shell_double_brackets_with_or_are_not_wiki_links(tmp_path):
    """Bash's ``[[ a || b ]]`` is a test, not an aliased wiki link: read as one, its words were
    replaced by "| b" in the heading and the prose."""
    write(
        tmp_path,
        "shell/test.md",
        "# Bash 조건문\n\nif [[ $a == 1 || $b == 2 ]]; then 로 쓴다.\n\n"
        "## [[ -z $a || -n $b ]] 와 [ ] 차이\n\n본문\n",
    )
    kb = build_kb(tmp_path)
    assert [e.title for e in kb.entries] == ["Bash 조건문", "[[ -z $a || -n $b ]] 와 [ ] 차이"]
    assert "if [[ $a == 1 || $b == 2 ]]; then" in kb.entries[0].body


def test_emoji_codes_in_headings_are_pictures_not_words(tmp_path):
    """GitHub shows ``:small_blue_diamond:`` as a picture: it is no part of the title asked for,
    and no search word."""
    write(
        tmp_path,
        "es/aggregation.md",
        "# Aggregation :memo:\n\n검색 결과 집계\n\n## :large_orange_diamond: aggregation이란?\n\n"
        "문서 집합의 통계\n\n## :small_blue_diamond: 집계 구문의 구조\n\naggs 아래에 이름\n\n"
        "## :bulb:\n\n팁\n\n## `:bulb:` 와 std::vector, 10:30:00\n\n코드\n",
    )
    write(tmp_path, "css/shapes.md", "# Diamond shape\n\nrotate a square by 45deg\n")
    kb = build_kb(tmp_path)
    assert [e.title for e in kb.entries] == [
        "Diamond shape",
        "Aggregation",
        "aggregation이란?",
        "집계 구문의 구조",
        ":bulb:",  # nothing else to name it by
        ":bulb: 와 std::vector, 10:30:00",
    ]
    index = Index(kb.entries)
    for question, title in [
        ("aggregation이란?", "aggregation이란?"),
        ("집계 구문의 구조", "집계 구문의 구조"),
        ("diamond", "Diamond shape"),
    ]:
        best = index.search(question).best
        assert best is not None and best.entry.title == title


def test_zero_width_spaces_pasted_from_the_web_leave_no_trace(tmp_path):
    text = "# Docker 정리\r\n\r\n## 이미지 빌드\u200b\r\n\r\nDock\u200berfile 로 빌드한다\r\n"
    write(tmp_path, "docker.md", text.encode("utf-8"))
    kb = build_kb(tmp_path)
    assert "이미지 빌드" in by_title(kb)
    best = Index(kb.entries).search("Dockerfile").best
    assert best is not None and best.entry.title == "이미지 빌드"


def test_a_note_text_with_bare_carriage_returns_reads_as_with_line_feeds():
    """A note saved from Slack is parsed from its text, not a file: a CR there (pasted from
    an old Mac file) ends a line for markdown-it, and once raised IndexError here."""
    from knowledge.parser import parse_markdown

    lf = "# 도커 정리\n\n## 이미지\n\n빌드한다\n```\n코드\n"
    cr, _ = parse_markdown(lf.replace("\n", "\r"), "n.md", "c")
    crlf, _ = parse_markdown(lf.replace("\n", "\r\n"), "n.md", "c")
    want, _ = parse_markdown(lf, "n.md", "c")
    assert cr == crlf == want and [e.title for e in want] == ["도커 정리", "이미지"]


def test_a_cp949_note_is_decoded_and_other_legacy_bytes_are_reported(tmp_path):
    write(tmp_path, "euc.md", "# 도커 정리\n\n컨테이너는 이미지로 만든다\n".encode("cp949"))
    write(tmp_path, "latin1.md", b"# Caf\n\nok\n" + b"caf\xe9\n")
    kb = build_kb(tmp_path)
    assert by_title(kb)["도커 정리"].body == "컨테이너는 이미지로 만든다"
    problems = {str(p) for p in kb.problems}
    assert "euc.md:1: warning: decoded as CP949/EUC-KR; save it as UTF-8" in problems
    assert any(
        p.startswith("latin1.md:4: error: not valid UTF-8") and "Save the file as UTF-8" in p
        for p in problems
    )


def test_symlinked_notes_are_followed_and_loops_reported(tmp_path):
    real = tmp_path / "real"
    write(real, "sub/a.md", "# 링크 너머\n\n본문\n")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "linked").symlink_to(real, target_is_directory=True)
    (real / "sub" / "loop").symlink_to(notes, target_is_directory=True)
    (notes / "gone.md").symlink_to(tmp_path / "nowhere.md")
    kb = build_kb(notes)
    assert [(e.source, e.title) for e in kb.entries] == [("linked/sub/a.md", "링크 너머")]
    problems = {str(p) for p in kb.problems}
    assert any(p.startswith("linked/sub/loop:0: warning: links to a folder") for p in problems)
    assert any(p.startswith("gone.md:0: warning: symlink to nothing") for p in problems)


def test_installed_packages_committed_with_a_practice_project_are_not_notes(tmp_path):
    write(tmp_path, "NodeJS/04_Express/express 기초.md", "# Express 라우팅\n\napp.get 으로 경로\n")
    for package in ("express", "axios", "debug"):
        readme = f"# {package}\n\nFast, unopinionated, minimalist web framework routing\n"
        write(tmp_path, f"NodeJS/04_Express/node_modules/{package}/README.md", readme)
    kb = build_kb(tmp_path)
    assert [e.source for e in kb.entries] == ["NodeJS/04_Express/express 기초.md"]
    best = Index(kb.entries).search("express routing").best
    assert best is not None and best.entry.title == "Express 라우팅"


def test_a_folder_named_on_macos_nfd_is_searched_by_its_name_typed_as_usual(tmp_path):
    """macOS often stores Korean names decomposed (NFD); what people type is composed (NFC)."""
    nfd = unicodedata.normalize("NFD", "자료구조/힙정렬.md")
    write(tmp_path / "mac", nfd, "# Heap sort\n\nbinary heap으로 정렬\n")
    write(tmp_path / "linux", "자료구조/힙정렬.md", "# Heap sort\n\nbinary heap으로 정렬\n")
    mac, linux = build_kb(tmp_path / "mac"), build_kb(tmp_path / "linux")
    assert [e.source for e in mac.entries] == ["자료구조/힙정렬.md"]
    assert [e.id for e in mac.entries] == [e.id for e in linux.entries]
    best = Index(mac.entries).search("자료구조").best
    assert best is not None and best.entry.title == "Heap sort"


def test_two_notes_named_alike_but_for_unicode_are_both_kept_and_reported(tmp_path):
    # A study group's repo holds 정상윤.md twice, once composed and once decomposed: each note
    # keeps a name of its own (one answer's source must not open the other file), and the
    # owner is told which to rename.
    write(tmp_path, "3장/정상윤.md", "# 역할\n\n책임을 나눈다\n")
    write(tmp_path, unicodedata.normalize("NFD", "3장/정상윤.md"), "# 협력\n\n메시지를 보낸다\n")
    kb = build_kb(tmp_path)
    sources = {e.title: e.source for e in kb.entries}
    assert set(sources) == {"역할", "협력"}
    assert sources["역할"] != sources["협력"]
    assert {unicodedata.normalize("NFC", s) for s in sources.values()} == {"3장/정상윤.md"}
    warned = [p for p in kb.problems if "Unicode" in p.message]
    assert len(warned) == 1 and warned[0].level == "warning"
    assert warned[0].source in sources.values()


def test_bad_notes_are_reported_with_file_and_line_and_the_rest_still_load(tmp_path):
    write(tmp_path, "good.md", "# Good\n\nfine\n")
    write(tmp_path, "binary.md", b"# Bin\n\x00\x01\x02")
    write(tmp_path, "unclosed.md", "# Fence\n\ntext\n\n```python\nprint(1)\n")
    write(tmp_path, "empty.md", "\n\n")
    kb = build_kb(tmp_path)
    problems = {str(p) for p in kb.problems}
    assert "binary.md:2: error: binary file (NUL byte)" in problems
    assert any(p.startswith("unclosed.md:5: error: code fence is never closed") for p in problems)
    assert "empty.md:1: warning: no content found" in problems
    assert {"Good", "Fence"} <= set(by_title(kb))


def test_a_fence_closed_by_its_blockquote_or_list_item_is_no_error(tmp_path):
    """Fences inside a quote ("> ```") close on a quoted line, and one the author left open
    inside a quote or a list item ends with it, as GitHub shows it: `check` reports neither, and
    the code is still code."""
    write(
        tmp_path,
        "quoted.md",
        "# 인용 속 코드\n\n> 예시\n> ```python\n> print(1)\n> ```\n\n"
        "> ```bash\n> ls -al\n\n뒤에 오는 글\n\n- 목록\n\n   ```sql\n   SELECT 1;\n\n마지막 글\n",
    )
    kb = build_kb(tmp_path)
    assert [str(p) for p in kb.problems] == []
    (entry,) = kb.entries
    assert [c.code for c in entry.code] == ["print(1)", "ls -al", "SELECT 1;"]
    assert "뒤에 오는 글" in entry.body and "마지막 글" in entry.body
    # Code is code in the index's text too, wherever the fence is.
    prose = textutil.plain_text(entry.body)
    assert "뒤에 오는 글" in prose and "print" not in prose and "ls" not in prose


def test_hugo_and_jekyll_highlight_blocks_are_code(tmp_path):
    """TIL sites built with Hugo or Jekyll put code in highlight blocks, not fences: a Ruby or
    shell ``#`` comment in one is code, never a heading, and the card shows it as code. One
    that never ends is left as written, as the site leaves it."""
    write(
        tmp_path,
        "posts/tap.md",
        "# Ruby의 tap 메서드\n\n객체를 블록에 넘기고 그대로 돌려준다.\n\n"
        "{% highlight ruby linenos %}\n# => 체이닝 중간에 값을 찍어 본다\n"
        "[1, 2, 3].tap { |a| p a }\n{% endhighlight %}\n\n"
        "## Hugo에서도 같다\n\n"
        '{{< highlight sh "hl_lines=2" >}}\n# 설치\nbrew install hugo\n{{< /highlight >}}\n\n'
        "```liquid\n{% highlight ruby %}\n# 예시 속 주석\n{% endhighlight %}\n```\n\n"
        "{{< highlight go >}}\n닫히지 않은 블록\n",
    )
    kb = build_kb(tmp_path)
    assert [str(p) for p in kb.problems] == []
    assert shape(kb) == [
        ("document", "Ruby의 tap 메서드", None),
        ("section", "Hugo에서도 같다", "Ruby의 tap 메서드"),
    ]
    entries = by_title(kb)
    assert [(c.language, c.code) for c in entries["Hugo에서도 같다"].code] == [
        ("sh", "# 설치\nbrew install hugo"),
        # Shown as an example inside a real fence, a highlight block is that fence's text.
        ("liquid", "{% highlight ruby %}\n# 예시 속 주석\n{% endhighlight %}"),
    ]
    assert entries["Ruby의 tap 메서드"].code[0].code.startswith("# => 체이닝")
    assert "체이닝" not in textutil.plain_text(entries["Ruby의 tap 메서드"].body)
    assert "닫히지 않은 블록" in textutil.plain_text(entries["Hugo에서도 같다"].body)


def test_an_html_comment_over_several_lines_is_hidden_as_github_hides_it(tmp_path):
    """Notes keep drafts and template hints in HTML comments, often over several lines: GitHub
    shows none of it, and neither do the card, the summary or search; the lines after keep
    their numbers, and a comment inside code is code."""
    write(
        tmp_path,
        "branch.md",
        "# 깃 브랜치 정리\n\n<!--\n작성 가이드: 여기에 배경을 쓴다\n# 주석 속 제목\n-->\n\n"
        "브랜치를 지우려면 `git branch -d` 를 쓴다.\n\n## 원격 브랜치\n\n"
        "```html\n<!-- 코드 속 주석 -->\n```\n",
    )
    kb = build_kb(tmp_path)
    doc, remote = kb.entries
    assert doc.summary.startswith("브랜치를 지우려면") and "작성 가이드" not in doc.body
    assert remote.title == "원격 브랜치" and remote.line == 10
    assert [c.code for c in remote.code] == ["<!-- 코드 속 주석 -->"]
    assert Index(kb.entries).search("작성 가이드 배경").best is None


def test_a_table_reads_as_its_cells_in_the_summary(tmp_path):
    """A note that opens with a table: its one-line summary (notifications, tips, other
    candidates) reads the cells, not the bars and the rule under the header."""
    write(
        tmp_path,
        "git.md",
        "# 깃 명령 모음\n\n| 명령 | 설명 |\n|---|:---:|\n| `git branch -D` | 강제 삭제 |\n",
    )
    (doc,) = build_kb(tmp_path).entries
    assert doc.summary == "명령 · 설명 git branch -D · 강제 삭제"


def test_no_note_gives_a_traceback(tmp_path):
    nested = "".join("  " * n + "- 단계\n" for n in range(300))
    write(tmp_path, "binary.md", bytes(range(256)) * 8)
    write(tmp_path, "nul.md", "# 제목\n\n본문\x00끝\n")
    write(tmp_path, "long-line.md", "# 긴 줄\n\n" + "가나다 **굵게** <b>" * 60_000 + "\n")
    write(tmp_path, "nested.md", "# 중첩\n\n" + nested + "> " * 200 + "인용\n")
    write(tmp_path, "fences.md", "```\n" * 3 + "'''\n~~~\n" + "# 제목\n")
    write(tmp_path, "only-front-matter.md", "---\ntitle:\n---\n")
    write(tmp_path, "unterminated-front-matter.md", "---\ntitle: x\n")
    write(tmp_path, "headings.md", "#\n##\n###### \n# \n")
    for command in ("check", "build"):
        args = ["--out", str(tmp_path / "kb.sqlite")] if command == "build" else []
        done = run_knowledge(command, "--notes", str(tmp_path), *args)
        assert done.returncode in {0, 1}, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
    kb = load_kb(tmp_path / "kb.sqlite")
    titles = by_title(kb)
    assert "긴 줄" in titles and "중첩" in titles
    sources = {e.source: e for e in kb.entries}
    assert sources["unterminated-front-matter.md"].title == "Unterminated front matter"


def test_an_unresolved_merge_is_reported_with_its_line_and_read_as_commonmark(tmp_path):
    """Conflict markers git left in a note, at the top level or in a list item, are an error
    naming file and line (in `check` and `build`); the note is still read as GitHub shows it:
    "=======" under paragraph text is a setext heading, and alone it is text. Markers shown in
    code (a note about merge conflicts) and a setext title are no problem."""
    write(
        tmp_path,
        "notes/docker.md",
        "# 도커 정리\n\n컨테이너 런타임\n\n<<<<<<< HEAD\n이미지는 레이어다\n=======\n"
        "이미지는 읽기 전용이다\n>>>>>>> feature/images\n\n## 볼륨\n\n데이터를 남긴다\n",
    )
    write(
        tmp_path,
        "notes/git.md",
        "# 깃\n\n- rebase\n  <<<<<<< HEAD\n  커밋을 옮긴다\n  =======\n  커밋을 다시 쓴다\n"
        "  >>>>>>> main\n- merge\n",
    )
    write(tmp_path, "notes/tail.md", "# 목록\n\n- 하나\n- 둘\n=======\n- 셋\n>>>>>>> other\n")
    write(
        tmp_path,
        "notes/about.md",
        "# 충돌 해결\n\n```\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> feature\n```\n\n"
        "    <<<<<<< HEAD\n    들여쓴 코드\n\n제목\n=======\n\n본문\n",
    )
    notes = tmp_path / "notes"
    kb = build_kb(notes)
    assert [str(p) for p in kb.problems] == [
        f"{name}:{line}: error: unresolved merge conflict (a {marker} line): keep the version "
        "you want and delete the <<<<<<<, ======= and >>>>>>> lines"
        for name, line, marker in (
            ("docker.md", 5, "<<<<<<<"),
            ("git.md", 4, "<<<<<<<"),
            ("tail.md", 7, ">>>>>>>"),
        )
    ]
    check = run_knowledge("check", "--notes", str(notes))
    assert check.returncode == 1 and "docker.md:5: error: unresolved merge conflict" in check.stdout
    assert "3 errors" in check.stderr
    entries = shape(kb)
    # As CommonMark reads it: the text above "=======" is a heading, which takes the document
    # title's place (two top-level headings), and "## 볼륨" after it is still a section.
    assert ("section", "<<<<<<< HEAD 이미지는 레이어다", "Docker") in entries
    assert ("section", "볼륨", "<<<<<<< HEAD 이미지는 레이어다") in entries
    assert ("section", "제목", "About") in entries  # a setext title: a heading, and no conflict


def test_build_is_deterministic_and_ids_are_stable(tmp_path):
    first = build_kb(OUR_NOTE).to_json()
    assert first == build_kb(OUR_NOTE).to_json()
    # Editing a body keeps ids: an id depends on file and title path, not on text or line.
    edited = tmp_path / "TIL-9-1-9-15.md"
    edited.write_text("\n\n" + OUR_NOTE.read_text(encoding="utf-8") + "\n추가\n", encoding="utf-8")
    ids = [e.id for e in build_kb(OUR_NOTE).entries]
    assert [e.id for e in build_kb(edited).entries] == ids
    assert len(set(ids)) == len(ids)
    write(tmp_path, "a.md", "# A\n\n## 예시\n\nx\n\n# B\n\n## 예시\n\ny\n")
    again = build_kb(tmp_path / "a.md")
    assert len({e.id for e in again.entries}) == len(again.entries)  # same title, other parent
    assert not again.problems


def run_knowledge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_build_and_check_write_the_same_problems_with_the_same_words(tmp_path):
    out = tmp_path / "kb.sqlite"
    done = run_knowledge("build", "--notes", str(OUR_NOTE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    kb = load_kb(out)
    assert len(kb.entries) == 25 and artifact.open_store(out).meta["schema"] == SCHEMA_VERSION
    again = tmp_path / "kb2.sqlite"
    run_knowledge("build", "--notes", str(OUR_NOTE), "--out", str(again))
    assert out.read_bytes() == again.read_bytes()

    write(tmp_path, "notes/bad.md", "# T\n\n```\nnever closed\n")
    write(tmp_path, "notes/empty.md", "")
    check = run_knowledge("check", "--notes", str(tmp_path / "notes"))
    build = run_knowledge(
        "build", "--notes", str(tmp_path / "notes"), "--out", str(tmp_path / "b.sqlite")
    )
    assert check.returncode == 1 and build.returncode == 0
    expected = ["bad.md:3: error: code fence is never closed", "empty.md:1: warning: no content"]
    for line in expected:
        assert line in check.stdout and line in build.stderr
    assert "1 entry, 1 error, 1 warning" in check.stderr + build.stderr
    assert "Traceback" not in check.stderr
    missing = run_knowledge("check", "--notes", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no notes at" in missing.stderr
    (tmp_path / "blank").mkdir()
    empty = run_knowledge("check", "--notes", str(tmp_path / "blank"))
    assert empty.returncode == 2 and "no markdown notes" in empty.stderr
    # Notes that are all empty or binary: said as such, and no KB that answers nothing is written.
    write(tmp_path, "hollow/empty.md", "\n")
    write(tmp_path, "hollow/bin.md", b"\x00\x01")
    hollow = run_knowledge(
        "build", "--notes", str(tmp_path / "hollow"), "--out", str(tmp_path / "h.sqlite")
    )
    assert hollow.returncode == 2 and not (tmp_path / "h.sqlite").exists()
    assert "no note in" in hollow.stderr and "bin.md:1: error: binary file" in hollow.stderr


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
# The three largest Korean collections take ~35 s more; bench/parse_corpora.py checks all seven.
@pytest.mark.parametrize(
    "name", ["jbranchaud__til", "HaeRim-Ok__TIL", "1yangsh__TIL", "leeky940926__dev-log"]
)
def test_real_corpora_build_with_every_title_an_entry(name):
    folder = CORPORA / name
    kb = build_kb(folder)
    files = list(folder.rglob("*.md"))
    assert len({e.source for e in kb.entries}) >= len(files) * 0.98  # a document per file
    # Unclosed fences and an unresolved merge (HaeRim-Ok__TIL has one) are the notes' own.
    errors = [
        p
        for p in kb.problems
        if p.level == "error" and not re.search("never closed|merge conflict", p.message)
    ]
    assert not errors, errors[:5]
    assert not missing_titles(kb, folder)
    for entry in kb.entries:
        assert 0 < len(entry.title) <= 120
        assert not entry.title.startswith(("# ", "- ", "!["))
        assert "](" not in entry.title and not re.search(r"<(br|img|a|div|p)\b", entry.title)
    if name == "jbranchaud__til":
        titles = {e.title for e in kb.entries}
        assert "Grab A Limited Set Of Records" in titles


def test_bot_uses_a_fresh_built_kb_rebuilds_a_stale_one_and_trusts_it_without_notes(tmp_path):
    notes = tmp_path / "notes"
    write(notes, "a.md", "# Alpha\n\n첫 노트\n")
    kb_path = tmp_path / "kb.sqlite"
    artifact.write(build_kb(notes), kb_path)
    assert [e.title for e in default_index(notes, kb_path).entries] == ["Alpha"]

    write(notes, "b.md", "# Beta\n\n새 노트\n")  # the built KB is now stale
    assert [e.title for e in default_index(notes, kb_path).entries] == ["Alpha", "Beta"]

    for note in notes.iterdir():  # a deployment package without the markdown
        note.unlink()
    assert [e.title for e in default_index(notes, kb_path).entries] == ["Alpha"]
    kb_path.unlink()
    with pytest.raises(FileNotFoundError, match="python -m knowledge build"):
        default_index(notes, kb_path)


def test_a_kb_of_an_older_format_or_schema_is_rebuilt_from_the_notes(tmp_path, caplog):
    notes = tmp_path / "notes"
    write(notes, "a.md", "# Alpha\n\n첫 노트\n")
    kb_path = tmp_path / "kb.sqlite"
    artifact.write(build_kb(notes), kb_path)
    write(notes, "a.md", "# Alpha\n\n고친 노트\n")
    with sqlite3.connect(kb_path) as db:  # same notes, only the schema is old
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION - 1),))
        db.execute("UPDATE meta SET value = ? WHERE key = 'digest'", (f'"{digest(notes)}"',))
    db.close()
    assert default_index(notes, kb_path).entries[0].body == "고친 노트"
    # Out of date beside its notes, as an edited note makes it: rebuilt without a warning.
    assert "rebuild it" not in caplog.text
    with pytest.raises(ValueError, match="rebuild it with `python -m knowledge build`"):
        load_kb(kb_path)

    # The JSON KB of an older tilbot, next to the notes: rebuilt; alone: refused in one line.
    kb_path.write_text(build_kb(notes).to_json(), encoding="utf-8")
    assert default_index(notes, kb_path).entries[0].body == "고친 노트"
    with pytest.raises(ValueError, match="JSON KB of an older tilbot"):
        default_index(tmp_path / "no-notes", kb_path)


def test_a_folders_readme_without_a_heading_is_named_by_its_folder(tmp_path):
    """Lecture notes kept as ``Topic/README.md``: "README" says nothing of what the note is
    about; the folder's name does. A README with a heading keeps it; the notes' own README at
    the top is still "README"."""
    write(
        tmp_path, "lecture/Deadlocks/README.md", "교착 상태의 네 조건.\n\n상호 배제, 점유 대기.\n"
    )
    write(tmp_path, "lecture/TCP/README.md", "# TCP 정리\n\n3-way handshake.\n")
    write(tmp_path, "README.md", "제 TIL 모음입니다.\n")
    write(tmp_path, "k8s/index.md", "파드와 서비스.\n")
    kb = build_kb(tmp_path)
    assert sorted(e.title for e in kb.entries) == ["Deadlocks", "K8s", "README", "TCP 정리"]
    index = Index(kb.entries)
    best = index.search("deadlocks 조건").best
    assert best is not None and best.entry.source == "lecture/Deadlocks/README.md"


def test_a_folded_answer_is_a_section_titled_by_its_summary(tmp_path: Path) -> None:
    """Interview notes fold each answer under its question (`<details><summary>Q</summary>`):
    each question is a section of the heading above it, on its own line, its answer the body
    (the lines of its HTML block as text, as GitHub shows them, not code). A question folded
    over nothing (left to answer later) is no section, nor a line of the answer before it. A
    `<details>` inside code is code."""
    write(
        tmp_path,
        "Spring.md",
        "# Spring 면접 질문\n\n## IoC\n\n<details>\n    <summary>IoC 컨테이너란 무엇인가요?</summary>\n"
        "    <br/><code>BeanFactory</code>, <code>ApplicationContext</code><br/>\n\n"
        "객체의 생성과 의존성을 컨테이너가 관리한다.\n\n</details>\n\n"
        "<details><summary><b>Bean Scope</b>에 대해 설명해주세요.</summary>\n\n"
        "singleton과 prototype이 있다.\n</details>\n\n<details>\n  <summary>AOP란?</summary>\n"
        "  <br>\n</details>\n\n## 코드\n\n```html\n<details>\n"
        "<summary>not a section</summary>\n</details>\n```\n",
    )
    kb = build_kb(tmp_path)
    assert shape(kb) == [
        ("document", "Spring 면접 질문", None),
        ("section", "IoC", "Spring 면접 질문"),
        ("section", "IoC 컨테이너란 무엇인가요?", "IoC"),
        ("section", "Bean Scope에 대해 설명해주세요.", "IoC"),
        ("section", "코드", "Spring 면접 질문"),
    ]
    ioc = by_title(kb)["IoC 컨테이너란 무엇인가요?"]
    assert ioc.line == 6
    assert "BeanFactory" in ioc.body and "```" not in ioc.body  # text, not code
    assert "컨테이너가 관리한다" in ioc.body and "details" not in ioc.body
    assert by_title(kb)["Bean Scope에 대해 설명해주세요."].line == 13
    # The unanswered question folds nothing: no line of the answer before it either.
    assert "AOP" not in by_title(kb)["Bean Scope에 대해 설명해주세요."].body
    assert "<summary>not a section</summary>" in by_title(kb)["코드"].body
    assert Index(kb.entries).search("IoC 컨테이너가 뭐야").best.entry.title == (
        "IoC 컨테이너란 무엇인가요?"
    )

"""The note parser and KB builder on our notes, messy markdown, broken files and real corpora."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.loader import NOTES_DIR, build_kb, load_kb
from knowledge.models import KnowledgeBase

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


def by_title(kb: KnowledgeBase) -> dict:
    return {e.title: e for e in kb.entries}


def test_our_period_log_becomes_one_entry_per_topic_with_its_line():
    kb = build_kb(OUR_NOTE)
    lines = OUR_NOTE.read_text(encoding="utf-8").split("\n")
    titles = [e.title for e in kb.entries]
    assert titles[:3] == ["boto3", "boto3의 자격증명", "새로운 model class 생성"]
    assert "Docker 작동방식" in titles and "typing 모듈" in titles
    assert len(titles) == sum(1 for line in lines if line.startswith("- "))
    for entry in kb.entries:
        assert lines[entry.line - 1] == f"- {entry.title}"  # the source line is the topic line
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
    docker = entries["Docker"]
    assert docker.links and docker.links[0].url.startswith("https://cultivo-hy.github.io/")
    beanstalk = entries["AWS Elastic Beanstalk + docker + django"]
    assert len(beanstalk.images) == 2 and "<br>" not in beanstalk.summary


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


def test_heading_layouts_daily_notes_and_one_til_per_file(tmp_path):
    write(tmp_path, "class/day3.md", "# Docker Compose\n\n내용 A\n\n# Kubernetes 기초\n\n내용 B\n")
    write(
        tmp_path,
        "vim/delete-to-end.md",
        "# Delete To The End Of The Line\n\nUse `D`.\n\n## Why\n\n```\n# not a heading\n```\n",
    )
    write(tmp_path, "2021-02-15.md", "# 2021.02.15 TIL\n\n## Redis\n\n캐시\n\n## Celery\n\n큐\n")
    kb = build_kb(tmp_path)
    entries = by_title(kb)
    assert set(entries) == {
        "Docker Compose",
        "Kubernetes 기초",
        "Delete To The End Of The Line",
        "Redis",
        "Celery",
    }
    assert entries["Kubernetes 기초"].line == 5 and entries["Kubernetes 기초"].category == "class"
    assert "## Why" in entries["Delete To The End Of The Line"].body
    assert entries["Redis"].tags == ["2021.02.15 TIL"]
    assert entries["Redis"].date is not None and entries["Redis"].date.isoformat() == "2021-02-15"


def test_bad_notes_are_reported_with_file_and_line_and_the_rest_still_load(tmp_path):
    write(tmp_path, "good.md", "# Good\n\nfine\n")
    write(tmp_path, "binary.md", b"# Bin\n\x00\x01\x02")
    write(tmp_path, "latin1.md", b"# Caf\n\nok\n" + b"caf\xe9\n")
    write(tmp_path, "unclosed.md", "# Fence\n\ntext\n\n```python\nprint(1)\n")
    write(tmp_path, "empty.md", "\n\n")
    kb = build_kb(tmp_path)
    problems = {str(p) for p in kb.problems}
    assert "binary.md:2: binary file (NUL byte)" in problems
    assert "latin1.md:4: not valid UTF-8; bad bytes replaced" in problems
    assert any(p.startswith("unclosed.md:5: code fence is never closed") for p in problems)
    assert "empty.md:1: no content found" in problems
    assert {"Good", "Caf", "Fence"} <= set(by_title(kb))


def test_build_is_deterministic_and_ids_are_stable(tmp_path):
    first = build_kb(OUR_NOTE).to_json()
    assert first == build_kb(OUR_NOTE).to_json()
    # Editing a body keeps ids: an id depends on file and title, not on text or line.
    edited = tmp_path / "TIL-9-1-9-15.md"
    edited.write_text("\n\n" + OUR_NOTE.read_text(encoding="utf-8") + "\n추가\n", encoding="utf-8")
    ids = [e.id for e in build_kb(OUR_NOTE).entries]
    assert [e.id for e in build_kb(edited).entries] == ids
    assert len(set(ids)) == len(ids)


def run_knowledge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_build_command_writes_validating_json_and_check_lists_problems(tmp_path):
    out = tmp_path / "kb.json"
    done = run_knowledge("build", "--notes", str(OUR_NOTE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    kb = load_kb(out)
    assert len(kb.entries) == 24 and json.loads(out.read_text())["version"] == 1
    again = tmp_path / "kb2.json"
    run_knowledge("build", "--notes", str(OUR_NOTE), "--out", str(again))
    assert out.read_bytes() == again.read_bytes()

    write(tmp_path, "notes/bad.md", "# T\n\n```\nnever closed\n")
    check = run_knowledge("check", "--notes", str(tmp_path / "notes"))
    assert check.returncode == 1
    assert "bad.md:3: code fence is never closed" in check.stdout
    assert "Traceback" not in check.stderr
    missing = run_knowledge("check", "--notes", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no notes at" in missing.stderr


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
@pytest.mark.parametrize(
    "name", ["jbranchaud__til", "HaeRim-Ok__TIL", "1yangsh__TIL", "leeky940926__dev-log"]
)
def test_real_corpora_build_without_errors_and_with_sensible_titles(name):
    folder = CORPORA / name
    kb = build_kb(folder)
    files = list(folder.rglob("*.md"))
    assert len(kb.entries) >= len(files) * 0.9
    errors = [p for p in kb.problems if p.level == "error" and "never closed" not in p.message]
    assert not errors, errors[:5]
    for entry in kb.entries:
        assert 0 < len(entry.title) <= 120
        assert not entry.title.startswith(("#", "-", "*", "<", "!["))
        assert "](" not in entry.title and "<br" not in entry.title
    if name == "jbranchaud__til":
        titles = {e.title for e in kb.entries}
        assert "Grab A Limited Set Of Records" in titles


def test_bot_uses_a_fresh_built_kb_rebuilds_a_stale_one_and_trusts_it_without_notes(tmp_path):
    from knowledge.loader import default_kb

    notes = tmp_path / "notes"
    write(notes, "a.md", "# Alpha\n\n첫 노트\n")
    kb_path = tmp_path / "kb.json"
    kb_path.write_text(build_kb(notes).to_json(), encoding="utf-8")
    assert [e.title for e in default_kb(notes, kb_path).entries] == ["Alpha"]

    write(notes, "b.md", "# Beta\n\n새 노트\n")  # the built KB is now stale
    assert [e.title for e in default_kb(notes, kb_path).entries] == ["Alpha", "Beta"]

    for note in notes.iterdir():  # a deployment package without the markdown
        note.unlink()
    assert [e.title for e in default_kb(notes, kb_path).entries] == ["Alpha"]
    kb_path.unlink()
    with pytest.raises(FileNotFoundError, match="python -m knowledge build"):
        default_kb(notes, kb_path)

"""Answers you can follow: sources as links (TIL_SOURCE_URL) and last-edited dates from git."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import unicodedata
from pathlib import Path

from bot.app import create_app
from bot.settings import Settings
from bot.sqlite_store import SQLiteStore
from bot.wsgi import TilWsgi
from knowledge import Index
from knowledge.loader import build_kb
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner
from tests.test_cli_ask import ask

NOTE = "# {title}\n\n{title} 에 대한 노트입니다.\n"


def commit(repo: Path, files: dict[str, str], when: str, author: str) -> None:
    for name, title in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NOTE.format(title=title), encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "notes"], check=True, env=env)


def test_build_records_each_files_last_commit_from_one_git_log(tmp_path: Path) -> None:
    repo = tmp_path / "til"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(
        repo,
        {"notes/docker.md": "Docker", "notes/파이썬/타입힌트.md": "타입 힌트"},
        "2024-01-05T10:00:00",
        "Kim",
    )
    commit(repo, {"notes/docker.md": "Docker 이미지"}, "2024-03-02T09:00:00", "Lee")
    (repo / "notes" / "draft.md").write_text(NOTE.format(title="초안"), encoding="utf-8")

    kb = build_kb(repo / "notes")
    edited = {e.title: (e.edited, e.author) for e in kb.entries if e.kind == "document"}
    assert edited["Docker 이미지"] == (dt.date(2024, 3, 2), "Lee")
    assert edited["타입 힌트"] == (dt.date(2024, 1, 5), "Kim")  # a Korean path, as written
    assert edited["초안"] == (None, None)  # never committed: nothing shown, nothing fails


def test_a_note_committed_under_a_decomposed_name_keeps_its_date(tmp_path: Path) -> None:
    # A checkout made on macOS: git stores the name as the file system gave it (NFD).
    repo = tmp_path / "til"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "config", "core.precomposeunicode", "false"], check=True
    )
    commit(
        repo,
        {unicodedata.normalize("NFD", "파이썬/타입힌트.md"): "타입 힌트"},
        "2024-01-05T10:00:00",
        "Kim",
    )

    kb = build_kb(repo)
    assert [(e.source, e.edited, e.author) for e in kb.entries] == [
        ("파이썬/타입힌트.md", dt.date(2024, 1, 5), "Kim")
    ]


def test_notes_outside_git_have_no_dates_and_build_fine(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(NOTE.format(title="Docker"), encoding="utf-8")
    kb = build_kb(tmp_path)
    assert [e.edited for e in kb.entries] == [None]


TEMPLATE = "https://github.com/org/til/blob/main/knowledge/notes/{path}#L{line}"


def test_slack_cards_link_their_source(
    settings: Settings, index: Index, store: SQLiteStore, signer: SlackSigner, fake_slack: FakeSlack
) -> None:
    linked = settings.model_copy(update={"til_source_url": TEMPLATE})
    side = SlackSide(TilWsgi(lambda: create_app(linked, index, store)), signer, fake_slack)
    text = side.command("docker").text()
    docker = index.search("docker").matches[0].entry
    url = TEMPLATE.format(path=docker.source, line=docker.line)
    assert f"<{url}|{docker.location}>" in text
    assert docker.edited is not None and f"마지막 수정 {docker.edited.isoformat()}" in text


def test_the_terminal_prints_the_link_and_the_last_edit(monkeypatch) -> None:
    monkeypatch.setenv("TIL_SOURCE_URL", TEMPLATE)
    out = ask("도커").stdout
    assert "https://github.com/org/til/blob/main/knowledge/notes/TIL-9-1-9-15.md#L" in out
    # knowledge/notes is in this repository's git history.
    assert "마지막 수정 (last edited): 20" in out

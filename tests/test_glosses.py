"""Terms the notes gloss in parentheses (호위 효과(convoy effect)) answer a question asked in the
other language, about any note of the folder: notes written here, built as the bot builds them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from knowledge import artifact
from knowledge.indexing import MemoryStore
from knowledge.loader import build_kb
from knowledge.search import TUNING, Index, field_weights


def notes(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# A folder of OS notes: the one on the convoy effect never names it in English; another note
# glosses the term in passing.
KOREAN_TITLED = {
    "os/convoy.md": "# 호위 효과\n\n긴 작업 하나가 CPU를 오래 잡고 있으면 짧은 작업들이 줄줄이 뒤에서 "
    "기다린다. 선입선출 스케줄링에서 흔하다.\n",
    "os/scheduling.md": "# 스케줄링 알고리즘\n\nFCFS는 먼저 온 순서대로 처리하므로 "
    "호위 효과(convoy effect)가 생긴다. SJF는 짧은 작업을 먼저 처리한다.\n",
    "os/deadlock.md": "# 교착 상태\n\n두 프로세스가 서로의 자원을 기다리며 멈춘다.\n",
    "web/cors.md": "# CORS 설정\n\n다른 출처의 요청을 허용하려면 응답 헤더를 설정한다.\n",
}
# The same the other way round: an English note, and a Korean one that glosses its term.
ENGLISH_TITLED = {
    "os/convoy.md": "# Convoy Effect\n\nOne long job holds the CPU while the short jobs wait "
    "behind it, one after another. Common with first come, first served.\n",
    "os/scheduling.md": "# 스케줄링 알고리즘\n\nFCFS는 먼저 온 순서대로 처리하므로 "
    "Convoy Effect(호위 효과)가 생긴다. SJF는 짧은 작업을 먼저 처리한다.\n",
    "os/deadlock.md": "# Deadlock\n\nTwo processes wait for each other's resources forever.\n",
    "web/cors.md": "# CORS\n\nAllow requests from another origin with response headers.\n",
}


def best_title(index: Index, question: str) -> str | None:
    best = index.search(question).best
    return best.entry.title if best else None


def index_of(folder: Path, files: dict[str, str], in_artifact: bool) -> Index:
    """The notes' index as the bot searches it: built in memory, or written and opened as the
    artifact a cold process reads."""
    kb = build_kb(notes(folder / "notes", files))
    if not in_artifact:
        return Index(kb.entries)
    artifact.write(kb, folder / "kb.sqlite")
    return artifact.open_index(folder / "kb.sqlite")


@pytest.mark.parametrize("in_artifact", [False, True])
def test_an_english_question_finds_a_korean_note_through_a_gloss_in_another_note(
    tmp_path: Path, in_artifact: bool
) -> None:
    index = index_of(tmp_path, KOREAN_TITLED, in_artifact)
    assert best_title(index, "what is the convoy effect?") == "호위 효과"
    assert best_title(index, "convoy effect") == "호위 효과"


@pytest.mark.parametrize("in_artifact", [False, True])
def test_a_korean_question_finds_an_english_note_through_a_gloss_in_another_note(
    tmp_path: Path, in_artifact: bool
) -> None:
    index = index_of(tmp_path, ENGLISH_TITLED, in_artifact)
    assert best_title(index, "호위 효과가 뭐야?") == "Convoy Effect"
    assert best_title(index, "호위효과") == "Convoy Effect"


def test_a_phrase_read_past_its_boundary_is_not_a_gloss(tmp_path: Path) -> None:
    """Only as many Korean words as the English has, with no particle or verb ending: "위한
    복제(replication)" glosses 복제; an acronym glosses a noun phrase of a word a letter, and a
    page number or an identifier is no English term."""
    kb = build_kb(
        notes(
            tmp_path / "notes",
            {
                "db.md": "# 복제\n\n읽기 확장을 위한 복제(replication)를 설정한다. 톰캣은 "
                "애플리케이션 서버(WAS)이다. 자세한 설정은 책의 설정 방법(p83)을 본다. "
                "예외(IllegalStateException)가 나면 다시 한다.\n",
                "web.md": "# 웹 서버\n\n정적 파일을 준다.\n",
            },
        )
    )
    store = MemoryStore(kb.entries, field_weights(TUNING))
    assert store.glosses("replication") == ("복제",)
    assert store.glosses("복제") == ("replication",)
    for noise in ("위한복제", "was", "서버", "애플리케이션서버", "p83", "illegalstateexception"):
        assert store.glosses(noise) == (), noise
    assert best_title(Index(kb.entries), "WAS") != "웹 서버"


def test_an_artifact_without_glosses_is_refused_with_the_rebuild_hint(tmp_path: Path) -> None:
    """A KB written before glosses were mined (format 4) would answer without them: it is out
    of date, and says so in one line."""
    path = tmp_path / "kb.sqlite"
    artifact.write(build_kb(notes(tmp_path / "notes", KOREAN_TITLED)), path)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE glosses")
        db.execute("UPDATE meta SET value = '4' WHERE key = 'format_version'")
    db.close()
    with pytest.raises(artifact.OldFormat) as refused:
        artifact.open_store(path)
    message = str(refused.value)
    assert "\n" not in message and str(path) in message
    assert "format 4" in message and "rebuild it with `python -m knowledge build`" in message

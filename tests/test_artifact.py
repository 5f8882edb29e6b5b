"""The KB artifact: the same answers as the index built in memory, and broken files refused."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from bench.dev_set import load_dev_queries
from bot.cli_ask import ANNOUNCE_NOTES
from bot.wsgi import TilWsgi, build_from_environment
from knowledge import artifact
from knowledge.loader import CACHE_KEEP, NOTES_DIR, build_kb, default_index
from knowledge.models import KnowledgeBase
from knowledge.search import Answer, Index
from tests.conftest import SIGNING_SECRET
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner
from tests.test_history import commit

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def answer_of(answer: Answer) -> tuple[object, ...]:
    """Everything a user sees of an answer."""
    return (
        [(m.entry.id, m.score) for m in answer.matches],
        [e.id for e in answer.suggestions],
        answer.unmatched,
        answer.terms,
    )


def typed_like_people(titles: list[str], rng: random.Random) -> list[str]:
    """Queries made from titles the ways bench/corpora.py asks them: exact, squashed, with a
    swap of two letters, as a question, and only the first words."""
    out = []
    for title in titles:
        words = title.split()
        cut = rng.randrange(max(len(title) - 1, 1))
        swapped = title[:cut] + title[cut + 1 : cut + 2] + title[cut : cut + 1] + title[cut + 2 :]
        out += [title, "".join(words), swapped, f"{title} 뭐야?", " ".join(words[:2])]
    return out


def assert_same_answers(kb: KnowledgeBase, queries: list[str], tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    artifact.write(kb, path)
    built, opened = Index(kb.entries), artifact.open_index(path)
    for query in queries:
        assert answer_of(opened.search(query)) == answer_of(built.search(query)), query


def test_the_artifact_answers_the_dev_set_as_the_index_built_in_memory(tmp_path: Path) -> None:
    kb = build_kb(NOTES_DIR)
    queries = [q.query for q in load_dev_queries()]
    queries += typed_like_people([e.title for e in kb.entries], random.Random(3))
    assert_same_answers(kb, queries, tmp_path)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
@pytest.mark.parametrize("name", ["leeky940926__dev-log", "1yangsh__TIL"])
def test_the_artifact_answers_a_corpus_as_the_index_built_in_memory(
    name: str, tmp_path: Path
) -> None:
    kb = build_kb(CORPORA / name)
    rng = random.Random(7)
    titles = rng.sample([e.title for e in kb.entries], 80)
    assert_same_answers(kb, typed_like_people(titles, rng), tmp_path)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
def test_building_the_same_notes_twice_gives_the_same_file(tmp_path: Path) -> None:
    # Separate processes with other string hashes: nothing may depend on set or dict order;
    # nor on how many processes shared the build (three runs of entries merged, or one).
    notes = CORPORA / "leeky940926__dev-log"
    for seed, workers in (("1", "1"), ("2", "3")):
        done = subprocess.run(
            [sys.executable, "-m", "knowledge", "build", "--notes", str(notes),
             "--out", str(tmp_path / f"kb{seed}.sqlite"), "--workers", workers],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "kb1.sqlite").read_bytes() == (tmp_path / "kb2.sqlite").read_bytes()


def test_entries_read_from_the_artifact_are_the_built_entries(tmp_path: Path) -> None:
    kb = build_kb(NOTES_DIR)
    path = tmp_path / "kb.sqlite"
    artifact.write(kb, path)
    built, opened = Index(kb.entries), artifact.open_index(path)
    assert list(opened.entries) == kb.entries and len(opened.entries) == len(kb.entries)
    assert opened.entries[-1] == kb.entries[-1] and opened.entries[1:3] == kb.entries[1:3]
    assert opened.categories() == built.categories()
    assert opened.get(kb.entries[5].id) == kb.entries[5] and opened.get("nope") is None
    assert opened.random(random.Random(1)) == built.random(random.Random(1))


def broken_copies(good: Path, folder: Path) -> dict[str, Path]:
    """A built artifact damaged the ways a file on disk or in S3 gets damaged."""
    data = good.read_bytes()
    files = {
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "bytes": bytes(range(256)) * 64,
        "json": build_kb(NOTES_DIR).to_json().encode(),
        "header": data[:16] + b"\xff" * 84 + data[100:],
    }
    out = {name: folder / f"{name}.sqlite" for name in files}
    for name, content in files.items():
        out[name].write_bytes(content)
    foreign = folder / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (x)")
    db.close()
    old = folder / "old.sqlite"
    old.write_bytes(data)
    with sqlite3.connect(old) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'format_version'")
    db.close()
    return {**out, "foreign": foreign, "old": old}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("broken")
    good = folder / "good.sqlite"
    artifact.write(build_kb(NOTES_DIR), good)
    return broken_copies(good, folder)


@pytest.mark.parametrize(
    "kind", ["truncated", "empty", "bytes", "json", "header", "foreign", "old"]
)
def test_a_broken_artifact_is_refused_in_one_line_naming_the_file(
    kind: str, broken: dict[str, Path]
) -> None:
    with pytest.raises(artifact.ArtifactError) as refused:
        artifact.open_store(broken[kind])
    message = str(refused.value)
    assert str(broken[kind]) in message and "\n" not in message
    if kind in {"truncated", "json", "old"}:
        assert "rebuild it with `python -m knowledge build`" in message


def ask(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TIL_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**clean, **(env or {})},
    )  # fmt: skip


@pytest.mark.parametrize("kind", ["truncated", "old"])
def test_the_cli_says_so_in_one_line_and_answers_from_the_bundled_kb(
    kind: str, broken: dict[str, Path]
) -> None:
    for done in (
        ask("--kb", str(broken[kind]), "도커"),
        ask("도커", env={"TIL_KB": str(broken[kind])}),
    ):
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("# Docker")
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(broken[kind]) in lines[0], done.stderr
        assert "answering from the bundled KB" in lines[0]


def test_a_bundled_kb_from_an_earlier_tilbot_is_read_from_its_notes_without_a_warning(
    tmp_path: Path, broken: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    """knowledge/kb.sqlite is a build product beside its notes: after an upgrade it is out of
    date as an edited note makes it, and the notes answer without a warning at every start;
    a damaged one is still named. Without the notes, an old one is refused."""
    notes = Path(shutil.copytree(NOTES_DIR, tmp_path / "notes"))
    caplog.set_level(logging.WARNING)
    assert default_index(notes, broken["old"]).search("도커").best is not None
    assert caplog.records == []
    assert default_index(notes, broken["truncated"]).search("도커").best is not None
    assert [str(broken["truncated"]) in r.getMessage() for r in caplog.records] == [True]
    with pytest.raises(artifact.ArtifactError):
        default_index(tmp_path / "no notes", broken["old"])


def test_damage_inside_a_file_of_the_right_size_is_one_line_when_a_question_meets_it(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.sqlite"
    artifact.write(build_kb(NOTES_DIR), good)
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(2 * page, len(data), page):  # every page but the header's, scribbled on
        data[start + 40 : start + 240] = random.Random(start).randbytes(200)
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(data))
    artifact.open_store(damaged)  # the size is right: opening does not read every page

    done = ask("--kb", str(damaged), "도커")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert str(damaged) in line and "is damaged" in line
    assert "rebuild it with `python -m knowledge build`" in line


def test_the_server_says_so_in_one_line_and_answers_from_the_bundled_kb(
    slack_env: None,
    monkeypatch: pytest.MonkeyPatch,
    fake_slack: FakeSlack,
    broken: dict[str, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("TIL_KB", str(broken["truncated"]))
    caplog.set_level(logging.WARNING)
    side = SlackSide(TilWsgi(build_from_environment), SlackSigner(SIGNING_SECRET), fake_slack)
    assert "Docker" in side.command("docker").text()
    refused = [r for r in caplog.records if str(broken["truncated"]) in r.getMessage()]
    assert len(refused) == 1 and "\n" not in refused[0].getMessage()
    assert refused[0].exc_info is None  # one line, no traceback


def test_asking_about_notes_again_opens_the_cached_artifact(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "vim.md").write_text("# Delete A Line\n\nUse `dd`.\n")
    cache = tmp_path / "cache"
    env = {"TIL_KB_CACHE": str(cache)}

    def titles() -> list[str]:
        done = ask("--json", "--notes", str(notes), "delete a line", env=env)
        assert done.returncode == 0 and not done.stderr, done.stderr
        return [m["title"] for m in json.loads(done.stdout)["matches"]]

    assert titles() == ["Delete A Line"]
    (cached,) = cache.glob("notes-*.sqlite")
    built_at = cached.stat().st_mtime_ns
    assert titles() == ["Delete A Line"]
    assert list(cache.glob("notes-*.sqlite")) == [cached]
    assert cached.stat().st_mtime_ns == built_at  # opened, not built again

    (notes / "vim.md").write_text("# Delete A Line Backwards\n\nUse `d0`.\n")
    assert titles() == ["Delete A Line Backwards"]  # other notes, another artifact
    assert len(list(cache.glob("notes-*.sqlite"))) == 2


def test_a_large_folder_read_the_first_time_is_announced_and_not_the_next(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(ANNOUNCE_NOTES):
        (notes / f"note{n}.md").write_text(f"# Note {n}\n\nbody {n}\n")
    env = {"TIL_KB_CACHE": str(tmp_path / "cache")}
    first = ask("--notes", str(notes), "note 7", env=env)
    assert first.returncode == 0 and f"reading {ANNOUNCE_NOTES} notes in" in first.stderr
    again = ask("--notes", str(notes), "note 7", env=env)
    assert again.returncode == 0 and not again.stderr and again.stdout == first.stdout


def test_the_cached_notes_follow_their_git_history(tmp_path: Path) -> None:
    repo = tmp_path / "til"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(repo, {"docker.md": "Docker"}, "2024-01-05T10:00:00", "Kim")
    env = {"TIL_KB_CACHE": str(tmp_path / "cache")}

    def edited() -> str:
        done = ask("--json", "--notes", str(repo), "docker", env=env)
        assert done.returncode == 0 and not done.stderr, done.stderr
        return str(json.loads(done.stdout)["matches"][0]["edited"])

    assert edited() == "2024-01-05"
    # The same bytes committed again later: only the history changed, and the answer shows it.
    amend = {**os.environ, "GIT_COMMITTER_DATE": "2024-03-02T09:00:00"}
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--amend", "--no-edit",
         "--date", "2024-03-02T09:00:00"],
        check=True, env=amend,
    )  # fmt: skip
    assert edited() == "2024-03-02"


def test_the_cache_keeps_only_the_latest_builds(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    cache = tmp_path / "cache"
    for n in range(CACHE_KEEP + 2):
        (notes / "vim.md").write_text(f"# Delete Line {n}\n\nUse `dd`.\n")
        done = ask("--json", "--notes", str(notes), "delete line", env={"TIL_KB_CACHE": str(cache)})
        assert json.loads(done.stdout)["matches"][0]["title"] == f"Delete Line {n}"
    assert len(list(cache.glob("notes-*.sqlite"))) == CACHE_KEEP


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
def test_a_build_shared_by_workers_shows_every_entry_on_the_progress_bar(tmp_path: Path) -> None:
    kb = build_kb(CORPORA / "leeky940926__dev-log")
    shown: list[int] = []

    def bar(items: Iterable[int], total: int) -> Iterator[int]:
        assert total == len(kb.entries)
        for item in items:
            shown.append(item)
            yield item

    alone, shared = tmp_path / "alone.sqlite", tmp_path / "shared.sqlite"
    artifact.write(kb, alone)
    artifact.write(kb, shared, bar, workers=2)
    # The bar reached its total, no further; and the workers built the same file.
    assert len(shown) == len(kb.entries)
    assert shared.read_bytes() == alone.read_bytes()

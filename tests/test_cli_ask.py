"""`python -m bot ask` as people and scripts run it: a real subprocess, real notes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ask(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        cwd=ROOT,
        input=stdin.decode("latin-1") if isinstance(stdin, bytes) else stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ask_prints_the_best_entry_with_its_source_and_other_candidates():
    done = ask("도커")
    assert done.returncode == 0, done.stderr
    first_line = done.stdout.splitlines()[0]
    assert first_line == "# Docker"
    assert "컨테이너라는 표준화된 유닛" in done.stdout
    assert "TIL-9-1-9-15.md:197" in done.stdout
    assert "Docker 작동방식" in done.stdout.split("다른 후보")[1]


def test_ask_names_the_words_no_note_mentions():
    done = ask("git rebase")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "(노트에 없는 단어 / not in any note: rebase)"
    assert "not in any note" not in ask("git reset").stdout


def test_ask_says_when_the_answer_is_not_a_sure_match():
    unsure = ask("파이썬 가상환경 만들기")
    assert unsure.returncode == 0, unsure.stderr
    assert (
        unsure.stdout.splitlines()[1]
        == "(확실하지 않아요: 일부만 맞거나 언급만 해요 / not a sure match)"
    )
    assert "not a sure match" not in ask("도커").stdout
    assert json.loads(ask("--json", "파이썬 가상환경 만들기").stdout)["sure"] is False
    assert json.loads(ask("--json", "도커").stdout)["sure"] is True
    # Nothing found is nothing to be sure of (a client reading only "sure" must not trust it).
    nothing = json.loads(ask("--json", "주말 날씨").stdout)
    assert nothing["matches"] == [] and nothing["sure"] is False


def test_ask_answers_a_greeting_or_thanks_in_kind_as_slack_does():
    hello = ask("안녕하세요")
    assert hello.returncode == 0, hello.stderr
    assert hello.stdout.startswith("안녕하세요!") and "찾지 못했어요" not in hello.stdout
    assert "예 (e.g.): " in hello.stdout
    assert ask("고마워요 :pray:").stdout.startswith("천만에요!")
    # JSON keeps its contract: nothing matched, nothing to be sure of.
    assert json.loads(ask("--json", "hi").stdout)["matches"] == []


def test_ask_json_has_the_contract_fields():
    done = ask("--json", "zappa란?")
    data = json.loads(done.stdout)
    assert data["query"] == "zappa란?"
    assert data["matches"][0]["title"] == "Zappa"
    # Fields may be added to the contract, never removed.
    assert {"id", "title", "score", "source"} <= set(data["matches"][0])
    assert data["matches"][0]["kind"] == "topic"
    assert data["matches"][0]["document"] == "TIL 9-1 ~ 9-15"
    assert data["matches"][0]["source"] == "TIL-9-1-9-15.md:30"
    assert 1 <= len(data["matches"]) <= 5


def test_ask_json_reads_queries_from_stdin_one_object_per_line_in_order():
    done = ask("--json", "-", stdin="ㅎㄱ ㅅㅌ\n주말 날씨\nsqlalchemyy\n")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["ㅎㄱ ㅅㅌ", "주말 날씨", "sqlalchemyy"]
    assert lines[0]["matches"][0]["title"] == "새로 받은 프로젝트 환경 셋팅"
    assert lines[1]["matches"] == []
    assert lines[2]["matches"][0]["title"] == "SQLAlchemy"


def test_nothing_found_is_said_plainly_with_suggestions():
    done = ask("react 상태관리")
    assert done.returncode == 0
    assert "찾지 못했어요" in done.stdout and "Traceback" not in done.stderr


def test_empty_query_prints_usage_and_fails():
    done = ask()
    assert done.returncode == 2
    assert "usage: python -m bot ask" in done.stderr and "Traceback" not in done.stderr
    assert ask("   ").returncode == 2


def test_binary_junk_and_huge_queries_do_not_crash():
    assert ask("--json", "-", stdin=bytes(range(1, 256)) + b"\n").returncode == 0
    done = ask("--json", "도커 " * 14_000)  # ~100 kB, under the 128 kB argv limit
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_notes_option_answers_from_another_folder(tmp_path):
    (tmp_path / "vim").mkdir()
    (tmp_path / "vim" / "delete-line.md").write_text("# Delete A Line\n\nUse `dd`.\n")
    done = ask("--json", "--notes", str(tmp_path), "delete a line")
    assert json.loads(done.stdout)["matches"][0]["source"] == "vim/delete-line.md:1"
    missing = ask("--notes", str(tmp_path / "nope"), "x")
    assert missing.returncode == 2 and "no notes at" in missing.stderr
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "todo.md").write_text("\n\n")
    hollow = ask("--notes", str(tmp_path / "drafts"), "x")
    assert hollow.returncode == 2 and "damaged" not in hollow.stderr
    assert "no note in" in hollow.stderr and "todo.md:1: warning: no content found" in hollow.stderr


def test_control_characters_in_notes_and_file_names_never_reach_the_terminal(tmp_path):
    """A backspace pasted into a file name, or an escape sequence saved in a note, would be run
    by the terminal (clearing the screen, recolouring it), not shown: the answer has neither,
    and the title read from the file name is the name as it looks."""
    (tmp_path / "\x08젠킨스 파이프라인.md").write_text("파이프라인을 코드로 적는다.\n")
    (tmp_path / "색깔.md").write_text("# 색깔 \x1b[2J바꾸기\n\n빨강\x1b[31m 글자\x07 끝\x0c다음\n")
    pipeline = ask("--notes", str(tmp_path), "젠킨스 파이프라인")
    assert pipeline.stdout.startswith("# 젠킨스 파이프라인\n")
    colour = ask("--notes", str(tmp_path), "색깔 바꾸기")
    assert (
        colour.stdout.startswith("# 색깔 [2J바꾸기\n") and "빨강[31m 글자 끝 다음" in colour.stdout
    )
    listed = ask("--json", "--notes", str(tmp_path), "젠킨스 파이프라인")
    assert json.loads(listed.stdout)["matches"][0]["title"] == "젠킨스 파이프라인"
    for done in (pipeline, colour):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", done.stdout + done.stderr)


def test_dashed_words_are_part_of_the_question_without_quotes():
    done = ask("--json", "git", "push", "-f")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["query"] == "git push -f"
    after = ask("git", "reset", "--hard", "--json")  # our own option still works anywhere
    assert json.loads(after.stdout)["query"] == "git reset --hard"


def test_json_names_unmatched_words_and_suggestions():
    data = json.loads(ask("--json", "git rebase").stdout)
    assert data["unmatched"] == ["rebase"] and data["matches"]
    nothing = json.loads(ask("--json", "도커컨테이너오케스트레이션").stdout)
    for key in ("query", "matches", "unmatched", "suggestions"):
        assert key in nothing
    for suggestion in nothing["suggestions"]:
        assert set(suggestion) == {"id", "title", "source"}


def test_questions_from_stdin_in_text_each_head_their_answer():
    done = ask("-", stdin="도커\n\ngit reset\n")
    assert done.returncode == 0, done.stderr
    parts = done.stdout.split("=== ")
    assert [p.splitlines()[0] for p in parts[1:]] == ["도커", "git reset"]
    assert "# Docker" in parts[1] and "출처" in parts[2]


def test_crlf_lines_are_stripped_and_a_blank_line_gets_an_empty_result():
    done = ask("--json", "-", stdin="도커\r\n\r\nzappa\r\n")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["도커", "", "zappa"]
    assert lines[0]["matches"][0]["title"] == "Docker"
    assert lines[1] == {
        "query": "",
        "matches": [],
        "unmatched": [],
        "sure": False,
        "suggestions": [],
    }


def test_kb_option_and_the_til_environment_choose_the_notes(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "vim.md").write_text("# Delete A Line\n\nUse `dd`.\n")
    kb = tmp_path / "kb.sqlite"
    built = subprocess.run(
        [sys.executable, "-m", "knowledge", "build", "--notes", str(notes), "--out", str(kb)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr

    def titles(*args: str, env: dict[str, str] | None = None) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", *args, "delete a line"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return [m["title"] for m in json.loads(done.stdout)["matches"]]

    assert titles("--kb", str(kb)) == ["Delete A Line"]
    assert titles(env={"TIL_KB": str(kb)}) == ["Delete A Line"]
    assert titles(env={"TIL_NOTES": str(notes)}) == ["Delete A Line"]
    assert titles() == []  # the bundled notes have no such entry
    broken = tmp_path / "broken.json"
    broken.write_text("{}")
    done = ask("--kb", str(broken), "도커")  # one line on what is wrong, then the bundled KB
    assert done.returncode == 0 and done.stdout.startswith("# Docker")
    assert len(done.stderr.strip().splitlines()) == 1 and "older tilbot" in done.stderr
    assert "Traceback" not in done.stderr


def test_nested_list_items_keep_their_depth_in_the_terminal(tmp_path):
    long_point = " ".join(["retry하면 같은 레코드가 두 번 적재될 수 있다"] * 4)
    (tmp_path / "kafka.md").write_text(
        "# 카프카 프로듀서\n\n"
        "- 멱등성 프로듀서\n"
        "  - 정확히 한번 전달\n"
        f"    - {long_point}\n"
        "- 트랜잭션 프로듀서\n\n"
        "```yaml\n"
        "- name: " + "x" * 100 + "\n"
        "```\n",
        encoding="utf-8",
    )
    done = ask("--notes", str(tmp_path), "카프카 프로듀서")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "- 멱등성 프로듀서" in lines
    assert "  - 정확히 한번 전달" in lines
    deepest = next(i for i, line in enumerate(lines) if line.startswith("    - retry"))
    # The long sub-point folds, and its next line hangs under its text, not at the margin;
    # folded to 88 columns as the terminal shows them, a Hangul syllable taking two.
    assert lines[deepest + 1].startswith("      ") and lines[deepest + 1].strip()
    for line in lines[deepest : deepest + 3]:
        assert sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in line) <= 88, line
    assert "- 트랜잭션 프로듀서" in lines
    # A code line is shown whole, however long.
    assert "    - name: " + "x" * 100 in lines


def test_an_answer_that_starts_with_code_keeps_its_first_lines_indent(tmp_path):
    (tmp_path / "layout.md").write_text(
        "# Layout\n\n```\nknowledge/   the library\n  search.py  the ranking\n```\n",
        encoding="utf-8",
    )
    lines = ask("--notes", str(tmp_path), "layout").stdout.splitlines()
    assert lines[2:4] == ["    knowledge/   the library", "      search.py  the ranking"]


def test_other_candidates_are_not_parts_of_the_answer_shown_above(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "querydsl fetchOne 에러.md").write_text(
        "# 상황\n\nfetchOne 이 예외를 던졌다\n\n# 원인\n\n결과가 둘\n\n# 해결\n\nfetchFirst\n",
        encoding="utf-8",
    )
    (notes / "querydsl 페이징.md").write_text("# Querydsl 페이징\n\nfetchOne 대신\n", "utf-8")
    done = ask("--notes", str(notes), "querydsl fetchOne 에러")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "# Querydsl fetchOne 에러"
    others = done.stdout.split("다른 후보")[1]
    assert "Querydsl 페이징" in others
    assert not any(f"- {part} " in others for part in ("상황", "원인", "해결"))


def test_a_long_answer_is_cut_so_its_source_stays_on_screen_unless_full(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    steps = "\n".join(f"{n}. 단계 {n} 을 실행한다" for n in range(1, 301))
    (notes / "deploy.md").write_text(f"# 배포 절차\n\n{steps}\n", encoding="utf-8")
    cut = ask("--notes", str(notes), "배포 절차")
    assert cut.returncode == 0, cut.stderr
    assert "단계 10 " in cut.stdout and "단계 300 " not in cut.stdout
    assert "--full" in cut.stdout and "deploy.md:1" in cut.stdout
    assert len(cut.stdout.splitlines()) < 80
    whole = ask("--full", "--notes", str(notes), "배포 절차")
    assert "단계 300 " in whole.stdout and "--full" not in whole.stdout


def test_other_candidates_leave_out_the_note_the_answer_is_part_of():
    """The answer is a section of a period log ("TIL 9-1 ~ 9-15 의 일부"): the log itself is no
    other candidate, as it is none on the Slack card (whose 📄 button opens it)."""
    done = ask("도커")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["# Docker", "(TIL 9-1 ~ 9-15 의 일부 / section of TIL 9-1 ~ 9-15)"]
    others = done.stdout.split("다른 후보")[1].splitlines()
    assert others[1:] and not any(line.startswith("  - TIL 9-1 ~ 9-15 ") for line in others)


def test_what_to_ask_instead_names_topics_of_the_notes_asked(tmp_path):
    """The examples after "nothing found" or a greeting are topics these notes have: a team's
    own notes never suggest our note's Docker."""
    (tmp_path / "vim.md").write_text("# Vim 매크로\n\nq로 녹화한다.\n")
    (tmp_path / "tmux.md").write_text("# tmux 세션\n\n세션을 나눈다.\n")
    for query in ("쿠버네티스 오토스케일링", "안녕하세요"):
        done = ask("--notes", str(tmp_path), query)
        assert done.returncode == 0, done.stderr
        assert "Vim 매크로" in done.stdout and "tmux 세션" in done.stdout, done.stdout
        assert "도커" not in done.stdout and "zappa" not in done.stdout


def test_a_question_read_from_stdin_heads_its_answer_without_its_control_characters():
    done = ask("-", stdin="a\x1b[31mRED\x1b[0m 도커\n")
    assert done.stdout.startswith("=== a[31mRED[0m 도커\n")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", done.stdout)


def test_notes_read_in_part_are_said_in_one_line_each_time_they_are_asked(tmp_path):
    (tmp_path / "ok.md").write_text("# Vim 매크로\n\nq로 녹화한다.\n")
    (tmp_path / "broken.md").write_text("# 깨진 노트\n\n```\n닫히지 않은 코드\n")
    for _ in range(2):  # built, then opened from the cache: said both times
        done = ask("--notes", str(tmp_path), "vim 매크로")
        assert done.stdout.startswith("# Vim 매크로")
        said = [line for line in done.stderr.splitlines() if line]
        assert said == [
            f"1 error in the notes {tmp_path}: "
            f"`python -m knowledge check --notes {tmp_path}` says where"
        ], done.stderr
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "ok.md").write_text("# Vim 매크로\n\nq로 녹화한다.\n")
    assert ask("--notes", str(clean), "vim 매크로").stderr == ""


def test_a_question_too_long_to_read_whole_is_answered_by_its_words_and_says_so():
    """A pasted log or a repeated word: search reads the start, cut between words (never "doc"
    of "docker" named as in no note), and the terminal is told, on stderr (--json stays JSON)."""
    done = ask("docker " * 2000)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "# Docker"
    assert "not in any note" not in done.stdout
    assert "only its first" in done.stderr
    answer = json.loads(ask("--json", "git rebase " * 100).stdout)
    assert answer["unmatched"] == ["rebase"]
    assert "only its first" not in ask("도커").stderr

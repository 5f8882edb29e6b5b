"""A question that names a day finds the notes of that day (`knowledge.dates`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import artifact, dates
from knowledge.loader import build_kb, load_index
from knowledge.search import Index

ROOT = Path(__file__).resolve().parent.parent

# Daily logs as bootcamps and study groups keep them: a README per day titled by its date, a
# file named for its day, and a topic (JDBC) learned on two different days.
DAYS = {
    "DAY31/README.md": """# 2022.10.05. WED 📅

## 1. JDBC 연결 ✔
DriverManager로 Connection을 얻는다.

## 2. 데이터 삭제 ✔
DELETE 문으로 행을 지운다.
""",
    "DAY32/README.md": """# 2022.10.06. THU 📅

## 1. JDBC 트랜잭션 ✔
setAutoCommit(false)로 묶는다.

## 2. CSS 선택자 ✔
클래스와 아이디 선택자.
""",
    "2023-03-14.md": """# Redis 캐시 만료

TTL을 정하면 키가 만료된다.
""",
    # A month's retrospective, written on the first of the next month and titled by its month.
    "retro/20190301.md": """# 2019 2월 회고

2월에 한 일.
""",
    "retro/20190401.md": """# 2019 3월 회고

3월에 한 일.
""",
    "docker.md": """# Docker 볼륨

컨테이너가 지워져도 데이터가 남는다. 2022년 10월 5일 기준 문서.
""",
}


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("days")
    for name, text in DAYS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["built", "artifact"])
def index(request: pytest.FixtureRequest, days: Path, tmp_path_factory: pytest.TempPathFactory):
    kb = build_kb(days)
    if request.param == "built":
        return Index(kb.entries)
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    artifact.write(kb, path)
    return artifact.open_index(path)


def titles(index: Index, query: str) -> list[str]:
    return [m.entry.title for m in index.search(query).matches]


@pytest.mark.parametrize(
    "query",
    ["10월 5일에 배운 거", "2022년 10월 5일", "2022-10-05 뭐 했지", "what did I learn on Oct 5?"],
)
def test_a_day_named_any_way_finds_that_days_note_first(index: Index, query: str) -> None:
    answer = index.search(query)
    assert answer.matches and answer.matches[0].entry.title == "2022.10.05. WED 📅", query
    assert answer.sure and not answer.unmatched, query
    # Its sections come next; nothing of another day is asked for.
    assert "2022.10.06. THU 📅" not in titles(index, query)[:3]


def test_a_day_and_a_topic_find_that_days_part_on_the_topic(index: Index) -> None:
    assert titles(index, "10월 5일 JDBC")[0] == "1. JDBC 연결 ✔"
    assert titles(index, "10월 6일 JDBC")[0] == "1. JDBC 트랜잭션 ✔"
    # Without a day, JDBC is both days' parts alike: the day is what told them apart.
    assert set(titles(index, "JDBC")[:2]) == {"1. JDBC 연결 ✔", "1. JDBC 트랜잭션 ✔"}


def test_a_day_named_is_a_condition_not_one_word_among_others(index: Index) -> None:
    # CSS 선택자 was learned on October 6: asked with October 5, it is no answer; that day's
    # note is, not sure, as a question half of whose words it lacks.
    answer = index.search("10월 5일 선택자")
    assert [m.entry.title for m in answer.matches] == ["2022.10.05. WED 📅"]
    assert not answer.sure


def test_a_note_named_for_its_day_is_found_by_the_day(index: Index) -> None:
    assert titles(index, "3월 14일")[0] == "Redis 캐시 만료"
    assert titles(index, "March 14, 2023")[0] == "Redis 캐시 만료"


def test_a_month_finds_the_days_of_that_month(index: Index) -> None:
    found = titles(index, "2022년 10월에 배운 것")
    assert set(found[:2]) == {"2022.10.05. WED 📅", "2022.10.06. THU 📅"}


@pytest.mark.parametrize("query", ["2019년 3월 회고", "2019 3월 회고", "March 2019"])
def test_a_title_that_names_a_month_is_found_by_it(index: Index, query: str) -> None:
    # Written on April 1 about March: the month its title names is what it is found by.
    assert titles(index, query)[0] == "2019 3월 회고"


def test_a_day_no_note_has_is_named_back_as_not_found(index: Index) -> None:
    # No note of that day: nothing is made up from its figures, and the day is named back.
    answer = index.search("12월 25일에 배운 거")
    assert not answer.matches and answer.unmatched == ["12-25"]
    answer = index.search("2022년 12월 25일 redis")
    assert titles(index, "2022년 12월 25일 redis") == ["Redis 캐시 만료"]
    assert answer.unmatched == ["2022-12-25"] and not answer.sure
    # A date in a body is text, as it was: the note that mentions it is not of that day.
    assert "Docker 볼륨" not in titles(index, "10월 5일")[:3]


def test_a_period_log_is_found_by_any_day_of_its_period() -> None:
    # Our own note is a log of September 1-15, with no year.
    index = load_index()
    for query in ("9월 3일에 배운 거", "2021년 9월 15일", "Sep 7"):
        assert titles(index, query)[0] == "TIL 9-1 ~ 9-15", query
    assert not index.search("9월 20일").matches


@pytest.mark.parametrize(
    "text",
    [
        "python 3.10.5 설치",
        "10/5 TIL",
        "v1.2.3",
        "10-5",
        "redis 6.2",
        "2월 30일",
        "1.5배",
        "v2.2019 3월",
    ],
)
def test_versions_fractions_and_impossible_days_are_not_dates(text: str) -> None:
    assert dates.read(text) == (text, [])


def test_the_terminal_answers_a_day_from_notes(days: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--notes", str(days), "10월 6일 CSS"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "# 2. CSS 선택자 ✔"

"""The same behaviour, checked against every Store implementation (SQLite, DynamoDB on moto)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.sqlite_store import SQLiteStore
from bot.store import (
    CLAIM_LEASE_SECONDS,
    QUESTION_TTL_SECONDS,
    ChoiceCounts,
    Claim,
    Outcome,
    Question,
    Rotation,
    SavedNote,
    Store,
    WeekStats,
)


class Clock:
    """A hand-moved clock, so TTL and lease expiry are tested without sleeping."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite-memory", "sqlite-file", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: Clock, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite-memory":
        s = SQLiteStore(":memory:", clock=clock)
        yield s
        s.close()
    elif request.param == "sqlite-file":
        s = SQLiteStore(tmp_path / "state" / "tilbot.sqlite3", clock=clock)
        yield s
        s.close()
    else:
        from tests.aws_fixtures import dynamo_store

        yield dynamo_store(request, clock)


def test_an_event_is_claimed_once_until_its_ttl_expires(store: Store, clock: Clock) -> None:
    assert store.claim_event("Ev1", ttl_seconds=60) is True
    assert store.claim_event("Ev1", ttl_seconds=60) is False  # Slack's retry of the same event
    assert store.claim_event("Ev2", ttl_seconds=60) is True
    clock.now += 61
    assert store.claim_event("Ev1", ttl_seconds=60) is True


def test_subscribe_and_unsubscribe_report_whether_anything_changed(store: Store) -> None:
    assert store.subscriptions() == []
    assert store.subscribe("C2") is True
    assert store.subscribe("C1") is True
    assert store.subscribe("C1") is False
    assert sorted(store.subscriptions()) == ["C1", "C2"]
    assert store.unsubscribe("C1") is True
    assert store.unsubscribe("C1") is False
    assert store.subscriptions() == ["C2"]


def test_a_released_event_can_be_claimed_again(store: Store) -> None:
    assert store.claim_event("Ev1") is True
    store.release_event("Ev1")  # its answer never reached Slack
    assert store.claim_event("Ev1") is True
    assert store.claim_event("Ev1") is False
    store.release_event("Ev-never-claimed")  # harmless


def test_rotation_round_trips_per_channel(store: Store) -> None:
    assert store.get_rotation("C1") == Rotation()
    store.save_rotation("C1", Rotation(cycle=2, shown=["a", "b"]))
    assert store.get_rotation("C1") == Rotation(cycle=2, shown=["a", "b"])
    assert store.get_rotation("C2") == Rotation()


def test_a_day_is_claimed_once_per_channel(store: Store) -> None:
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN
    assert store.claim_day("C2", "2024-09-02") is Claim.FRESH
    store.confirm_day("C1", "2024-09-02", Rotation(shown=["a"]))
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN
    assert store.claim_day("C1", "2024-09-03") is Claim.FRESH


def test_a_released_day_can_be_claimed_again(store: Store) -> None:
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH
    store.release_day("C1", "2024-09-02")
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH


def test_a_day_released_unsure_is_claimed_again_to_be_checked(store: Store) -> None:
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH
    store.release_day("C1", "2024-09-02", unsure=True)  # the post timed out: maybe it is out
    assert store.claim_day("C1", "2024-09-02") is Claim.RECHECK
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN  # the re-check run holds it now
    store.confirm_day("C1", "2024-09-02", Rotation(shown=["a"]))
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN


def test_releasing_does_not_undo_a_confirmed_post(store: Store) -> None:
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH
    store.confirm_day("C1", "2024-09-02", Rotation(shown=["a"]))
    store.release_day("C1", "2024-09-02")
    store.release_day("C1", "2024-09-02", unsure=True)
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN


def test_only_a_stale_pending_claim_can_be_taken_over(store: Store, clock: Clock) -> None:
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH
    clock.now += CLAIM_LEASE_SECONDS - 1
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN  # its run may still be posting
    clock.now += 2
    # Its run died, maybe after Slack accepted the post: the taker must look first.
    assert store.claim_day("C1", "2024-09-02") is Claim.RECHECK
    store.confirm_day("C1", "2024-09-02", Rotation(shown=["a"]))
    clock.now += 10 * CLAIM_LEASE_SECONDS
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN  # posted stays posted


def test_confirm_saves_the_rotation_with_the_day(store: Store) -> None:
    store.save_rotation("C1", Rotation(cycle=1, shown=["a"]))
    assert store.claim_day("C1", "2024-09-02") is Claim.FRESH
    assert store.get_rotation("C1") == Rotation(cycle=1, shown=["a"])  # claiming keeps it
    store.confirm_day("C1", "2024-09-02", Rotation(cycle=1, shown=["a", "b"]))
    assert store.get_rotation("C1") == Rotation(cycle=1, shown=["a", "b"])
    store.save_rotation("C1", Rotation(cycle=2, shown=[]))
    assert store.claim_day("C1", "2024-09-02") is Claim.TAKEN  # saving a rotation keeps the day


def test_feedback_counts_one_vote_per_user(store: Store) -> None:
    assert store.feedback("docker-1") == (0, 0)
    assert store.add_feedback("docker-1", "U1", 1) == (1, 0)
    assert store.add_feedback("docker-1", "U2", 1) == (2, 0)
    assert store.add_feedback("docker-1", "U1", 1) == (2, 0)  # a double click counts once
    assert store.add_feedback("docker-1", "U1", -1) == (1, 1)  # changing one's mind
    assert store.add_feedback("git-1", "U1", -1) == (0, 1)
    assert store.feedback("docker-1") == (1, 1)


def test_concurrent_claims_of_one_event_let_exactly_one_through(store: Store) -> None:
    results: list[bool] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        try:
            results.append(store.claim_event("EvRace"))
        except Exception as exc:  # shown in the assertion, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False] * 7 + [True]


def test_sqlite_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "tilbot.sqlite3"
    first = SQLiteStore(path)
    first.subscribe("C1")
    first.claim_day("C1", "2024-09-02")
    first.confirm_day("C1", "2024-09-02", Rotation(shown=["a"]))
    first.close()
    second = SQLiteStore(path)
    assert second.subscriptions() == ["C1"]
    assert second.get_rotation("C1") == Rotation(shown=["a"])
    assert second.claim_day("C1", "2024-09-02") is Claim.TAKEN
    second.close()


# -- the question log, the week's numbers, learned choices --------------------------------

DAY = 24 * 3600


def asked(clock: Clock, text: str, outcome: Outcome = Outcome.UNANSWERED) -> Question:
    return Question(text, text.lower(), "C1", clock.now, outcome)


def test_a_question_is_logged_once_per_dedupe_key_and_day(store: Store, clock: Clock) -> None:
    start = clock.now
    assert store.log_question(asked(clock, "React 상태관리"), "alice-react") is True
    assert store.log_question(asked(clock, "React 상태관리"), "alice-react") is False  # again
    assert store.log_question(asked(clock, "React 상태관리"), "bob-react") is True
    clock.now += DAY
    assert store.log_question(asked(clock, "React 상태관리"), "alice-react") is True  # next day
    logged = store.questions(since=start)
    assert [q.query for q in logged] == ["React 상태관리"] * 3
    assert logged[0] == Question(
        "React 상태관리", "react 상태관리", "C1", start, Outcome.UNANSWERED
    )
    assert [q.at for q in store.questions(since=start + 1)] == [start + DAY]


def test_logged_questions_expire_after_90_days(store: Store, clock: Clock) -> None:
    start = clock.now
    store.log_question(asked(clock, "old question"), "k1")
    clock.now += 60 * DAY  # spans two or three month partitions
    store.log_question(asked(clock, "newer question", Outcome.DOWNVOTED), "k2")
    assert [q.query for q in store.questions(since=start)] == ["old question", "newer question"]
    clock.now = start + QUESTION_TTL_SECONDS + 1
    [left] = store.questions(since=start)
    assert (left.query, left.outcome) == ("newer question", Outcome.DOWNVOTED)


def test_week_numbers_count_every_question_and_vote(store: Store, clock: Clock) -> None:
    assert store.week_stats("2026-W48") == WeekStats()
    for text, answered in [("docker", True), ("Docker", True), ("주말 날씨", False), ("git", True)]:
        store.count_question("2026-W48", answered=answered, normalized=text.lower(), query=text)
    store.count_question("2026-W48", answered=True)  # the question log is off: no text kept
    store.count_vote("2026-W48", 1)
    store.count_vote("2026-W48", -1)
    store.count_vote("2026-W48", 1)
    store.count_question("2026-W49", answered=False, normalized="x", query="x")
    stats = store.week_stats("2026-W48", top=2)
    assert (stats.asked, stats.answered, stats.up, stats.down) == (5, 4, 2, 1)
    assert stats.top_queries == [("docker", 2), ("git", 1)]  # ties in normalised order
    clock.now += QUESTION_TTL_SECONDS + 1
    assert store.week_stats("2026-W48") == WeekStats()


def test_dynamodb_week_numbers_written_before_one_write_per_question_count_once(
    request: pytest.FixtureRequest, clock: Clock
) -> None:
    """A table from before: every question in TOTALS, and a query item with only n. Questions
    asked since count in their query's item alone; the week's numbers add both, once each."""
    from tests.aws_fixtures import dynamo_store

    store = dynamo_store(request, clock)
    expires = {"N": str(int(clock.now + QUESTION_TTL_SECONDS))}
    week = {"S": "WEEK#2026-W48"}
    for sk, counts in [("TOTALS", {"asked": 3, "answered": 2}), ("QUERY#docker", {"n": 2})]:
        store._db.put_item(
            TableName=store.table,
            Item={
                "pk": week,
                "sk": {"S": sk},
                "expires_at": expires,
                **{name: {"N": str(n)} for name, n in counts.items()},
                **({"example": {"S": "Docker"}} if sk != "TOTALS" else {}),
            },
        )
    store.count_question("2026-W48", answered=True, normalized="docker", query="docker")
    store.count_question("2026-W48", answered=False, normalized="주말 날씨", query="주말 날씨")
    stats = store.week_stats("2026-W48")
    assert (stats.asked, stats.answered) == (5, 3)
    assert stats.top_queries == [("Docker", 3), ("주말 날씨", 1)]


def test_choices_count_distinct_voters_per_query_and_entry(store: Store) -> None:
    assert store.choices("react 상태관리") == {}
    store.record_choice("react 상태관리", "redux-1", "v-alice", 1)
    store.record_choice("react 상태관리", "redux-1", "v-alice", 1)  # the same user again
    store.record_choice("react 상태관리", "redux-1", "v-bob", 1)
    store.record_choice("react 상태관리", "hooks-1", "v-bob", -1)
    store.record_choice("react", "redux-1", "v-carol", 1)
    assert store.choices("react 상태관리") == {
        "redux-1": ChoiceCounts(picked=2, lowered=0),
        "hooks-1": ChoiceCounts(picked=0, lowered=1),
    }
    store.record_choice("react 상태관리", "redux-1", "v-alice", -1)  # Alice changes her mind
    assert store.choices("react 상태관리")["redux-1"] == ChoiceCounts(picked=1, lowered=1)


def test_sqlite_questions_and_choices_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "tilbot.sqlite3"
    first = SQLiteStore(path)
    first.log_question(
        Question("주말 날씨", "주말 날씨", "C1", 1_700_000_000.0, Outcome.UNANSWERED), "k"
    )
    first.record_choice("react", "redux-1", "v-alice", 1)
    first.count_question("2026-W48", answered=False, normalized="주말 날씨", query="주말 날씨")
    first.close()
    second = SQLiteStore(path, clock=lambda: 1_700_000_100.0)
    assert [q.query for q in second.questions(since=0)] == ["주말 날씨"]
    assert second.choices("react") == {"redux-1": ChoiceCounts(picked=1)}
    assert second.week_stats("2026-W48").top_queries == [("주말 날씨", 1)]
    second.close()


def test_sqlite_deletes_expired_questions_on_the_next_write(tmp_path: Path) -> None:
    clock = Clock()
    store = SQLiteStore(tmp_path / "tilbot.sqlite3", clock=clock)
    store.log_question(Question("old", "old", "C1", clock.now, Outcome.UNANSWERED), "k1")
    store.count_question("2026-W01", answered=False, normalized="old", query="old")
    clock.now += QUESTION_TTL_SECONDS + 1
    store.log_question(Question("new", "new", "C1", clock.now, Outcome.UNANSWERED), "k2")
    rows = {
        table: store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("questions", "week_totals", "week_queries")
    }
    assert rows == {"questions": 1, "week_totals": 0, "week_queries": 0}
    store.close()


# -- notes saved from Slack -------------------------------------------------------------------


def _note(note_id: str, title: str, at: float, **kw: Any) -> SavedNote:
    body = f"{title} 본문\n\n```sh\necho '<ok>'\n```"
    return SavedNote(note_id, title, body, "U0ALICE", created_at=at, updated_at=at, **kw)


def test_saved_notes_round_trip_and_change_the_version(store: Store) -> None:
    assert store.saved_notes() == [] and store.notes_version() == 0
    first = _note("n1", "Docker 볼륨 정리", 2.0, tags=["docker", "운영"], channel="C1", ts="1.2")
    second = _note("n2", "git bisect", 1.0, permalink="https://example.slack.com/p1")
    store.put_note(first)
    store.put_note(second)
    assert store.saved_notes() == [second, first]  # oldest first
    assert store.get_note("n1") == first
    v = store.notes_version()
    edited = SavedNote(**{**first.__dict__, "body": "고친 본문", "updated_at": 3.0})
    store.put_note(edited)
    assert store.get_note("n1") == edited and store.notes_version() > v
    v = store.notes_version()
    assert store.delete_note("n1") is True
    assert store.delete_note("n1") is False
    assert store.get_note("n1") is None and store.notes_version() > v
    assert [n.id for n in store.saved_notes()] == ["n2"]


def test_saves_are_limited_per_user_and_window(store: Store, clock: Clock) -> None:
    clock.now = 3600 * 1000 + 10
    assert [store.claim_save("U1", 3, 3600) for _ in range(4)] == [True, True, True, False]
    assert store.claim_save("U2", 3, 3600) is True  # another user has their own quota
    clock.now += 3600  # the next hour
    assert store.claim_save("U1", 3, 3600) is True

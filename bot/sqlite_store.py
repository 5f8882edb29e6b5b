"""The Store on one SQLite file (or ":memory:"): local runs and tests.

One connection guarded by a lock: the local server handles Slack requests on several threads, and
SQLite's own locking is per connection, so serialising here is both simpler and correct.

Tables mirror bot.dynamo_store's items: events, subscriptions, channels (rotation and the claimed
day), votes; questions (the question log, one row per dedupe key and UTC day), week_totals and
week_queries (the Home tab's numbers), choices (learned choices: one row per normalised query,
entry and voter); saved_notes (TILs saved from Slack), counters (the saved notes' version) and
save_quota (saves per user and window). Rows with an `expires_at` are deleted once it passes, on
the next write.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.store import (
    CLAIM_LEASE_SECONDS,
    QUESTION_TTL_SECONDS,
    ChoiceCounts,
    Claim,
    Outcome,
    Question,
    Rotation,
    SavedNote,
    WeekStats,
    utc_day,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (channel TEXT PRIMARY KEY, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS channels (
    channel TEXT PRIMARY KEY,
    cycle INTEGER NOT NULL DEFAULT 0,
    shown TEXT NOT NULL DEFAULT '[]',
    day TEXT,
    day_state TEXT,
    claimed_at REAL
);
CREATE TABLE IF NOT EXISTS votes (
    entry_id TEXT NOT NULL,
    user TEXT NOT NULL,
    vote INTEGER NOT NULL,
    PRIMARY KEY (entry_id, user)
);
CREATE TABLE IF NOT EXISTS questions (
    day TEXT NOT NULL,
    dedupe TEXT NOT NULL,
    at REAL NOT NULL,
    query TEXT NOT NULL,
    normalized TEXT NOT NULL,
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (day, dedupe)
);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE TABLE IF NOT EXISTS week_totals (
    week TEXT PRIMARY KEY,
    asked INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    up INTEGER NOT NULL DEFAULT 0,
    down INTEGER NOT NULL DEFAULT 0,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS week_queries (
    week TEXT NOT NULL,
    normalized TEXT NOT NULL,
    n INTEGER NOT NULL,
    example TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (week, normalized)
);
CREATE TABLE IF NOT EXISTS choices (
    normalized TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voter TEXT NOT NULL,
    vote INTEGER NOT NULL,
    PRIMARY KEY (normalized, entry_id, voter)
);
CREATE TABLE IF NOT EXISTS saved_notes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    author_name TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL DEFAULT '',
    ts TEXT NOT NULL DEFAULT '',
    permalink TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    pull_request TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS save_quota (
    user TEXT NOT NULL,
    slot INTEGER NOT NULL,
    n INTEGER NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (user, slot)
);
"""

_NOTE_COLUMNS = (
    "id, title, body, author, tags, author_name, channel, ts, permalink, created_at, "
    "updated_at, pull_request"
)


BUSY_TIMEOUT_MS = 1000


class SQLiteStore:
    remote = False

    def __init__(
        self, path: str | Path = ":memory:", clock: Callable[[], float] = time.time
    ) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._lock = threading.Lock()
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE) so check-then-write
        # sequences hold the write lock, also against other processes sharing the file.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA quick_check")  # a corrupt file fails here, not mid-request
        # Another process holding the write lock must not hold a Slack request past its 3 s.
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- Slack event dedupe ------------------------------------------------------------------

    def claim_event(self, event_id: str, ttl_seconds: int = 3600) -> bool:
        now = self._clock()
        with self._tx() as db:
            db.execute("DELETE FROM events WHERE expires_at <= ?", (now,))
            cur = db.execute(
                "INSERT OR IGNORE INTO events (id, expires_at) VALUES (?, ?)",
                (event_id, now + ttl_seconds),
            )
            return cur.rowcount == 1

    def release_event(self, event_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM events WHERE id = ?", (event_id,))

    # -- daily-tip subscriptions -------------------------------------------------------------

    def subscribe(self, channel: str) -> bool:
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO subscriptions (channel, created_at) VALUES (?, ?)",
                (channel, self._clock()),
            )
            return cur.rowcount == 1

    def unsubscribe(self, channel: str) -> bool:
        with self._tx() as db:
            cur = db.execute("DELETE FROM subscriptions WHERE channel = ?", (channel,))
            return cur.rowcount == 1

    def subscriptions(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT channel FROM subscriptions ORDER BY channel").fetchall()
        return [r[0] for r in rows]

    # -- per-channel rotation and posted day -------------------------------------------------

    def get_rotation(self, channel: str) -> Rotation:
        with self._lock:
            row = self._db.execute(
                "SELECT cycle, shown FROM channels WHERE channel = ?", (channel,)
            ).fetchone()
        if row is None:
            return Rotation()
        return Rotation(cycle=row[0], shown=json.loads(row[1]))

    def save_rotation(self, channel: str, rotation: Rotation) -> None:
        with self._tx() as db:
            self._save_rotation(db, channel, rotation)

    @staticmethod
    def _save_rotation(db: sqlite3.Connection, channel: str, rotation: Rotation) -> None:
        db.execute(
            "INSERT INTO channels (channel, cycle, shown) VALUES (?, ?, ?) "
            "ON CONFLICT (channel) DO UPDATE SET cycle = excluded.cycle, shown = excluded.shown",
            (channel, rotation.cycle, json.dumps(rotation.shown)),
        )

    def claim_day(self, channel: str, day: str) -> Claim:
        now = self._clock()
        with self._tx() as db:
            row = db.execute(
                "SELECT day, day_state, claimed_at FROM channels WHERE channel = ?", (channel,)
            ).fetchone()
            claim = Claim.FRESH
            if row is not None and row[0] == day:
                expired = row[1] == "pending" and (row[2] or 0) < now - CLAIM_LEASE_SECONDS
                if not (expired or row[1] == "unsure"):
                    return Claim.TAKEN
                claim = Claim.RECHECK
            db.execute(
                "INSERT INTO channels (channel, day, day_state, claimed_at) "
                "VALUES (?, ?, 'pending', ?) ON CONFLICT (channel) DO UPDATE SET "
                "day = excluded.day, day_state = 'pending', claimed_at = excluded.claimed_at",
                (channel, day, now),
            )
            return claim

    def release_day(self, channel: str, day: str, *, unsure: bool = False) -> None:
        with self._tx() as db:
            if unsure:
                sql = "UPDATE channels SET day_state = 'unsure' "
            else:
                sql = "UPDATE channels SET day = NULL, day_state = NULL, claimed_at = NULL "
            db.execute(
                sql + "WHERE channel = ? AND day = ? AND day_state = 'pending'", (channel, day)
            )

    def confirm_day(self, channel: str, day: str, rotation: Rotation) -> None:
        with self._tx() as db:
            self._save_rotation(db, channel, rotation)
            db.execute(
                "UPDATE channels SET day = ?, day_state = 'posted' WHERE channel = ?",
                (day, channel),
            )

    # -- feedback ----------------------------------------------------------------------------

    def add_feedback(self, entry_id: str, user: str, vote: int) -> tuple[int, int]:
        vote = 1 if vote > 0 else -1
        with self._tx() as db:
            db.execute(
                "INSERT INTO votes (entry_id, user, vote) VALUES (?, ?, ?) "
                "ON CONFLICT (entry_id, user) DO UPDATE SET vote = excluded.vote",
                (entry_id, user, vote),
            )
            return self._counts(db, entry_id)

    def feedback(self, entry_id: str) -> tuple[int, int]:
        with self._lock:
            return self._counts(self._db, entry_id)

    @staticmethod
    def _counts(db: sqlite3.Connection, entry_id: str) -> tuple[int, int]:
        up, down = db.execute(
            "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) "
            "FROM votes WHERE entry_id = ?",
            (entry_id,),
        ).fetchone()
        return int(up), int(down)

    # -- the question log and the week's numbers ---------------------------------------------

    def _purge_expired(self, db: sqlite3.Connection, now: float) -> None:
        # SQLite has no TTL: what DynamoDB drops by itself is deleted here, on every write.
        for table in ("questions", "week_totals", "week_queries"):
            db.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,))

    def log_question(self, question: Question, dedupe: str) -> bool:
        now = self._clock()
        with self._tx() as db:
            self._purge_expired(db, now)
            cur = db.execute(
                "INSERT OR IGNORE INTO questions (day, dedupe, at, query, normalized, channel, "
                "outcome, entry_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    utc_day(question.at),
                    dedupe,
                    question.at,
                    question.query,
                    question.normalized,
                    question.channel,
                    str(question.outcome),
                    question.entry_id,
                    now + QUESTION_TTL_SECONDS,
                ),
            )
            return cur.rowcount == 1

    def questions(self, since: float) -> list[Question]:
        now = self._clock()
        with self._lock:
            rows = self._db.execute(
                "SELECT query, normalized, channel, at, outcome, entry_id FROM questions "
                "WHERE at >= ? AND expires_at > ? ORDER BY at",
                (since, now),
            ).fetchall()
        return [Question(r[0], r[1], r[2], r[3], Outcome(r[4]), r[5]) for r in rows]

    def count_question(
        self, week: str, *, answered: bool, normalized: str = "", query: str = ""
    ) -> None:
        now = self._clock()
        expires = now + QUESTION_TTL_SECONDS
        with self._tx() as db:
            self._purge_expired(db, now)
            db.execute(
                "INSERT INTO week_totals (week, asked, answered, expires_at) VALUES (?, 1, ?, ?) "
                "ON CONFLICT (week) DO UPDATE SET asked = asked + 1, "
                "answered = answered + excluded.answered",
                (week, int(answered), expires),
            )
            if normalized:
                db.execute(
                    "INSERT INTO week_queries (week, normalized, n, example, expires_at) "
                    "VALUES (?, ?, 1, ?, ?) ON CONFLICT (week, normalized) DO UPDATE SET n = n + 1",
                    (week, normalized, query, expires),
                )

    def count_vote(self, week: str, vote: int) -> None:
        column = "up" if vote > 0 else "down"
        with self._tx() as db:
            db.execute(
                f"INSERT INTO week_totals (week, {column}, expires_at) VALUES (?, 1, ?) "
                f"ON CONFLICT (week) DO UPDATE SET {column} = {column} + 1",
                (week, self._clock() + QUESTION_TTL_SECONDS),
            )

    def week_stats(self, week: str, top: int = 5) -> WeekStats:
        now = self._clock()
        with self._lock:
            totals = self._db.execute(
                "SELECT asked, answered, up, down FROM week_totals "
                "WHERE week = ? AND expires_at > ?",
                (week, now),
            ).fetchone()
            queries = self._db.execute(
                "SELECT example, n FROM week_queries WHERE week = ? AND expires_at > ? "
                "ORDER BY n DESC, normalized LIMIT ?",
                (week, now, top),
            ).fetchall()
        stats = WeekStats(*totals) if totals else WeekStats()
        stats.top_queries = [(r[0], int(r[1])) for r in queries]
        return stats

    # -- learned choices ---------------------------------------------------------------------

    def record_choice(self, normalized: str, entry_id: str, voter: str, vote: int) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO choices (normalized, entry_id, voter, vote) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (normalized, entry_id, voter) DO UPDATE SET vote = excluded.vote",
                (normalized, entry_id, voter, 1 if vote > 0 else -1),
            )

    def choices(self, normalized: str) -> dict[str, ChoiceCounts]:
        with self._lock:
            rows = self._db.execute(
                "SELECT entry_id, SUM(vote > 0), SUM(vote < 0) FROM choices "
                "WHERE normalized = ? GROUP BY entry_id",
                (normalized,),
            ).fetchall()
        return {r[0]: ChoiceCounts(int(r[1]), int(r[2])) for r in rows}

    # -- notes saved from Slack --------------------------------------------------------------

    def put_note(self, note: SavedNote) -> None:
        with self._tx() as db:
            db.execute(
                f"INSERT OR REPLACE INTO saved_notes ({_NOTE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    note.id,
                    note.title,
                    note.body,
                    note.author,
                    json.dumps(note.tags, ensure_ascii=False),
                    note.author_name,
                    note.channel,
                    note.ts,
                    note.permalink,
                    note.created_at,
                    note.updated_at,
                    note.pull_request,
                ),
            )
            self._bump_notes_version(db)

    @staticmethod
    def _bump_notes_version(db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO counters (name, n) VALUES ('notes', 1) "
            "ON CONFLICT (name) DO UPDATE SET n = n + 1"
        )

    @staticmethod
    def _note(row: tuple[Any, ...]) -> SavedNote:
        (note_id, title, body, author, tags, name, channel, ts, link, created, updated, pr) = row
        return SavedNote(
            note_id, title, body, author, json.loads(tags), name, channel, ts, link,
            created, updated, pr,
        )  # fmt: skip

    def get_note(self, note_id: str) -> SavedNote | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_NOTE_COLUMNS} FROM saved_notes WHERE id = ?", (note_id,)
            ).fetchone()
        return self._note(row) if row else None

    def saved_notes(self) -> list[SavedNote]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_NOTE_COLUMNS} FROM saved_notes ORDER BY created_at, id"
            ).fetchall()
        return [self._note(r) for r in rows]

    def delete_note(self, note_id: str) -> bool:
        with self._tx() as db:
            cur = db.execute("DELETE FROM saved_notes WHERE id = ?", (note_id,))
            if cur.rowcount:
                self._bump_notes_version(db)
            return cur.rowcount == 1

    def notes_version(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT n FROM counters WHERE name = 'notes'").fetchone()
        return int(row[0]) if row else 0

    def claim_save(self, user: str, limit: int, window_seconds: int) -> bool:
        now = self._clock()
        slot = int(now // window_seconds)
        with self._tx() as db:
            db.execute("DELETE FROM save_quota WHERE expires_at <= ?", (now,))
            row = db.execute(
                "SELECT n FROM save_quota WHERE user = ? AND slot = ?", (user, slot)
            ).fetchone()
            if row is not None and row[0] >= limit:
                return False
            db.execute(
                "INSERT INTO save_quota (user, slot, n, expires_at) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (user, slot) DO UPDATE SET n = n + 1",
                (user, slot, (slot + 1) * window_seconds),
            )
            return True

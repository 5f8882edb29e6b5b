"""The bot's state behind one interface: SQLite locally, DynamoDB on Lambda (bot.dynamo_store).

Everything the bot remembers goes through these methods, so the daily-tip and dedupe logic is
written once (bot.tips, bot.listeners) and tested against both implementations.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, Protocol, cast

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

# A pending day claim older than Lambda's longest possible run (15 min) belongs to an invocation
# that died before posting, so another run may take it over; a younger one may still be posting.
CLAIM_LEASE_SECONDS = 15 * 60
DAY_SECONDS = 24 * 3600
# The team's clock: the days of the daily tip, the weeks the numbers are counted in, the dates of
# saved notes. Korea has no daylight saving time, and a fixed offset needs no tz database on
# Lambda. Here rather than in bot.scheduled, which a /til does not otherwise import.
KST = dt.timezone(dt.timedelta(hours=9), "KST")
# Logged questions and weekly counters are kept this long, then dropped (DynamoDB TTL; a
# cleanup on write for SQLite): enough to see what a team keeps asking, no archive of it.
QUESTION_TTL_SECONDS = 90 * DAY_SECONDS


class Claim(enum.IntEnum):
    """What claim_day got. TAKEN is falsy: someone else has (or had) the day."""

    TAKEN = 0
    FRESH = 1  # nobody tried this day yet (or a try failed for certain)
    # An earlier try may have reached Slack (it died holding the claim past its lease, or its post
    # failed ambiguously, e.g. a timeout after Slack accepted it): look before posting again.
    RECHECK = 2


class Record:
    """A mutable record, equal to another of its class with the same fields, shown by them.

    What ``@dataclass`` would make of these classes, written once: a dataclass generates the
    source of its methods and compiles it at import, ~2.5 M instructions each, which the five
    records here cost every cold /til (callgrind, bench/bench_coldstart.py --instructions)."""

    __hash__ = None  # type: ignore[assignment]  # mutable, so unhashable like a dataclass

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


class Rotation(Record):
    """Where a channel is in its tip rotation: which cycle, and the entry ids shown in it."""

    def __init__(self, cycle: int = 0, shown: list[str] | None = None) -> None:
        self.cycle = cycle
        self.shown: list[str] = [] if shown is None else shown


def utc_day(at: float) -> str:
    """The UTC calendar day of an epoch time: the window a logged question is deduped in."""
    return time.strftime("%Y-%m-%d", time.gmtime(at))


class Outcome(enum.StrEnum):
    """Why a question was logged."""

    UNANSWERED = "unanswered"  # no confident answer
    DOWNVOTED = "downvoted"  # 👎 on the answer it got
    CHOSEN = "chosen"  # the user picked a candidate ("did you mean", "other candidates")


class Question(NamedTuple):
    """One logged question: as typed, as the search understood it, where, when, what happened.
    No user id: only a one-way dedupe key (see Store.log_question) is stored with it.

    Read-only, so a NamedTuple (a frozen dataclass costs a cold /til three times as much)."""

    query: str
    normalized: str
    channel: str
    at: float
    outcome: Outcome
    entry_id: str = ""  # the entry chosen or voted down


class WeekStats(Record):
    """A week's numbers for the Home tab: every question counts, not only the failures."""

    def __init__(
        self,
        asked: int = 0,
        answered: int = 0,
        up: int = 0,
        down: int = 0,
        top_queries: list[tuple[str, int]] | None = None,
    ) -> None:
        self.asked = asked
        self.answered = answered
        self.up = up
        self.down = down
        # (as typed, times)
        self.top_queries: list[tuple[str, int]] = [] if top_queries is None else top_queries


class ChoiceCounts(Record):
    """How many distinct users picked an entry for a query (+1), and how many voted it down."""

    def __init__(self, picked: int = 0, lowered: int = 0) -> None:
        self.picked = picked
        self.lowered = lowered


class SavedNote(Record):
    """A TIL saved from Slack: searchable at once, until the published KB has it (by title)."""

    def __init__(
        self,
        id: str,
        title: str,
        body: str,  # markdown
        author: str,  # the saver's Slack user id: only they may edit or delete the note
        tags: list[str] | None = None,
        author_name: str = "",  # their display name when they saved it (the exported front matter)
        channel: str = "",  # where the message it was saved from is, if any
        ts: str = "",  # that message (a thread's parent for a thread)
        permalink: str = "",
        created_at: float = 0.0,
        updated_at: float = 0.0,
        pull_request: str = "",  # the pull request adding it to the notes repo, if one was opened
    ) -> None:
        self.id = id
        self.title = title
        self.body = body
        self.author = author
        self.tags: list[str] = [] if tags is None else tags
        self.author_name = author_name
        self.channel = channel
        self.ts = ts
        self.permalink = permalink
        self.created_at = created_at
        self.updated_at = updated_at
        self.pull_request = pull_request

    def replace(self, **changes: Any) -> SavedNote:
        """A copy with `changes` (field=value) applied."""
        return SavedNote(**{**vars(self), **changes})


class Store(Protocol):
    # Each call is a network round trip (DynamoDB), so independent calls are worth sending side
    # by side (bot.listeners); a local store's calls are faster than a thread hand-over.
    remote: bool

    def claim_event(self, event_id: str, ttl_seconds: int = 3600) -> bool:
        """True the first time an event id is seen (Slack retries get False)."""
        ...

    def release_event(self, event_id: str) -> None:
        """Forget a claimed event whose answer was not delivered, so a retry can claim it."""
        ...

    def subscribe(self, channel: str) -> bool:
        """Add a daily-tip channel; False if it was already subscribed."""
        ...

    def unsubscribe(self, channel: str) -> bool:
        """Remove a daily-tip channel; False if it was not subscribed."""
        ...

    def subscriptions(self) -> list[str]: ...

    def get_rotation(self, channel: str) -> Rotation: ...

    def save_rotation(self, channel: str, rotation: Rotation) -> None: ...

    def claim_day(self, channel: str, day: str) -> Claim:
        """Conditionally mark `day` as taken for `channel`; TAKEN if it already was.

        A claim is pending until confirm_day; a pending claim older than CLAIM_LEASE_SECONDS
        can be claimed again (its run died between claiming and confirming), as RECHECK.
        """
        ...

    def release_day(self, channel: str, day: str, *, unsure: bool = False) -> None:
        """Undo a pending claim after a failed post, so the next run tries again; `unsure`
        when the post may have reached Slack all the same (the next claim is then RECHECK)."""
        ...

    def confirm_day(self, channel: str, day: str, rotation: Rotation) -> None:
        """After a successful post: mark `day` posted and save the advanced rotation in one
        write, so the posted day and the rotation never disagree."""
        ...

    def add_feedback(self, entry_id: str, user: str, vote: int) -> tuple[int, int]:
        """Record a user's 👍 (+1) or 👎 (-1) for an entry; returns (up, down) counts.

        One vote per user and entry: voting again replaces the earlier vote.
        """
        ...

    def feedback(self, entry_id: str) -> tuple[int, int]:
        """The (up, down) counts for an entry."""
        ...

    def log_question(self, question: Question, dedupe: str) -> bool:
        """Keep a question for QUESTION_TTL_SECONDS; False if `dedupe` (a one-way key of who
        asked, the normalised query and the outcome) was already logged the same UTC day."""
        ...

    def questions(self, since: float) -> list[Question]:
        """Logged questions asked at or after `since` (epoch seconds), oldest first."""
        ...

    def count_question(
        self, week: str, *, answered: bool, normalized: str = "", query: str = ""
    ) -> None:
        """Count one question in `week`'s numbers; with `normalized`, also per query (the first
        `query` text seen for it is kept as its example)."""
        ...

    def count_vote(self, week: str, vote: int) -> None:
        """Count one 👍 (+1) or 👎 (-1) in `week`'s numbers."""
        ...

    def week_stats(self, week: str, top: int = 5) -> WeekStats: ...

    def record_choice(self, normalized: str, entry_id: str, voter: str, vote: int) -> None:
        """`voter` (a one-way key of a user) picked (+1) or voted down (-1) `entry_id` for the
        normalised query; a later choice of the same voter for the same pair replaces it."""
        ...

    def choices(self, normalized: str) -> dict[str, ChoiceCounts]:
        """Per entry id, the distinct voters that picked / voted it down for the query."""
        ...

    def put_note(self, note: SavedNote) -> None:
        """Save a new note or replace the one with the same id; changes notes_version."""
        ...

    def get_note(self, note_id: str) -> SavedNote | None: ...

    def saved_notes(self) -> list[SavedNote]:
        """Every saved note, oldest first."""
        ...

    def delete_note(self, note_id: str) -> bool:
        """Forget a note; False if there was none. Changes notes_version."""
        ...

    def notes_version(self) -> int:
        """A number that changes whenever a note is saved, edited or deleted: one cheap read
        tells a running bot whether its index of saved notes is still current."""
        ...

    def claim_save(self, user: str, limit: int, window_seconds: int) -> bool:
        """Count one save by `user` in the current window (of `window_seconds`, aligned to the
        epoch); False, counting nothing, when `limit` saves were counted in it already."""
        ...


class StoreUnavailable(RuntimeError):
    """The state store could not be opened; the message says why, in plain words."""


class UnavailableStore:
    """Stands in for a store that could not be opened: every call raises StoreUnavailable, so
    what needs state fails with a clear message while answers, which need none, still work."""

    remote = False

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __getattr__(self, name: str) -> Callable[..., NoReturn]:
        def unavailable(*args: object, **kwargs: object) -> NoReturn:
            raise StoreUnavailable(self.reason)

        return unavailable


def open_store(settings: Settings) -> Store:
    """The store the settings ask for (TIL_STATE=sqlite|dynamodb); never raises."""
    if settings.til_state == "dynamodb":
        from bot.dynamo_store import DynamoStore

        return DynamoStore.from_settings(settings)  # connects on first use
    import sqlite3

    from bot.sqlite_store import SQLiteStore

    try:
        return SQLiteStore(settings.til_sqlite_path)
    except (sqlite3.Error, OSError) as exc:
        reason = f"cannot open the state database {settings.til_sqlite_path}: {exc}"
        log.error("%s (set TIL_SQLITE_PATH; /til answers still work, subscriptions do not)", reason)
        return cast("Store", UnavailableStore(reason))

"""What the bot learns from its users: which answer people pick for a query, and what it could
not answer (the question log behind `/til gaps`, the weekly digest and the Home tab).

The search itself (knowledge.search) stays a pure function of the notes; learned choices are
applied here, around its results, so a team's clicks never change what the library computes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from bot.store import KST, ChoiceCounts, Outcome

if TYPE_CHECKING:
    from bot.store import Store
    from knowledge import Answer, Entry


class Searchable(Protocol):
    """What answers come from: a knowledge Index, or bot.saved.Knowledge (the KB beside the
    notes saved from Slack)."""

    def search(self, query: str, limit: int = 5) -> Answer: ...

    def get(self, entry_id: str) -> Entry | None: ...


# Two distinct users agreeing is the smallest evidence that is not one person's habit (or one
# person gaming the answer); one user alone never moves an answer.
MIN_VOTERS = 2


def normalised(terms: Sequence[str]) -> str:
    """The query as the search reads it (`Index.terms`, an answer's `terms`: knowledge's own
    normalisation, Slack markup and question words gone, lower case, glued words split), the
    key choices and the log group by."""
    return " ".join(terms)


def _key(*parts: str) -> str:
    # A one-way key instead of the user id: enough to count distinct users, nothing to read.
    return hashlib.sha256("\0".join(("tilbot", *parts)).encode()).hexdigest()[:24]


def voter_key(user: str) -> str:
    return _key("voter", user)


def question_key(user: str, normalized: str, outcome: Outcome, entry_id: str = "") -> str:
    """Dedupe key of a logged question: the same user, query and outcome count once a day."""
    return _key("question", user, normalized, str(outcome), entry_id)


def week_of(when: dt.datetime | float) -> str:
    """The ISO week (Korean time) a moment falls in, e.g. ``2026-W48``."""
    moment = when if isinstance(when, dt.datetime) else dt.datetime.fromtimestamp(when, dt.UTC)
    year, week, _ = moment.astimezone(KST).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(now: float) -> float:
    """When the current week (Monday 00:00, Korean time) began, as epoch seconds."""
    today = dt.datetime.fromtimestamp(now, KST).date()
    monday = today - dt.timedelta(days=today.weekday())
    return dt.datetime.combine(monday, dt.time(), KST).timestamp()


class Ranked(NamedTuple):  # not a dataclass: see bot.listeners.Request
    entries: list[Entry]  # best first; empty: no answer
    learned: bool = False  # the first entry is first because other people chose it


def rerank(matches: Sequence[Entry], choices: dict[str, ChoiceCounts], index: Searchable) -> Ranked:
    """Entries two or more users picked for this query come first (most voters first), even
    when the search found nothing; entries two or more users voted down go last."""
    promoted = sorted(
        (-c.picked, entry_id)
        for entry_id, c in choices.items()
        if c.picked >= MIN_VOTERS and c.picked > c.lowered
    )
    first = [e for _, entry_id in promoted if (e := index.get(entry_id)) is not None]
    lowered = {
        entry_id
        for entry_id, c in choices.items()
        if c.lowered >= MIN_VOTERS and c.lowered > c.picked
    }
    chosen = {e.id for e in first}
    rest = [e for e in matches if e.id not in chosen and e.id not in lowered]
    last = [e for e in matches if e.id in lowered]
    entries = first + rest + last
    moved = bool(entries) and (not matches or entries[0].id != matches[0].id)
    return Ranked(entries, learned=moved and bool(first) and entries[0].id in chosen)


def answered(index: Searchable, store: Store, query: str) -> bool:
    """Would `query` get an answer now: from the notes, or from what people chose for it?"""
    answer = index.search(query, limit=1)
    if answer.matches:
        return True
    normalized = normalised(answer.terms)
    return bool(normalized) and bool(rerank([], store.choices(normalized), index).entries)

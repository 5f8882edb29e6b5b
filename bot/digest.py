"""The weekly digest: Monday 09:00 (Korean time), the top unanswered questions of the last
7 days go to every channel that gets the daily tip, so someone who knows can write the TIL.

It posts through bot.scheduled like the daily tip: the week is claimed per channel under its own
key, `digest:<channel>`, so it never collides with the day's tip. Nothing to report: nothing is
posted and nothing is claimed.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from typing import TYPE_CHECKING, Any

from bot import learning
from bot.blocks import digest_blocks
from bot.gaps import top_gaps
from bot.scheduled import (
    Incomplete,
    Message,
    Slot,
    each_channel,
    event_day,
    post_once,
    run_deadline,
    wiring,
)
from bot.store import KST, Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_sdk import WebClient

    from bot.blocks import Payload
    from bot.settings import Settings

log = logging.getLogger(__name__)

DIGEST_EVENT = "tilbot_weekly_digest"
WINDOW_DAYS = 7
TOP = 5


def week_key(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class DigestIncomplete(Incomplete):
    """Some channel did not get this week's digest (see bot.scheduled.Incomplete)."""

    what = "weekly digest"


def post_weekly(
    settings: Settings,
    store: Store,
    client: WebClient,
    today: dt.date,
    deadline: float | None = None,
    answered_now: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """Post this week's digest to every daily-tip channel; returns {channel: what happened}.
    `answered_now` closes gaps that get an answer today (see bot.gaps.top_gaps)."""
    channels = sorted(set(store.subscriptions()) | set(settings.daily_channels))
    if not settings.til_question_log:
        return {c: "question-log-off" for c in channels}
    since = dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS), dt.time(), KST)
    gaps = top_gaps(store.questions(since.timestamp()), TOP, answered_now)
    if not gaps:
        log.info("weekly digest: nothing to report")
        return {c: "nothing-to-report" for c in channels}
    if deadline is None:
        deadline = time.monotonic() + settings.til_tip_deadline_seconds
    week = week_key(today)
    payload = digest_blocks(gaps, settings.replies)
    results = each_channel(
        channels,
        client,
        deadline,
        lambda channel: _post_one(store, client, channel, week, today, payload),
    )
    log.info("weekly digest %s: %s", week, results)
    return results


def _post_one(
    store: Store, client: WebClient, channel: str, week: str, today: dt.date, payload: Payload
) -> str:
    monday = today - dt.timedelta(days=today.weekday())
    slot = Slot("weekly digest", DIGEST_EVENT, f"digest:{channel}", week, monday, {"week": week})
    # A channel that is gone is left to the daily tip's run, which unsubscribes it.
    return post_once(store, client, channel, slot, lambda: Message(payload, {"week": week}))


def weekly(event: dict[str, Any] | None = None, context: object = None) -> dict[str, str]:
    """Zappa `events` entry point (bot.digest.weekly). Raises DigestIncomplete when a channel
    could not get the digest, so Lambda retries; a retry posts only where it is still owed."""
    from bot.runtime import current_index

    settings, source, store, client = wiring()
    index = current_index(source)  # a warm container must not judge by last week's notes
    results = post_weekly(
        settings,
        store,
        client,
        event_day(event),
        run_deadline(settings, context),
        functools.partial(learning.answered, index, store),
    )
    if any(r.startswith("error:") for r in results.values()):
        raise DigestIncomplete(results)
    return results

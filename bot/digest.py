"""The weekly digest: Monday 09:00 (Korean time), the top unanswered questions of the last
7 days go to every channel that gets the daily tip, so someone who knows can write the TIL.

It follows the daily tip's discipline (bot.tips) with the same store calls: the week is claimed
per channel with claim_day (under its own key, `digest:<channel>`, so it never collides with
the day's tip), released when the post fails, confirmed after it; a post that may have gone
out although the call failed is looked up in the channel's history (message metadata) before
posting again. Nothing to report: nothing is posted and nothing is claimed.
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
from bot.store import Claim, Rotation, Store
from bot.tips import (
    GONE_ERRORS,
    KST,
    DailyTipIncomplete,
    _maybe_delivered,
    _release,
    _runtime,
    _slack_error,
    each_channel,
    event_day,
    find_posted,
    run_deadline,
)

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


class DigestIncomplete(DailyTipIncomplete):
    """Some channel did not get this week's digest: raised after trying them all, so Lambda
    retries the invocation, and the week claims keep the others from a second one."""

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
    payload = digest_blocks(gaps, settings.til_lang)
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
    key = f"digest:{channel}"
    try:
        claim = store.claim_day(key, week)
    except Exception:
        log.exception("weekly digest: cannot claim %s for %s; will retry", week, channel)
        return "error:store"
    if not claim:
        return "already-posted"
    text, found = payload
    try:
        monday = today - dt.timedelta(days=today.weekday())
        if claim is Claim.RECHECK and find_posted(client, channel, monday, DIGEST_EVENT, week=week):
            store.confirm_day(key, week, Rotation())
            return "already-posted"
        client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=found,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": DIGEST_EVENT, "event_payload": {"week": week}},
        )
    except Exception as exc:
        _release(store, key, week, unsure=_maybe_delivered(exc))
        error = _slack_error(exc)
        if error in GONE_ERRORS:
            return f"gone:{error}"  # the daily tip's run unsubscribes it
        log.warning("weekly digest: posting to %s failed (%s); will retry", channel, error)
        return f"error:{error}"
    try:
        store.confirm_day(key, week, Rotation())
    except Exception:
        log.exception("weekly digest: posted to %s but could not record it", channel)
    return "posted"


def weekly(event: dict[str, Any] | None = None, context: object = None) -> dict[str, str]:
    """Zappa `events` entry point (bot.digest.weekly). Raises DigestIncomplete when a channel
    could not get the digest, so Lambda retries; a retry posts only where it is still owed."""
    from bot.runtime import current_index

    settings, source, store, client = _runtime()
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

"""Posting a scheduled message at most once per channel and period: the daily tip's day, the
weekly digest's week. bot.tips and bot.digest both post through `post_once`.

For each channel: claim the period with a conditional write (a second run, or an event delivered
twice, finds it taken); when an earlier try may have posted although its call failed (the claim
says RECHECK), look for that post in the channel's history by its message metadata; post, with
metadata naming the period; then confirm the claim, or release it when the post failed ("unsure"
when Slack may have posted all the same, so the next run looks before posting).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.slack_api import fit_to
from bot.store import KST, Claim, Rotation, Store

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.blocks import Payload
    from bot.settings import Settings
    from knowledge import Index

log = logging.getLogger(__name__)

# Slack errors meaning the bot can no longer post to the channel at all: stop trying.
GONE_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
MIN_SECONDS_PER_CHANNEL = 2.0  # less than this left: leave the channel for the retry
LAMBDA_MARGIN_SECONDS = 3.0  # finish (and log) this long before Lambda's timeout


class Incomplete(RuntimeError):
    """Raised after every channel was tried when some did not get the message, so that Lambda
    retries the scheduled invocation; the period claims keep the others from a second one."""

    what = "scheduled message"

    def __init__(self, results: dict[str, str]) -> None:
        failed = {c: r for c, r in results.items() if r.startswith("error:")}
        super().__init__(f"{self.what} not delivered to {len(failed)} channel(s): {failed}")
        self.results = results


@dataclass(frozen=True)
class Slot:
    """One channel's message for one period."""

    what: str  # "daily tip", for the logs
    event_type: str  # the message metadata's event_type
    key: str  # the claim's key in the store
    period: str  # the day or week claimed
    since: dt.date  # when the period began: its post is looked for from then on
    match: dict[str, str]  # metadata fields that identify this period's post


@dataclass(frozen=True)
class Message:
    payload: Payload
    event_payload: dict[str, str]
    rotation: Rotation = field(default_factory=Rotation)  # recorded with the confirmed claim
    posted: str = "posted"  # the result reported when it is posted
    # The rotation to record when an earlier run's post is found, given its metadata.
    found: Callable[[dict[str, Any]], Rotation] = lambda _: Rotation()


def post_once(
    store: Store, client: WebClient, channel: str, slot: Slot, compose: Callable[[], Message]
) -> str:
    """Post `compose()` to `channel` unless this slot's message is already there; returns what
    happened: posted, already-posted, gone:<error>, error:<error> (to retry)."""
    try:
        claim = store.claim_day(slot.key, slot.period)
    except Exception:
        log.exception("%s: cannot claim %s for %s; will retry", slot.what, slot.period, channel)
        return "error:store"
    if not claim:
        return "already-posted"
    try:
        message = compose()
        if claim is Claim.RECHECK:
            earlier = find_posted(client, channel, slot.since, slot.event_type, **slot.match)
            if earlier is not None:
                # An earlier run's post did arrive: record it instead of posting again.
                store.confirm_day(slot.key, slot.period, message.found(earlier))
                log.info("%s: %s already had it (%s)", slot.what, channel, earlier)
                return "already-posted"
        text, blocks = message.payload
        client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": slot.event_type, "event_payload": message.event_payload},
        )
    except Exception as exc:
        _release(store, slot, unsure=_maybe_delivered(exc))
        error = _slack_error(exc)
        if error in GONE_ERRORS:
            return f"gone:{error}"
        log.warning("%s: posting to %s failed (%s); will retry", slot.what, channel, error)
        return f"error:{error}"
    try:
        store.confirm_day(slot.key, slot.period, message.rotation)
    except Exception:
        # The message is out; the pending claim stays, and a run after its lease looks in the
        # channel (RECHECK) before posting, so it is not posted twice.
        log.exception("%s: posted to %s but could not record it", slot.what, channel)
    return message.posted


def each_channel(
    channels: Sequence[str], client: WebClient, deadline: float, post: Callable[[str], str]
) -> dict[str, str]:
    """`post` to each channel in turn, each Slack call fitted to the time left before
    `deadline`; channels not reached in time are "error:deadline", left for the retry."""
    results: dict[str, str] = {}
    for channel in channels:
        left = deadline - time.monotonic()
        if left < MIN_SECONDS_PER_CHANNEL:
            results[channel] = "error:deadline"
            continue
        fit_to(client, left)
        results[channel] = post(channel)
    return results


def find_posted(
    client: WebClient, channel: str, since: dt.date, event_type: str, **match: str
) -> dict[str, Any] | None:
    """The metadata payload of our `event_type` message posted in the channel since `since`
    began (Korean time) whose payload has the `match` fields, if any; None also when the
    history cannot be read (missing scope).

    Needs channels:history (groups:history for private channels). Without it the message is
    posted anyway: a rare duplicate is better than a day without a tip.
    """
    oldest = dt.datetime.combine(since, dt.time(), KST).timestamp()
    try:
        page = client.conversations_history(
            channel=channel, oldest=str(oldest), limit=100, include_all_metadata=True
        )
    except SlackApiError as exc:
        if _slack_error(exc) != "missing_scope":
            raise
        log.warning("cannot read %s's history to check for a %s already posted "
                    "(missing_scope: add channels:history and groups:history)",
                    channel, event_type)  # fmt: skip
        return None
    for message in page.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == event_type and all(
            payload.get(k) == v for k, v in match.items()
        ):
            return dict(payload)
    return None


def _slack_error(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    try:
        return str(response["error"]) if response is not None else type(exc).__name__
    except (KeyError, TypeError):
        return type(exc).__name__


def _maybe_delivered(exc: Exception) -> bool:
    """Could Slack have posted the message although the call failed? Only an answer Slack gave
    (ok: false, or a 429 we did not wait out) says for certain that it did not."""
    if isinstance(exc, SlackApiError):
        return int(getattr(exc.response, "status_code", 500)) >= 500
    return True  # a timeout or a broken connection: it may have arrived


def _release(store: Store, slot: Slot, *, unsure: bool) -> None:
    try:
        store.release_day(slot.key, slot.period, unsure=unsure)
    except Exception:
        log.exception("%s: cannot release %s for %s", slot.what, slot.period, slot.key)


def event_day(event: dict[str, Any] | None, now: dt.datetime | None = None) -> dt.date:
    """The Korean calendar day the scheduled event was meant for (its `time`, else now)."""
    stamp = (event or {}).get("time")
    when = None
    if isinstance(stamp, str):
        try:
            when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            log.warning("scheduled run: unreadable event time %r, using the clock", stamp)
    when = when or now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(KST).date()


def wiring() -> tuple[Settings, Index | Callable[[], Index], Store, WebClient]:
    """Settings, index, store and Slack client: the process's one runtime (bot.runtime)."""
    from bot.runtime import runtime

    wired = runtime()
    wired.settings.require("slack_bot_token")
    return wired.settings, wired.index, wired.store, wired.client


def run_deadline(settings: Settings, context: object = None) -> float:
    """When this run must be done (time.monotonic()): the configured budget, and never later
    than a few seconds before Lambda would kill the invocation."""
    budget = settings.til_tip_deadline_seconds
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        budget = min(budget, remaining() / 1000 - LAMBDA_MARGIN_SECONDS)
    return time.monotonic() + budget

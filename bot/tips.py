"""The daily tip: one scheduled Lambda run posts one tip card to every subscribed channel.

Guarantees, and how:

* Every entry once before any repeats, in a per-channel shuffled order that survives cold starts
  and redeploys: the next tip is the unshown entry with the smallest sha256(channel, cycle, id),
  a pure function of stored state. Entries added to the notes join the current cycle; removed
  ones simply stop being candidates.
* At most one tip per channel per day even though EventBridge may deliver an event twice and
  Lambda retries failed runs: each channel's day is claimed with a conditional write before
  posting, released if the post fails, and confirmed (with the advanced rotation) after it.
  The day comes from the event's own timestamp, so a retry hours later still counts as the
  same day.
* A post that may have reached Slack although the call failed (a timeout, a 5xx, a run killed
  after posting) is never simply retried: its claim is released as "unsure" (or its lease runs
  out) and the next run first looks in the channel's history for today's tip, which every tip
  carries in its message metadata.
* One channel's failure never stops the others; a channel the bot was removed from is
  unsubscribed. When a channel did not get its tip, the run raises after trying them all, so
  Lambda retries the invocation, and it keeps within a deadline under the Lambda timeout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.blocks import tip_blocks
from bot.slack_api import fit_to
from bot.store import Claim, Rotation, Store
from knowledge.models import tip_entries

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.settings import Settings
    from knowledge import Entry, Index

log = logging.getLogger(__name__)

# Korea has no daylight saving time, and a fixed offset needs no tz database on Lambda.
KST = dt.timezone(dt.timedelta(hours=9), "KST")
# Slack errors meaning the bot can no longer post to the channel at all: stop trying.
GONE_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# Message metadata on every tip, so a run that is unsure whether its post went out can find it.
TIP_EVENT = "tilbot_daily_tip"
MIN_SECONDS_PER_CHANNEL = 2.0  # less than this left: leave the channel for the retry
LAMBDA_MARGIN_SECONDS = 3.0  # finish (and log) this long before Lambda's timeout


def _rank(channel: str, cycle: int, entry_id: str) -> str:
    return hashlib.sha256(f"{channel}\0{cycle}\0{entry_id}".encode()).hexdigest()


def next_tip(channel: str, rotation: Rotation, entries: Sequence[Entry]) -> tuple[Entry, Rotation]:
    """The channel's next entry and the rotation to store once it has been posted."""
    if not entries:
        raise ValueError("no entries to pick a tip from")
    ids = {e.id for e in entries}
    shown = [i for i in rotation.shown if i in ids]  # removed entries leave the rotation
    cycle = rotation.cycle
    seen = set(shown)
    candidates = [e for e in entries if e.id not in seen]
    if not candidates:
        cycle, shown = cycle + 1, []
        # Don't let the new cycle open with the tip that closed the last one.
        last = rotation.shown[-1] if rotation.shown else None
        candidates = [e for e in entries if e.id != last] or list(entries)
    entry = min(candidates, key=lambda e: _rank(channel, cycle, e.id))
    return entry, Rotation(cycle=cycle, shown=[*shown, entry.id])


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


class DailyTipIncomplete(RuntimeError):
    """Raised after every channel was tried when some did not get today's tip, so that Lambda
    retries the scheduled invocation; the day claims keep the others from a second tip."""

    what = "daily tip"

    def __init__(self, results: dict[str, str]) -> None:
        failed = {c: r for c, r in results.items() if r.startswith("error:")}
        super().__init__(f"{self.what} not delivered to {len(failed)} channel(s): {failed}")
        self.results = results


def post_daily(
    settings: Settings,
    index: Index,
    store: Store,
    client: WebClient,
    today: dt.date,
    deadline: float | None = None,
) -> dict[str, str]:
    """Post today's tip to every subscribed channel; returns {channel: what happened}.

    `deadline` (a time.monotonic() value) bounds the whole run: each Slack call is fitted to the
    time left, and channels not reached by then are left unclaimed for the retry.
    """
    channels = sorted(set(store.subscriptions()) | set(settings.daily_channels))
    entries = tip_entries(index.entries)
    if not entries:
        log.warning("daily tip: the knowledge base is empty, nothing to post")
        return {c: "no-entries" for c in channels}
    if deadline is None:
        deadline = time.monotonic() + settings.til_tip_deadline_seconds
    day = today.isoformat()
    results = each_channel(
        channels,
        client,
        deadline,
        lambda channel: _post_one(settings, entries, store, client, channel, day),
    )
    log.info("daily tip %s: %s", day, results)
    return results


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


def _post_one(
    settings: Settings,
    entries: Sequence[Entry],
    store: Store,
    client: WebClient,
    channel: str,
    day: str,
) -> str:
    try:
        claim = store.claim_day(channel, day)
    except Exception:
        log.exception("daily tip: cannot claim %s for %s; will retry next run", day, channel)
        return "error:store"
    if not claim:
        return "already-posted"
    try:
        entry, rotation = next_tip(channel, store.get_rotation(channel), entries)
        if claim is Claim.RECHECK:
            posted = find_posted_tip(client, channel, day)
            if posted is not None:
                # An earlier run's post did arrive: record it instead of posting again.
                store.confirm_day(channel, day, _with_last(rotation, posted))
                log.info("daily tip: %s already had today's tip %s", channel, posted)
                return "already-posted"
        text, blocks = tip_blocks(entry, settings.til_lang, settings.til_source_url)
        client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": TIP_EVENT, "event_payload": {"day": day, "entry": entry.id}},
        )
    except Exception as exc:
        _release(store, channel, day, unsure=_maybe_delivered(exc))
        error = _slack_error(exc)
        if error in GONE_ERRORS:
            log.warning("daily tip: %s for %s; unsubscribing it", error, channel)
            try:
                store.unsubscribe(channel)
            except Exception:
                log.exception("daily tip: cannot unsubscribe %s", channel)
            return f"unsubscribed:{error}"
        log.warning("daily tip: posting to %s failed (%s); will retry next run", channel, error)
        return f"error:{error}"
    try:
        store.confirm_day(channel, day, rotation)
    except Exception:
        # The tip is out; the pending claim stays, and a run after its lease looks in the
        # channel (RECHECK) before posting, so it is not posted twice.
        log.exception("daily tip: posted %s to %s but could not record it", entry.id, channel)
    return f"posted:{entry.id}"


def find_posted_tip(client: WebClient, channel: str, day: str) -> str | None:
    """The entry id of our tip for `day` in the channel's history since that day began, if any.

    Needs channels:history (groups:history for private channels). Without it the tip is posted
    anyway: a rare duplicate is better than a day without a tip.
    """
    payload = find_posted(client, channel, dt.date.fromisoformat(day), TIP_EVENT, day=day)
    return None if payload is None else str(payload.get("entry") or "")


def find_posted(
    client: WebClient, channel: str, since: dt.date, event_type: str, **match: str
) -> dict[str, Any] | None:
    """The metadata payload of our `event_type` message posted in the channel since `since`
    began (Korean time) whose payload has the `match` fields, if any; None also when the
    history cannot be read (missing scope)."""
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


def _with_last(rotation: Rotation, entry_id: str) -> Rotation:
    """`rotation` as advanced by posting `entry_id` (the pick next_tip would have made, unless
    the notes changed since that post)."""
    return Rotation(cycle=rotation.cycle, shown=[*rotation.shown[:-1], entry_id])


def _release(store: Store, channel: str, day: str, *, unsure: bool) -> None:
    try:
        store.release_day(channel, day, unsure=unsure)
    except Exception:
        log.exception("daily tip: cannot release %s for %s", day, channel)


def event_day(event: dict[str, Any] | None, now: dt.datetime | None = None) -> dt.date:
    """The Korean calendar day the scheduled event was meant for (its `time`, else now)."""
    stamp = (event or {}).get("time")
    when = None
    if isinstance(stamp, str):
        try:
            when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            log.warning("daily tip: unreadable event time %r, using the clock", stamp)
    when = when or now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(KST).date()


def _runtime() -> tuple[Settings, Index | Callable[[], Index], Store, WebClient]:
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


def daily(event: dict[str, Any] | None = None, context: object = None) -> dict[str, str]:
    """Zappa `events` entry point (bot.tips.daily): post today's tips.

    Raises DailyTipIncomplete when a channel could not get its tip, so Lambda retries the
    (asynchronous) scheduled invocation; a retry posts only to the channels still missing it.
    """
    settings, source, store, client = _runtime()
    return run_daily(settings, source, store, client, event, context)


def run_daily(
    settings: Settings,
    source: Index | Callable[[], Index],
    store: Store,
    client: WebClient,
    event: dict[str, Any] | None = None,
    context: object = None,
) -> dict[str, str]:
    """One scheduled run, given its parts: post, then raise if any channel is still owed."""
    from bot.runtime import current_index

    deadline = run_deadline(settings, context)
    # A container kept warm since yesterday must not tip from yesterday's notes.
    index = current_index(source)
    results = post_daily(settings, index, store, client, event_day(event), deadline)
    if any(r.startswith("error:") for r in results.values()):
        raise DailyTipIncomplete(results)
    return results

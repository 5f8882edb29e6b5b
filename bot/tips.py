"""The daily tip: one scheduled Lambda run posts one tip card to every subscribed channel.

Guarantees, and how:

* Every entry once before any repeats, in a per-channel shuffled order that survives cold starts
  and redeploys: the next tip is the unshown entry with the smallest sha256(channel, cycle, id),
  a pure function of stored state. Entries added to the notes join the current cycle; removed
  ones simply stop being candidates.
* At most one tip per channel per day even though EventBridge may deliver an event twice and
  Lambda retries failed runs (bot.scheduled, shared with the weekly digest): each channel's day
  is claimed with a conditional write before posting, released if the post fails, and
  confirmed (with the advanced rotation) after it.
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

from bot.blocks import tip_blocks
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
from bot.store import Rotation, Store
from knowledge.models import tip_entries

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.settings import Settings
    from knowledge import Entry, Index

log = logging.getLogger(__name__)

# Message metadata on every tip, so a run that is unsure whether its post went out can find it.
TIP_EVENT = "tilbot_daily_tip"


def _rank(channel: str, cycle: int, entry_id: str) -> str:
    return hashlib.sha256(f"{channel}\0{cycle}\0{entry_id}".encode()).hexdigest()


def next_tip(
    channel: str, rotation: Rotation, entries: Sequence[Entry], avoid: str | None = None
) -> tuple[Entry, Rotation]:
    """The channel's next entry and the rotation to store once it has been posted; never
    `avoid` (the tip a card already shows) while another is left."""
    if not entries:
        raise ValueError("no entries to pick a tip from")
    ids = {e.id for e in entries}
    shown = [i for i in rotation.shown if i in ids]  # removed entries leave the rotation
    cycle = rotation.cycle
    seen = {*shown, avoid}
    candidates = [e for e in entries if e.id not in seen]
    if not candidates:
        cycle, shown = cycle + 1, []
        # Don't let the new cycle open with the tip that closed the last one.
        last = rotation.shown[-1] if rotation.shown else None
        candidates = (
            [e for e in entries if e.id not in {last, avoid}]
            or [e for e in entries if e.id != avoid]
            or list(entries)
        )
    entry = min(candidates, key=lambda e: _rank(channel, cycle, e.id))
    return entry, Rotation(cycle=cycle, shown=[*shown, entry.id])


class DailyTipIncomplete(Incomplete):
    """Some channel did not get today's tip (see bot.scheduled.Incomplete)."""

    what = "daily tip"


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


def _post_one(
    settings: Settings,
    entries: Sequence[Entry],
    store: Store,
    client: WebClient,
    channel: str,
    day: str,
) -> str:
    def compose() -> Message:
        entry, rotation = next_tip(channel, store.get_rotation(channel), entries)
        return Message(
            tip_blocks(entry, settings.replies, settings.til_source_url),
            {"day": day, "entry": entry.id},
            rotation,
            posted=f"posted:{entry.id}",
            found=lambda earlier: _with_last(rotation, str(earlier.get("entry") or "")),
        )

    slot = Slot("daily tip", TIP_EVENT, channel, day, dt.date.fromisoformat(day), {"day": day})
    result = post_once(store, client, channel, slot, compose)
    if result.startswith("gone:"):
        error = result.removeprefix("gone:")
        log.warning("daily tip: %s for %s; unsubscribing it", error, channel)
        try:
            store.unsubscribe(channel)
        except Exception:
            log.exception("daily tip: cannot unsubscribe %s", channel)
        return f"unsubscribed:{error}"
    return result


def _with_last(rotation: Rotation, entry_id: str) -> Rotation:
    """`rotation` as advanced by posting `entry_id` (the pick next_tip would have made, unless
    the notes changed since that post)."""
    return Rotation(cycle=rotation.cycle, shown=[*rotation.shown[:-1], entry_id])


def daily(event: dict[str, Any] | None = None, context: object = None) -> dict[str, str]:
    """Zappa `events` entry point (bot.tips.daily): post today's tips.

    Raises DailyTipIncomplete when a channel could not get its tip, so Lambda retries the
    (asynchronous) scheduled invocation; a retry posts only to the channels still missing it.
    """
    settings, source, store, client = wiring()
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

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
* One channel's failure never stops the others; a channel the bot was removed from is
  unsubscribed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.blocks import tip_blocks
from bot.store import Rotation, Store

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.settings import Settings
    from knowledge import Entry, Index

log = logging.getLogger(__name__)

# Korea has no daylight saving time, and a fixed offset needs no tz database on Lambda.
KST = dt.timezone(dt.timedelta(hours=9), "KST")
# Slack errors meaning the bot can no longer post to the channel at all: stop trying.
GONE_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})


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


def post_daily(
    settings: Settings, index: Index, store: Store, client: WebClient, today: dt.date
) -> dict[str, str]:
    """Post today's tip to every subscribed channel; returns {channel: what happened}."""
    channels = sorted(set(store.subscriptions()) | set(settings.daily_channels))
    entries = list(index.entries)
    if not entries:
        log.warning("daily tip: the knowledge base is empty, nothing to post")
        return {c: "no-entries" for c in channels}
    day = today.isoformat()
    results: dict[str, str] = {}
    for channel in channels:
        results[channel] = _post_one(settings, entries, store, client, channel, day)
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
    try:
        if not store.claim_day(channel, day):
            return "already-posted"
    except Exception:
        log.exception("daily tip: cannot claim %s for %s; will retry next run", day, channel)
        return "error:store"
    try:
        entry, rotation = next_tip(channel, store.get_rotation(channel), entries)
        text, blocks = tip_blocks(entry, settings.til_lang)
        client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
        )
    except Exception as exc:
        _release(store, channel, day)
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
        # The tip is out; releasing the claim now could post it twice. The pending claim stays
        # and expires after the lease, which at worst repeats this tip in a later cycle.
        log.exception("daily tip: posted %s to %s but could not record it", entry.id, channel)
    return f"posted:{entry.id}"


def _release(store: Store, channel: str, day: str) -> None:
    try:
        store.release_day(channel, day)
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


def slack_client(token: str, api_url: str) -> WebClient:
    """A Web API client that waits out Slack's rate limit (HTTP 429) before giving up."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry import RateLimitErrorRetryHandler, default_retry_handlers

    return WebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        timeout=10,
        retry_handlers=[*default_retry_handlers(), RateLimitErrorRetryHandler(max_retry_count=2)],
    )


@functools.cache
def _runtime() -> tuple[Settings, Index | Callable[[], Index], Store, WebClient]:
    """Settings, index, store and Slack client, built once per Lambda container."""
    from bot.aws import index_source_for, resolve_secrets
    from bot.settings import load_settings
    from bot.store import open_store

    settings = resolve_secrets(load_settings())
    settings.require("slack_bot_token")
    client = slack_client(settings.slack_bot_token, settings.slack_api_url)
    return settings, index_source_for(settings), open_store(settings), client


def daily(event: dict[str, Any] | None = None, context: object = None) -> dict[str, str]:
    """Zappa `events` entry point (bot.tips.daily): post today's tips."""
    from bot.aws import current_index

    settings, source, store, client = _runtime()
    # A container kept warm since yesterday must not tip from yesterday's notes.
    return post_daily(settings, current_index(source), store, client, event_day(event))

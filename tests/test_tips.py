"""Daily tips: rotation order, once per day per channel, and failures isolated per channel.

post_daily runs against a real SQLiteStore and a real slack_sdk WebClient talking HTTP to the
fake Slack server, so what is checked is what a channel would actually receive.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Literal, TypedDict, Unpack

import pytest
from slack_sdk import WebClient

from bot import tips
from bot.settings import Settings
from bot.slack_api import web_client
from bot.sqlite_store import SQLiteStore
from bot.store import Rotation
from knowledge import Entry
from tests.fake_slack import Call, FakeSlack

DAY = dt.date(2024, 9, 2)


def entry(i: int | str) -> Entry:
    return Entry(
        id=f"e{i}",
        title=f"Tip number {i}",
        body=f"Body of tip {i}.",
        summary=f"Summary {i}.",
        source="notes.md",
        line=1,
    )


class FakeIndex:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries


ENTRIES = [entry(i) for i in range(6)]


def run_rotation(channel: str, entries: list[Entry], days: int, start: Rotation | None = None):
    rotation = start or Rotation()
    shown: list[str] = []
    for _ in range(days):
        picked, rotation = tips.next_tip(channel, rotation, entries)
        shown.append(picked.id)
    return shown, rotation


# -- rotation ------------------------------------------------------------------------------


def test_every_entry_is_shown_once_before_any_repeats() -> None:
    shown, rotation = run_rotation("C1", ENTRIES, 12)
    first, second = shown[:6], shown[6:]
    assert sorted(first) == sorted(e.id for e in ENTRIES)
    assert sorted(second) == sorted(e.id for e in ENTRIES)
    assert rotation.cycle == 1


def test_order_is_shuffled_per_channel_and_per_cycle() -> None:
    c1, _ = run_rotation("C1", ENTRIES, 12)
    c2, _ = run_rotation("C2", ENTRIES, 12)
    assert c1[:6] != c2[:6]
    assert c1[:6] != c1[6:]
    assert c1[:6] != [e.id for e in ENTRIES]


def test_order_is_stable_across_restarts() -> None:
    # A "restart" is: the same stored rotation, a fresh process, entries in another order.
    assert run_rotation("C1", ENTRIES, 8)[0] == run_rotation("C1", ENTRIES[::-1], 8)[0]


def test_a_new_cycle_does_not_repeat_the_last_tip_back_to_back() -> None:
    for channel in ("C1", "C2", "C3", "C4", "C5"):
        shown, _ = run_rotation(channel, ENTRIES[:3], 30)
        assert all(a != b for a, b in itertools.pairwise(shown)), shown


def test_added_entries_join_the_current_cycle_and_removed_ones_leave() -> None:
    shown, rotation = run_rotation("C1", ENTRIES[:4], 2)
    grown = [*ENTRIES[:4], entry("new")]
    gone = shown[0]
    remaining = [e for e in grown if e.id != gone]
    rest, after = run_rotation("C1", remaining, 3, start=rotation)
    assert sorted(shown[1:] + rest) == sorted(e.id for e in remaining)
    assert after.cycle == 0 and gone not in after.shown
    nxt, _ = run_rotation("C1", remaining, 1, start=after)
    assert after.cycle == 0 and nxt[0] in {e.id for e in remaining}


def test_a_single_entry_is_shown_every_day() -> None:
    shown, _ = run_rotation("C1", [entry(1)], 3)
    assert shown == ["e1", "e1", "e1"]


# -- scheduled day -------------------------------------------------------------------------


def test_the_day_comes_from_the_event_time_in_korea() -> None:
    assert tips.event_day({"time": "2024-09-02T00:00:00Z"}) == dt.date(2024, 9, 2)
    assert tips.event_day({"time": "2024-09-01T15:30:00Z"}) == dt.date(2024, 9, 2)
    assert tips.event_day({"time": "2024-09-01T14:59:00Z"}) == dt.date(2024, 9, 1)
    now = dt.datetime(2024, 9, 3, 1, 0, tzinfo=dt.UTC)
    assert tips.event_day({}, now=now) == dt.date(2024, 9, 3)
    assert tips.event_day({"time": "garbage"}, now=now) == dt.date(2024, 9, 3)


# -- posting -------------------------------------------------------------------------------
# `fake_slack` is the conftest fixture: a fake Slack Web API on a local port.


@pytest.fixture
def state() -> Iterator[SQLiteStore]:
    s = SQLiteStore(":memory:")
    yield s
    s.close()


def client_for(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.url)


def tip_posts(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.posted() if c.method == "chat.postMessage"]


class SettingsOverrides(TypedDict, total=False):
    """The Settings fields these tests override (the rest come from the environment as usual)."""

    til_daily_channels: str
    til_lang: Literal["ko", "en"]


def run(
    fake: FakeSlack, state: SQLiteStore, day: dt.date = DAY, **settings: Unpack[SettingsOverrides]
) -> dict:
    return tips.post_daily(Settings(**settings), FakeIndex(ENTRIES), state, client_for(fake), day)


def test_each_subscribed_and_configured_channel_gets_one_tip_card(
    fake_slack: FakeSlack, state: SQLiteStore
) -> None:
    state.subscribe("C1")
    state.subscribe("C2")
    result = run(fake_slack, state, til_daily_channels="C2, C3", til_lang="en")
    assert sorted(result) == ["C1", "C2", "C3"]
    assert all(v.startswith("posted:") for v in result.values())
    sent = tip_posts(fake_slack)
    assert sorted(c.body["channel"] for c in sent) == ["C1", "C2", "C3"]
    card = sent[0]
    assert "Tip number" in card.text()
    buttons = [
        el["text"]["text"] for b in card.blocks() if b["type"] == "actions" for el in b["elements"]
    ]
    assert "👍" in buttons and "👎" in buttons and len(buttons) >= 3  # + another tip


def test_running_twice_the_same_day_posts_nothing_new(
    fake_slack: FakeSlack, state: SQLiteStore
) -> None:
    state.subscribe("C1")
    first = run(fake_slack, state)
    again = run(fake_slack, state)
    assert again == {"C1": "already-posted"}
    assert len(tip_posts(fake_slack)) == 1
    nxt = run(fake_slack, state, DAY + dt.timedelta(days=1))
    assert len(tip_posts(fake_slack)) == 2
    assert nxt["C1"] != first["C1"]  # the next day brings the next tip


def test_a_week_of_tips_never_repeats_before_the_cycle_ends(
    fake_slack: FakeSlack, state: SQLiteStore
) -> None:
    state.subscribe("C1")
    for n in range(len(ENTRIES)):
        run(fake_slack, state, DAY + dt.timedelta(days=n))
    titles = [c.body["text"] for c in tip_posts(fake_slack)]
    assert len(titles) == len(set(titles)) == len(ENTRIES)


def test_a_channel_the_bot_left_is_unsubscribed_and_others_still_get_their_tip(
    fake_slack: FakeSlack, state: SQLiteStore
) -> None:
    for c in ("C1", "CGONE", "CARCH", "CNOTFOUND", "C2"):
        state.subscribe(c)
    fake_slack.fail("chat.postMessage", "not_in_channel", channel="CGONE")
    fake_slack.fail("chat.postMessage", "is_archived", channel="CARCH")
    fake_slack.fail("chat.postMessage", "channel_not_found", channel="CNOTFOUND")
    result = run(fake_slack, state)
    assert result["CGONE"] == "unsubscribed:not_in_channel"
    assert result["CARCH"] == "unsubscribed:is_archived"
    assert result["CNOTFOUND"] == "unsubscribed:channel_not_found"
    assert result["C1"].startswith("posted:") and result["C2"].startswith("posted:")
    assert state.subscriptions() == ["C1", "C2"]


def test_a_transient_failure_is_retried_next_run_without_advancing_the_rotation(
    fake_slack: FakeSlack, state: SQLiteStore
) -> None:
    state.subscribe("C1")
    state.subscribe("C2")
    fake_slack.fail("chat.postMessage", "internal_error", channel="C1")
    result = run(fake_slack, state)
    assert result["C1"] == "error:internal_error"
    assert result["C2"].startswith("posted:")
    assert state.get_rotation("C1") == Rotation()
    assert state.subscriptions() == ["C1", "C2"]  # still subscribed

    fake_slack.clear_failures()
    retry = run(fake_slack, state)
    assert retry["C1"].startswith("posted:")
    assert retry["C2"] == "already-posted"
    assert [c.body["channel"] for c in tip_posts(fake_slack)].count("C2") == 1


def test_rate_limited_posts_wait_and_succeed(fake_slack: FakeSlack, state: SQLiteStore) -> None:
    state.subscribe("C1")
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    client = web_client(fake_slack.url, fake_slack.token)
    result = tips.post_daily(Settings(), FakeIndex(ENTRIES), state, client, DAY)
    assert result["C1"].startswith("posted:")
    assert len(tip_posts(fake_slack)) == 1


def test_nothing_is_posted_from_an_empty_knowledge_base(
    fake_slack: FakeSlack, state: SQLiteStore
) -> None:
    state.subscribe("C1")
    result = tips.post_daily(Settings(), FakeIndex([]), state, client_for(fake_slack), DAY)
    assert result == {"C1": "no-entries"}
    assert tip_posts(fake_slack) == []


def test_a_document_split_into_topics_is_never_a_tip_itself(index) -> None:
    from knowledge.models import tip_entries

    tips_ = tip_entries(index.entries)
    assert all(e.kind == "topic" for e in tips_)  # our note: one period log of topics
    assert len(tips_) == len(index.entries) - 1
    shown, _ = run_rotation("C1", tips_, len(tips_))
    assert sorted(shown) == sorted(e.id for e in tips_)

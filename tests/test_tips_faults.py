"""The daily tip under faults: nothing lost, nothing doubled, and the run keeps to its deadline.

Real parts throughout: a SQLite store on disk, slack_sdk's WebClient over HTTP to the fake Slack
(which can fail, hang, answer late after accepting a post, or rate-limit), and for the kill case
a real `bot.tips.daily` process that is SIGKILLed while Slack holds its accepted post.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import tips
from bot.settings import Settings
from bot.slack_api import web_client
from bot.sqlite_store import SQLiteStore
from bot.store import CLAIM_LEASE_SECONDS
from tests.fake_slack import FakeSlack
from tests.test_tips import ENTRIES, FakeIndex

REPO = Path(__file__).resolve().parents[1]
EVENT = {"time": "2024-09-02T00:00:00Z"}  # Monday 09:00 in Seoul
DAY = dt.date(2024, 9, 2)
CHANNELS = ["C1", "C2", "C3"]


def run(
    fake: FakeSlack, store: SQLiteStore, deadline: float = 20, **settings: str
) -> dict[str, str]:
    """One scheduled run, as Lambda makes it: raises when a channel is still owed its tip."""
    config = Settings(til_tip_deadline_seconds=deadline, **settings)  # type: ignore[arg-type]
    client = web_client(fake.url, fake.token)
    return tips.run_daily(config, FakeIndex(ENTRIES), store, client, EVENT)


def tips_in(fake: FakeSlack, channel: str) -> int:
    return sum(
        1
        for m in fake.history.get(channel, [])
        if (m.get("metadata") or {}).get("event_type") == tips.TIP_EVENT
    )


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "state.sqlite3")
    for channel in CHANNELS:
        s.subscribe(channel)
    return s


def test_an_outage_makes_the_run_fail_and_the_retry_posts_exactly_once(
    fake_slack: FakeSlack, store: SQLiteStore
) -> None:
    fake_slack.server_error("chat.postMessage", times=len(CHANNELS))
    with pytest.raises(tips.DailyTipIncomplete) as failed:
        run(fake_slack, store)
    assert all(r.startswith("error:") for r in failed.value.results.values())
    assert all(tips_in(fake_slack, c) == 0 for c in CHANNELS)

    retry = run(fake_slack, store)  # Lambda's retry of the scheduled invocation
    assert all(r.startswith("posted:") for r in retry.values())
    assert run(fake_slack, store) == {c: "already-posted" for c in CHANNELS}
    assert [tips_in(fake_slack, c) for c in CHANNELS] == [1, 1, 1]


def test_one_channel_failing_still_fails_the_run_after_the_others_got_theirs(
    fake_slack: FakeSlack, store: SQLiteStore
) -> None:
    fake_slack.fail("chat.postMessage", "internal_error", channel="C2")
    with pytest.raises(tips.DailyTipIncomplete) as failed:
        run(fake_slack, store)
    assert failed.value.results["C2"] == "error:internal_error"
    assert failed.value.results["C1"].startswith("posted:")
    fake_slack.clear_failures()
    retry = run(fake_slack, store)
    assert retry["C2"].startswith("posted:")
    assert retry["C1"] == retry["C3"] == "already-posted"
    assert [tips_in(fake_slack, c) for c in CHANNELS] == [1, 1, 1]


def test_a_post_slack_accepted_but_answered_late_is_not_posted_again(
    fake_slack: FakeSlack, store: SQLiteStore
) -> None:
    # Slack takes the post for C1, then answers after the client has given up on it.
    fake_slack.slow("chat.postMessage", 4, accept=True, channel="C1")
    with pytest.raises(tips.DailyTipIncomplete) as failed:
        run(fake_slack, store, deadline=2.5)
    assert failed.value.results["C1"].startswith("error:")
    assert tips_in(fake_slack, "C1") == 1  # it did go out

    retry = run(fake_slack, store)
    assert retry["C1"] == "already-posted"  # found in the channel's history, not re-posted
    assert all(tips_in(fake_slack, c) == 1 for c in CHANNELS)
    # The rotation moved on: tomorrow's tip is another entry.
    first = store.get_rotation("C1").shown
    assert len(first) == 1


def test_hanging_channels_cannot_hold_the_run_past_its_deadline(
    fake_slack: FakeSlack, store: SQLiteStore
) -> None:
    fake_slack.slow("chat.postMessage", 30, accept=False, times=len(CHANNELS))
    started = time.monotonic()
    with pytest.raises(tips.DailyTipIncomplete):
        run(fake_slack, store, deadline=4)
    assert time.monotonic() - started < 6
    fake_slack.clear_failures()
    time.sleep(0.1)
    run(fake_slack, store)
    assert [tips_in(fake_slack, c) for c in CHANNELS] == [1, 1, 1]


def test_a_long_retry_after_is_not_waited_out_past_the_deadline(
    fake_slack: FakeSlack, store: SQLiteStore
) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=40)
    started = time.monotonic()
    with pytest.raises(tips.DailyTipIncomplete) as failed:
        run(fake_slack, store, deadline=5)
    assert time.monotonic() - started < 6
    assert failed.value.results["C1"] == "error:ratelimited"
    assert failed.value.results["C2"].startswith("posted:")  # the limit was for one call
    run(fake_slack, store)
    assert [tips_in(fake_slack, c) for c in CHANNELS] == [1, 1, 1]


def test_a_run_killed_after_slack_accepted_its_post_is_not_posted_twice(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """SIGKILL while Slack holds the accepted post: the claim stays pending; a run after the
    lease takes it over, looks in the channel, and finds the tip already there."""
    db = tmp_path / "state.sqlite3"
    SQLiteStore(db).subscribe("C1")
    fake_slack.slow("chat.postMessage", 60, accept=True, channel="C1")
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_SIGNING_SECRET": "unused",
        "SLACK_API_URL": fake_slack.url,
        "SLACK_SECRET_ID": "",
        "TIL_KB_URI": "",
        "TIL_STATE": "sqlite",
        "TIL_SQLITE_PATH": str(db),
        "PYTHONPATH": str(REPO),
    }
    code = f"from bot import tips; tips.daily({EVENT!r})"
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 20
        while tips_in(fake_slack, "C1") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tips_in(fake_slack, "C1") == 1, "the run never reached Slack"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    fake_slack.clear_failures()

    # Before the lease runs out, another run leaves the channel alone (it may still be posting).
    assert tips.post_daily(
        Settings(), FakeIndex(ENTRIES), SQLiteStore(db), web_client(fake_slack.url), DAY
    ) == {"C1": "already-posted"}
    later = SQLiteStore(db, clock=lambda: time.time() + CLAIM_LEASE_SECONDS + 1)
    client = web_client(fake_slack.url, fake_slack.token)
    result = tips.post_daily(Settings(), FakeIndex(ENTRIES), later, client, DAY)
    assert result == {"C1": "already-posted"}
    assert tips_in(fake_slack, "C1") == 1
    assert tips.post_daily(Settings(), FakeIndex(ENTRIES), later, client, DAY) == {
        "C1": "already-posted"
    }

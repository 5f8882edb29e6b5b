"""`python -m bot serve --socket` end to end: a real process, the fake Web API, a local WebSocket.

Slack's Socket Mode is played by FakeSocketMode: the bot asks the fake Web API for a socket URL
with its app token, connects, and gets envelopes exactly as Slack would push them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack, block_text
from tests.fake_socket_mode import FakeSocketMode

REPO = Path(__file__).resolve().parents[1]


def serve_socket(fake_slack: FakeSlack, tmp_path: Path, app_token: str) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_"))}
    env = {
        **clean,
        "SLACK_APP_TOKEN": app_token,
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_API_URL": fake_slack.url,
        "TIL_SQLITE_PATH": str(tmp_path / "state.sqlite3"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--socket"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def socket_mode(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as slack_side:
        fake_slack.socket_url = slack_side.url
        yield slack_side


@pytest.fixture
def bot(
    socket_mode: FakeSocketMode, fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[subprocess.Popen[str]]:
    """The bot, connected to `socket_mode`."""
    process = serve_socket(fake_slack, tmp_path, fake_slack.app_token)
    try:
        if not socket_mode.connected.wait(30):
            process.kill()
            pytest.fail(f"the bot never connected:\n{process.communicate()[1][-3000:]}")
        yield process
    finally:
        process.terminate()
        process.wait(10)


def test_slash_command_is_answered_in_the_socket_ack(
    socket_mode: FakeSocketMode, fake_slack: FakeSlack, bot: subprocess.Popen[str]
) -> None:
    socket_mode.send(
        {
            "envelope_id": "env-til-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "command": "/til",
                "text": "도커가 뭐야?",
                "team_id": TEAM_ID,
                "channel_id": "C0GENERAL",
                "user_id": "U0ALICE",
                "response_url": fake_slack.response_url(),
                "trigger_id": "trigger-1",
            },
        }
    )
    reply = socket_mode.ack("env-til-1")["payload"]
    assert reply["response_type"] == "ephemeral"
    header = next(b for b in reply["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "Docker"
    assert "TIL-9-1-9-15.md:197" in block_text(reply["blocks"])
    # Only the socket URL was asked of the Web API; the answer itself rode on the ack.
    assert [c.method for c in fake_slack.records] == ["apps.connections.open"]
    bot.terminate()
    _, log = bot.communicate(timeout=10)
    assert "WARNING" not in log and "Traceback" not in log  # a clean terminal


def test_mention_is_answered_in_its_thread(
    socket_mode: FakeSocketMode, fake_slack: FakeSlack, bot: subprocess.Popen[str]
) -> None:
    event = {
        "type": "app_mention",
        "user": "U0ALICE",
        "text": f"<@{BOT_USER_ID}> zappa란?",
        "ts": "1700000000.000100",
        "channel": "C0GENERAL",
        "event_ts": "1700000000.000100",
    }
    socket_mode.send(
        {
            "envelope_id": "env-mention-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
            "payload": {
                "type": "event_callback",
                "team_id": TEAM_ID,
                "api_app_id": "A0TILBOT",
                "event": event,
                "event_id": "Ev0MENTION1",
                "event_time": 1700000000,
                "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            },
        }
    )
    socket_mode.ack("env-mention-1")
    deadline = time.monotonic() + 10  # the ack comes first, the post right after it
    while not fake_slack.posted() and time.monotonic() < deadline:
        time.sleep(0.05)
    [post] = fake_slack.posted()
    assert post.body["channel"] == "C0GENERAL"
    assert post.body["thread_ts"] == "1700000000.000100"
    assert "Zappa" in post.text()


def test_a_refused_app_token_is_reported_without_a_traceback(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    bot = serve_socket(fake_slack, tmp_path, "xapp-revoked")
    _, stderr = bot.communicate(timeout=60)
    assert bot.returncode == 2
    assert "SLACK_APP_TOKEN" in stderr and "invalid_auth" in stderr
    assert "Traceback" not in stderr

"""Verify, then parse: an unverifiable request causes nothing, a malformed verified one no crash.

Every request goes through bot.wsgi.app's callable with a real environ; the fake Slack records
any call the bot makes, including POSTs to a body's response_url, so "nothing happened" is
checked where it would show.
"""

from __future__ import annotations

import io
import json
import logging
import time
import urllib.parse
from typing import Any

import pytest

from bot.sqlite_store import SQLiteStore
from bot.verify import MAX_BODY_BYTES
from knowledge import Index
from tests.fake_slack import BOT_USER_ID, FakeSlack, SlackSide


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert "Traceback" not in record.getMessage()


@pytest.mark.parametrize("timestamp", ["abc", "1.7e9", " 1700000000", "-1", "", "1" * 40])
def test_a_malformed_timestamp_gets_401_and_the_bot_sends_nothing(
    slack: SlackSide, fake_slack: FakeSlack, index: Index, timestamp: str, caplog
) -> None:
    """The reported hole: Bolt's int(timestamp) raised and the error handler then POSTed to
    the unverified body's response_url and posted in its channel."""
    payload = slack.action_payload(
        "til_vote_up", index.entries[0].id, response_url=fake_slack.response_url("attacker")
    )
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=x"}
    with caplog.at_level(logging.INFO):
        r = slack.post_action(payload, signed=False, extra_headers=headers)
        mention = slack.mention(
            f"<@{BOT_USER_ID}> docker", signed=False, extra_headers=headers, event_id="EvForged"
        )
    assert (r.status, mention.status) == (401, 401)
    assert fake_slack.records == []
    no_tracebacks(caplog)


def test_a_correctly_signed_click_with_a_malformed_timestamp_is_still_refused(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    payload = slack.action_payload("til_vote_up", index.entries[0].id)
    form = urllib.parse.urlencode({"payload": json.dumps(payload)})
    ts = str(int(time.time()))
    good = slack.signer.headers(form, int(ts))
    forged_ts = {**good, "X-Slack-Request-Timestamp": ts + ".0"}
    assert slack.post_action(payload, signed=False, extra_headers=forged_ts).status == 401
    assert fake_slack.records == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": {"type": "app_m', "application/json"),
        (b"\xff\xfe\x00payload=\xc3\x28", "application/x-www-form-urlencoded"),
        (b"[1, 2, 3]", "application/json"),
        (b"payload=%7B%22type%22", "application/x-www-form-urlencoded"),
    ],
)
def test_unsigned_garbage_gets_401_and_no_traceback(
    slack: SlackSide, fake_slack: FakeSlack, body: bytes, content_type: str, caplog
) -> None:
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    with caplog.at_level(logging.DEBUG):
        r = slack.client.request("POST", "/slack/events", body, headers)
    assert r.status == 401
    assert fake_slack.records == []
    no_tracebacks(caplog)


class CountingStream(io.RawIOBase):
    """A request body that is never-ending and counts what the server reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = 1 << 16 if size is None or size < 0 else size
        self.read_bytes += n
        return b"x" * n


@pytest.mark.parametrize("declared", [str(100 * 1024 * 1024), None])
def test_a_huge_body_is_refused_without_being_read_whole(
    slack: SlackSide, fake_slack: FakeSlack, declared: str | None
) -> None:
    stream = CountingStream()
    overrides: dict[str, Any] = {"wsgi.input": stream, "CONTENT_LENGTH": declared or ""}
    headers = {"Content-Type": "application/json", "X-Slack-Signature": "v0=x"}
    r = slack.client.request("POST", "/slack/events", b"", headers, environ_overrides=overrides)
    assert r.status == 413
    assert stream.read_bytes <= MAX_BODY_BYTES + 1
    assert fake_slack.records == []


def event_body(event: Any) -> dict[str, Any]:
    return {"type": "event_callback", "event_id": "EvBad", "team_id": "T1", "event": event}


def nested(depth: int) -> str:
    return '{"type": "event_callback", "event": ' + "[" * depth + "]" * depth + "}"


MALFORMED = {
    "event is a string": json.dumps(event_body("app_mention")),
    "event is a list": json.dumps(event_body([{"type": "app_mention"}])),
    "event type is a number": json.dumps(event_body({"type": 7, "channel": "C1"})),
    "nested 100k deep": nested(100_000),
    "a JSON list": json.dumps([event_body({"type": "app_mention"})]),
    "truncated JSON": json.dumps(event_body({"type": "app_mention"}))[:-5],
    "authorizations not a list": json.dumps({**event_body({"type": "x"}), "authorizations": 3}),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_signed_malformed_event_gets_400_and_no_traceback(
    slack: SlackSide, fake_slack: FakeSlack, name: str, caplog
) -> None:
    with caplog.at_level(logging.INFO):
        r = slack.post(MALFORMED[name], "application/json")
    assert r.status == 400, name
    assert fake_slack.records == []
    no_tracebacks(caplog)
    assert any("malformed" in rec.getMessage() for rec in caplog.records)


@pytest.mark.parametrize("actions", [[], "til_vote_up", [1, 2], None])
def test_a_signed_click_with_malformed_actions_gets_400_and_no_traceback(
    slack: SlackSide, fake_slack: FakeSlack, index: Index, actions: Any, caplog
) -> None:
    payload = slack.action_payload("til_vote_up", index.entries[0].id)
    payload["actions"] = actions
    with caplog.at_level(logging.INFO):
        r = slack.post_action(payload)
    assert r.status == 400
    assert fake_slack.records == []
    no_tracebacks(caplog)


def test_fields_from_a_request_cannot_forge_log_lines(
    slack: SlackSide, fake_slack: FakeSlack, store: SQLiteStore, index: Index, caplog
) -> None:
    store.close()  # the vote fails, so the error handler logs who clicked where
    payload = slack.action_payload(
        "til_vote_up", index.entries[0].id, user="U1\nERROR forged: admin logged in"
    )
    payload["channel"] = {"id": "C1\r\nINFO forged", "name": "general"}
    with caplog.at_level(logging.INFO):
        r = slack.post_action(payload)
    assert r.status == 200
    failed = [rec.getMessage() for rec in caplog.records if "listener failed" in rec.getMessage()]
    assert failed, [rec.getMessage() for rec in caplog.records]
    for line in failed:
        assert "\n" not in line.split(": ", 1)[0] and "\r" not in line
        assert "\\nERROR forged" in line

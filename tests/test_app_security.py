"""Forged and stale requests, hostile text, huge input, failures: what an attacker or a bad day sees."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse

from bot.sqlite_store import SQLiteStore
from knowledge import Index
from tests.fake_slack import BOT_USER_ID, FakeSlack, SlackSide, SlackSigner

HOSTILE = (
    "&lt;!channel&gt; &lt;!here&gt; &lt;@U0BOSS&gt; a &amp; b &lt;https://evil.example|click&gt;"
)


def slash_body(text: str) -> str:
    return urllib.parse.urlencode(
        {"command": "/til", "text": text, "channel_id": "C0GENERAL", "user_id": "U0ALICE"}
    )


def test_forged_signature_is_rejected(slack: SlackSide, fake_slack: FakeSlack) -> None:
    forged = SlackSide(slack.client.app, SlackSigner("not-the-signing-secret"), fake_slack)
    assert forged.command("docker").status == 401
    assert forged.mention(f"<@{BOT_USER_ID}> docker").status == 401
    assert fake_slack.records == []


def test_unsigned_request_is_rejected(slack: SlackSide) -> None:
    r = slack.post(slash_body("docker"), "application/x-www-form-urlencoded", signed=False)
    assert r.status == 401


def test_body_changed_after_signing_is_rejected(slack: SlackSide) -> None:
    headers = slack.signer.headers(slash_body("docker"))
    r = slack.client.request(
        "POST",
        "/slack/events",
        slash_body("subscribe"),
        {"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert r.status == 401


def test_replayed_request_older_than_five_minutes_is_rejected(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    stale = int(time.time()) - 6 * 60
    assert slack.command("docker", timestamp=stale).status == 401
    assert slack.mention(f"<@{BOT_USER_ID}> docker", timestamp=stale).status == 401
    assert fake_slack.records == []
    assert slack.command("docker", timestamp=int(time.time()) - 60).status == 200


def assert_harmless(text: str) -> None:
    for ping in ("<!channel>", "<!here>", "<@U0BOSS>", "<https://evil.example"):
        assert ping not in text


def test_hostile_question_is_echoed_back_escaped(slack: SlackSide) -> None:
    r = slack.command(HOSTILE)
    assert r.status == 200
    raw = r.body.decode()
    assert_harmless(json.loads(raw)["text"])
    visible = r.text()
    assert_harmless(visible)
    assert "&lt;!channel&gt;" in visible  # shown literally, as typed
    assert "a &amp; b" in visible


def test_hostile_question_with_a_match_is_escaped_too(slack: SlackSide) -> None:
    visible = slack.command("docker <!channel> @here &lt;!everyone&gt;").text()
    assert_harmless(visible)
    assert "<!everyone>" not in visible
    assert "@here" not in visible  # a zero-width space keeps "@here" from ever pinging


def test_hostile_mention_in_a_channel_cannot_ping_anyone(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    slack.mention(f"<@{BOT_USER_ID}> {HOSTILE}")
    [post] = fake_slack.posted()
    assert_harmless(post.text())


def test_huge_input_is_searched_by_its_start_and_answered_short(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    huge = ("도커 이미지 " * 20_000)[:100_000]
    r = slack.command(huge)
    assert r.status == 200
    text = r.text()
    assert "앞부분만 검색했어요" in text
    assert len(r.body) < 40_000  # the echo is cut too, not 100 kB sent back

    slack.mention(f"<@{BOT_USER_ID}> {huge}")
    [post] = fake_slack.posted()
    assert len(json.dumps(post.body)) < 40_000

    # Cut between words: the last word is never half of one ("… rebase git reb"), named as
    # in no note.
    cut = slack.command("rebase git " * 100).text()
    assert "앞부분만 검색했어요" in cut and "rebase" in cut
    assert "reb" not in cut.replace("rebase", "")  # the echo too ends on a whole word


def test_whitespace_only_input_shows_usage(slack: SlackSide) -> None:
    assert "/til random" in slack.command("   \n\t ").text()


def test_failing_command_says_so_in_plain_words(
    slack: SlackSide, store: SQLiteStore, caplog
) -> None:
    store.close()
    with caplog.at_level(logging.ERROR):
        r = slack.command("subscribe", channel="C0DAILY")
    assert r.status == 200
    reply = r.json()
    assert reply["response_type"] == "ephemeral"
    assert "문제가 생겼어요" in reply["text"]
    assert "Traceback" not in r.body.decode() and "sqlite" not in r.body.decode().lower()
    logged = next(rec for rec in caplog.records if "listener failed" in rec.getMessage())
    assert "command=/til" in logged.getMessage() and "channel=C0DAILY" in logged.getMessage()
    assert "xoxb" not in logged.getMessage()


def test_failing_button_says_so_in_plain_words(
    slack: SlackSide, fake_slack: FakeSlack, store: SQLiteStore, index: Index
) -> None:
    store.close()
    r = slack.click("til_vote_up", index.entries[0].id)
    assert r.status == 200
    [told] = fake_slack.calls("response_url")
    assert "문제가 생겼어요" in told["text"]

"""@mentions and DMs: answered through the (fake) Slack Web API, once, and never to bots."""

from __future__ import annotations

import json
import logging
import time

from bot.sqlite_store import SQLiteStore
from tests.fake_slack import BOT_ID, BOT_USER_ID, Call, FakeSlack, SlackSide


def header_of(call: Call) -> str:
    return next(b for b in call.blocks() if b["type"] == "header")["text"]["text"]


def test_mention_is_answered_in_a_thread_under_the_question(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    r = slack.mention(f"<@{BOT_USER_ID}> pydantic 알려줘", ts="1700000000.123456")
    assert r.status == 200
    [post] = fake_slack.posted()
    assert post.method == "chat.postMessage"
    assert post.body["channel"] == "C0GENERAL"
    assert post.body["thread_ts"] == "1700000000.123456"
    assert header_of(post) == "pydantic"
    assert post.token == fake_slack.token
    # The bot's own mention is not part of the question it echoes back.
    assert f"<@{BOT_USER_ID}>" not in post.text()
    assert "pydantic 알려줘" in post.text()
    # Everything needed came in the event: no auth.test round trip.
    assert fake_slack.calls("auth.test") == []


def test_mention_inside_a_thread_answers_in_that_thread(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    slack.mention(
        f"<@{BOT_USER_ID}> zappa",
        ts="1700000000.000900",
        fields={"thread_ts": "1700000000.000001"},
    )
    [post] = fake_slack.posted()
    assert post.body["thread_ts"] == "1700000000.000001"
    assert header_of(post) == "Zappa"


def test_mention_without_a_question_gets_short_help(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    slack.mention(f"<@{BOT_USER_ID}>")
    [post] = fake_slack.posted()
    assert "무엇이 궁금한가요?" in post.text()
    assert post.body["thread_ts"] == "1700000000.000100"


def test_a_mention_or_dm_with_a_null_text_gets_help_not_a_failed_task(
    slack: SlackSide, fake_slack: FakeSlack, caplog
) -> None:
    # A message of attachments or blocks alone may come with "text": null.
    with caplog.at_level(logging.ERROR):
        slack.mention("", fields={"text": None})
        slack.dm("", fields={"text": None})
    posts = fake_slack.posted()
    assert len(posts) == 2 and "무엇이 궁금한가요?" in posts[0].text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_direct_message_is_answered_directly(slack: SlackSide, fake_slack: FakeSlack) -> None:
    slack.dm("git commit 취소 어떻게 해?")
    [post] = fake_slack.posted()
    assert post.body["channel"] == "D0ALICE"
    assert "thread_ts" not in post.body
    assert header_of(post) == "git add 취소 / git commit 취소"
    # Channel messages are public already: no "share" button there.
    assert "채널에 공유" not in post.text()


def test_a_retried_event_is_answered_only_once(slack: SlackSide, fake_slack: FakeSlack) -> None:
    first = slack.mention(f"<@{BOT_USER_ID}> docker", event_id="Ev0RETRY01")
    again = slack.mention(f"<@{BOT_USER_ID}> docker", event_id="Ev0RETRY01", retry_num=1)
    third = slack.mention(f"<@{BOT_USER_ID}> docker", event_id="Ev0RETRY01", retry_num=2)
    assert (first.status, again.status, third.status) == (200, 200, 200)
    assert len(fake_slack.posted()) == 1


def test_two_different_questions_are_both_answered(slack: SlackSide, fake_slack: FakeSlack) -> None:
    slack.mention(f"<@{BOT_USER_ID}> docker")
    slack.mention(f"<@{BOT_USER_ID}> zappa")
    assert [header_of(p) for p in fake_slack.posted()] == ["Docker", "Zappa"]


def test_bots_edits_and_channel_chatter_get_no_answer(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    own = slack.dm("Docker", fields={"user": BOT_USER_ID, "bot_id": BOT_ID})
    other_bot = slack.dm("docker", fields={"bot_id": "B0OTHER", "subtype": "bot_message"})
    edit = slack.dm(
        "docker",
        fields={"subtype": "message_changed", "message": {"text": "docker", "user": "U0ALICE"}},
    )
    joined = slack.dm("joined", fields={"subtype": "channel_join"})
    channel = slack.dm("docker", channel="C0GENERAL", fields={"channel_type": "channel"})
    bot_mention = slack.mention(f"<@{BOT_USER_ID}> docker", fields={"bot_id": "B0OTHER"})
    for r in (own, other_bot, edit, joined, channel, bot_mention):
        assert r.status == 200
    assert fake_slack.records == []


def test_rate_limited_reply_is_retried_after_retry_after(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    r = slack.mention(f"<@{BOT_USER_ID}> docker")
    assert r.status == 200
    attempts = fake_slack.calls_to("chat.postMessage")
    assert [a.status for a in attempts] == [429, 200]
    [post] = fake_slack.posted()
    assert header_of(post) == "Docker"


def test_slack_refusing_the_reply_is_logged_and_acknowledged(
    slack: SlackSide, fake_slack: FakeSlack, caplog
) -> None:
    fake_slack.fail("chat.postMessage", "channel_not_found", channel="C0GONE")
    with caplog.at_level(logging.ERROR):
        r = slack.mention(f"<@{BOT_USER_ID}> docker", channel="C0GONE", event_id="Ev0GONE001")
    # 200, so Slack does not redeliver an event that can never be answered.
    assert r.status == 200
    assert fake_slack.posted() == []
    failure = next(rec for rec in caplog.records if "listener failed" in rec.getMessage())
    assert "event_id=Ev0GONE001" in failure.getMessage()
    assert "channel=C0GONE" in failure.getMessage()
    assert "channel_not_found" in failure.getMessage()


def test_a_failing_store_does_not_cost_the_user_the_answer(
    slack: SlackSide, fake_slack: FakeSlack, store: SQLiteStore, caplog
) -> None:
    store.close()  # every store call now raises, like a database gone away
    with caplog.at_level(logging.ERROR):
        r = slack.mention(f"<@{BOT_USER_ID}> docker")
    assert r.status == 200
    [post] = fake_slack.posted()
    assert header_of(post) == "Docker"  # an answer needs no state
    assert "Traceback" not in post.text() and "sqlite" not in post.text().lower()
    assert any("state store unavailable" in rec.getMessage() for rec in caplog.records)


def test_bot_identity_is_looked_up_once_only_when_an_event_lacks_it(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    for n in range(2):
        body = {
            "team_id": "T0TEAM001",
            "api_app_id": "A0TILBOT",
            "type": "event_callback",
            "event_id": f"Ev0NOAUTH{n}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": "U0ALICE",
                "text": f"<@{BOT_USER_ID}> docker",
                "ts": f"1700000000.00050{n}",
                "channel": "C0GENERAL",
            },
        }
        assert slack.post(json.dumps(body), "application/json").status == 200
    slack.settle()
    assert len(fake_slack.calls("auth.test")) == 1
    assert len(fake_slack.posted()) == 2


def test_url_verification_echoes_the_challenge(slack: SlackSide, fake_slack: FakeSlack) -> None:
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595", "type": "url_verification"}
    )
    r = slack.post(body, "application/json")
    assert r.status == 200
    assert r.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595"}
    assert fake_slack.records == []


# -- answered after the ack (bot.background) -----------------------------------------------


def test_a_mention_is_acked_at_once_while_slack_is_slow(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    # Slack hangs past its own 3-second deadline, then fails: an ack that waited for the post
    # would come after 5 s, one that does not comes inside Slack's 3 seconds, even on a loaded
    # machine.
    fake_slack.slow("chat.postMessage", 5, accept=False)
    started = time.monotonic()
    r = slack.mention(f"<@{BOT_USER_ID}> docker", wait=False)
    assert r.status == 200
    assert time.monotonic() - started < 3.0
    slack.settle()
    [post] = fake_slack.posted()  # the retry delivered it, once
    assert header_of(post) == "Docker"


def test_an_answer_slack_failed_to_take_is_retried_and_delivered_once(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    fake_slack.server_error("chat.postMessage", times=1)
    slack.mention(f"<@{BOT_USER_ID}> docker", event_id="Ev0RETRY01")
    [post] = fake_slack.posted()
    assert header_of(post) == "Docker"
    assert "문제가 생겼어요" not in post.text()  # no failure notice beside the answer
    # Slack's own redelivery of the same event is now a duplicate.
    slack.mention(f"<@{BOT_USER_ID}> docker", event_id="Ev0RETRY01", retry_num=1)
    assert len(fake_slack.posted()) == 1


def test_rate_limits_are_waited_out_only_briefly(slack: SlackSide, fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=2, retry_after=0)
    slack.mention(f"<@{BOT_USER_ID}> docker", event_id="Ev0LIMIT01")
    assert len(fake_slack.posted()) == 1

    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=20)
    started = time.monotonic()
    slack.mention(f"<@{BOT_USER_ID}> zappa", event_id="Ev0LIMIT02")
    assert time.monotonic() - started < 5  # not the 20 s Slack asked for
    assert len(fake_slack.posted()) == 2  # a later try got through


def test_a_request_for_help_in_a_dm_or_a_mention_gets_the_usage_not_a_search(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """A message that is nothing but a request for help ("help me", "도움말 보여줘", "how do I
    use this bot") gets how to use the bot, as `/til help` does, wherever it is asked; a question
    that merely has the word in it ("helm help 명령") is still searched."""
    asked = ["help", "help me", "도움말 보여줘", "how do I use this bot", "이 봇 어떻게 써?"]
    for text in asked:
        slack.dm(text)
        slack.mention(f"<@{BOT_USER_ID}> {text}")
    usage = slack.command("help").text()
    assert "/til random" in usage
    answers = [post.text() for post in fake_slack.posted()]
    assert len(answers) == 2 * len(asked)
    for text, answer in zip([t for t in asked for _ in (0, 1)], answers, strict=True):
        assert "/til random" in answer and "찾지 못했어요" not in answer, text
    for question in ("helm help 명령", "도움말 페이지 만드는 법"):
        slack.dm(question)
        answer = fake_slack.posted()[-1].text()
        assert "/til random" not in answer, question
        assert "검색 결과" in answer or "찾지 못했어요" in answer, question


def test_a_message_with_no_word_to_search_gets_the_usage_not_nothing_found(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """Messages such as "what can you do?", "뭐야?" or "???" name no topic at all: "I couldn't
    find a TIL about 'what can you do?'" answers nothing; how to ask does."""
    for said in ("what can you do?", "뭐야?", "???"):
        slack.dm(said)
        answer = fake_slack.posted()[-1].text()
        assert "/til random" in answer and "찾지 못했어요" not in answer, said
        assert "/til random" in slack.command(said).text()
    assert "찾지 못했어요" in slack.command("주말 날씨").text()  # a topic the notes lack

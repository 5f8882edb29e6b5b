"""The knowledge loop through signed Slack requests and the fake Slack: questions the bot could
not answer are logged and listed (/til gaps, the weekly digest, the Home tab), and users'
choices teach the search. Run on SQLite and on DynamoDB (moto)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from bot import learning
from bot.app import create_app
from bot.digest import post_weekly
from bot.settings import Settings
from bot.sqlite_store import SQLiteStore
from bot.store import KST, Outcome, Store
from bot.wsgi import TilWsgi
from knowledge import Index
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner, block_text

MISSING = "마이그레이션 롤백"  # no confident answer today, but "did you mean" buttons
LEARNED = "다른 사람들이 이 답을 골랐어요"


@pytest.fixture
def store(both_stores: Store) -> Store:
    return both_stores


def header(blocks: list[dict[str, Any]]) -> str:
    return next(b for b in blocks if b["type"] == "header")["text"]["text"]


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every button by its label: in actions blocks and as section accessories."""
    found: dict[str, dict[str, Any]] = {}
    for b in blocks:
        elements = b.get("elements", []) if b["type"] == "actions" else [b.get("accessory")]
        for el in elements:
            if el and el.get("type") == "button":
                found.setdefault(el["text"]["text"], el)
    return found


def suggested(slack: SlackSide, query: str) -> str:
    """The title of the first "did you mean" / "other candidates" button `query` gets today."""
    reply = slack.command(query, user="U0SOMEONE").json()
    block = next(
        b for b in reply["blocks"] if b.get("block_id") in {"til_suggestions", "til_candidates"}
    )
    return str(block["elements"][0]["text"]["text"])


def pick(slack: SlackSide, query: str, title: str, user: str) -> None:
    """`user` asks `query` and clicks the candidate titled `title` ("did you mean" / others)."""
    answer = slack.command(query, user=user).json()
    button = buttons(answer["blocks"])[title]
    assert slack.click(button["action_id"], button["value"], user=user).status == 200


# -- the question log ---------------------------------------------------------------------


def test_an_unanswered_question_is_logged_without_the_user_id(
    slack: SlackSide, store: Store
) -> None:
    slack.command("주말 날씨", user="U0ALICE", channel="C0DEV")
    slack.command("docker", user="U0ALICE")  # answered: counted, not logged
    [logged] = store.questions(since=0)
    assert (logged.query, logged.normalized, logged.channel, logged.outcome) == (
        "주말 날씨",
        "주말 날씨",
        "C0DEV",
        Outcome.UNANSWERED,
    )
    if isinstance(store, SQLiteStore):
        dump = "\n".join(store._db.iterdump())
        assert "U0ALICE" not in dump


def test_the_same_question_twice_by_one_user_is_logged_once(slack: SlackSide, store: Store) -> None:
    slack.command("주말 날씨", user="U0ALICE")
    slack.command("주말 날씨?", user="U0ALICE")  # the same normalised question
    slack.command("주말 날씨", user="U0BOB")
    assert len(store.questions(since=0)) == 2


def test_question_log_off_keeps_no_question_text(
    settings: Settings, index: Index, store: Store, signer: SlackSigner, fake_slack: FakeSlack
) -> None:
    settings = settings.model_copy(update={"til_question_log": False})
    slack = SlackSide(TilWsgi(lambda: create_app(settings, index, store)), signer, fake_slack)
    slack.command("주말 날씨")
    pick(slack, MISSING, suggested(slack, MISSING), "U0ALICE")
    assert store.questions(since=0) == []
    assert "TIL_QUESTION_LOG=off" in slack.command("gaps").text()


def test_gaps_lists_the_most_asked_unanswered_questions_with_a_write_button(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    for user in ("U1", "U2", "U3"):
        slack.command("react 상태관리", user=user)
    slack.command("React 상태관리 라이브러리", user="U4")  # shares its words: the same group
    slack.command("주말 날씨", user="U1")
    reply = slack.command("gaps").json()
    text = block_text(reply["blocks"])
    assert text.index("react 상태관리") < text.index("주말 날씨")
    assert "*react 상태관리* — 4번" in text and "*주말 날씨* — 1번" in text
    write = buttons(reply["blocks"])["TIL 쓰기"]
    slack.click(write["action_id"], write["value"])
    [opened] = fake_slack.views("views.open")
    title = opened["view"]["blocks"][0]["element"]["initial_value"]
    assert title == "react 상태관리"
    done = slack.submit_view(
        opened["view"]["callback_id"],
        {"title": title, "body": "useState로 충분할 때가 많다", "tags": "react, frontend"},
    ).json()
    assert done["response_action"] == "update"
    assert "*react 상태관리* 을(를) 저장했어요" in block_text(done["view"]["blocks"])
    # Saved: the question is answered now, by the new TIL, and is no longer a gap.
    answer = slack.command("react 상태관리").json()
    assert header(answer["blocks"]) == "react 상태관리"
    assert "useState로 충분할 때가 많다" in block_text(answer["blocks"])
    assert "react 상태관리" not in slack.command("gaps").text()


def test_a_write_modal_without_a_body_is_refused_with_a_message(slack: SlackSide) -> None:
    done = slack.submit_view("til_write_modal", {"title": "제목", "body": " "}).json()
    assert done["response_action"] == "errors"
    assert set(done["errors"]) == {"body"}


def test_what_is_asked_in_a_direct_message_is_counted_but_never_shown_as_a_gap(
    slack: SlackSide, store: SQLiteStore
) -> None:
    """`/til gaps` and the weekly digest show unanswered questions to others, in channels: a
    question put to the bot in a DM (a message or /til there) stays between the two."""
    slack.dm("우리 팀 연봉 협상 어떻게 해?")
    slack.settle()
    slack.command("연봉 인상률 얼마야", channel="D0ALICE")
    slack.command("주말 날씨", channel="C0GENERAL")  # asked in a channel: a gap as before
    gaps = slack.command("gaps").text()
    assert "주말 날씨" in gaps
    assert "연봉" not in gaps
    assert all("연봉" not in q.query for q in store.questions(since=0))
    # Still counted in the week's numbers, without their text (the Home tab's most asked).
    stats = store.week_stats(learning.week_of(time.time()))
    assert stats.asked == 3
    assert all("연봉" not in query for query, _ in stats.top_queries)


def test_gaps_with_nothing_logged_says_so(slack: SlackSide) -> None:
    slack.command("docker")
    assert "답하지 못한 질문이 없어요" in slack.command("gaps").text()


# -- choices teach the search -----------------------------------------------------------


def test_a_missed_query_is_answered_after_two_users_chose_the_same_entry(
    slack: SlackSide, store: Store
) -> None:
    assert "찾지 못했어요" in slack.command(MISSING, user="U0CAROL").text()
    picked = suggested(slack, MISSING)
    pick(slack, MISSING, picked, "U0ALICE")
    pick(slack, MISSING, picked, "U0BOB")
    answer = slack.command(MISSING, user="U0CAROL").json()
    assert header(answer["blocks"]) == picked
    assert LEARNED in block_text(answer["blocks"])
    outcomes = sorted(str(q.outcome) for q in store.questions(since=0))
    assert outcomes.count("chosen") == 2


def test_one_user_alone_cannot_move_an_answer(slack: SlackSide) -> None:
    for _ in range(3):
        pick(slack, MISSING, suggested(slack, MISSING), "U0ALICE")
    pick(slack, "docker", "Docker 이미지", "U0ALICE")
    pick(slack, "docker", "Docker 이미지", "U0ALICE")
    assert "찾지 못했어요" in slack.command(MISSING, user="U0BOB").text()
    assert header(slack.command("docker", user="U0BOB").json()["blocks"]) == "Docker"


def test_other_candidates_chosen_by_two_users_come_first(slack: SlackSide) -> None:
    pick(slack, "docker", "Docker 이미지", "U0ALICE")
    pick(slack, "docker가 뭐야?", "Docker 이미지", "U0BOB")  # the same question, normalised
    answer = slack.command("Docker", user="U0CAROL").json()
    assert header(answer["blocks"]) == "Docker 이미지"
    assert LEARNED in block_text(answer["blocks"])
    assert "Docker" in buttons(answer["blocks"])  # the old best is still a candidate
    # Another query is not affected.
    assert header(slack.command("docker 이미지 만들기").json()["blocks"]) == "Docker 이미지"


def test_two_thumbs_down_lower_an_answer_for_that_query(slack: SlackSide, store: Store) -> None:
    for user in ("U0ALICE", "U0BOB"):
        answer = slack.command("docker", user=user).json()
        down = buttons(answer["blocks"])["👎"]
        slack.click(down["action_id"], down["value"], user=user)
    answer = slack.command("docker", user="U0CAROL").json()
    assert header(answer["blocks"]) != "Docker"
    assert "Docker" in buttons(answer["blocks"])
    assert LEARNED not in block_text(answer["blocks"])
    assert [str(q.outcome) for q in store.questions(since=0)] == ["downvoted", "downvoted"]
    assert "*docker* — 2번" in slack.command("gaps").text()  # answered, but not well


def test_a_long_query_still_fits_the_button_value(slack: SlackSide) -> None:
    answer = slack.command("docker " + "가" * 400).json()
    values = [el["value"] for el in buttons(answer["blocks"]).values()]
    assert values and all(len(v) <= 2000 for v in values)
    assert all(json.loads(v)["e"] for v in values if v.startswith("{"))


def test_learned_choices_survive_a_restart(
    settings: Settings, index: Index, signer: SlackSigner, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    path = tmp_path / "state.sqlite3"
    first = SQLiteStore(path)
    slack = SlackSide(TilWsgi(lambda: create_app(settings, index, first)), signer, fake_slack)
    slack.command("주말 날씨")
    picked = suggested(slack, MISSING)
    pick(slack, MISSING, picked, "U0ALICE")
    pick(slack, MISSING, picked, "U0BOB")
    first.close()
    second = SQLiteStore(path)
    slack = SlackSide(TilWsgi(lambda: create_app(settings, index, second)), signer, fake_slack)
    assert header(slack.command(MISSING).json()["blocks"]) == picked
    gaps = slack.command("gaps").text()
    assert "주말 날씨" in gaps  # the log survived too
    assert MISSING not in gaps  # answered now (people taught it): no longer a gap
    second.close()
    rows = sqlite3.connect(path).execute("SELECT COUNT(*) FROM choices").fetchone()
    assert rows == (2,)


# -- App Home ---------------------------------------------------------------------------


def home_event(user: str = "U0ALICE") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": "D0ALICE", "tab": "home"}


def topic_label(index: Index) -> str:
    name, entries = next(iter(index.categories().items()))
    return f"{name} ({len(entries)}개)"


def test_home_tab_shows_topics_channels_and_this_weeks_numbers(
    slack: SlackSide, fake_slack: FakeSlack, store: Store, index: Index
) -> None:
    store.subscribe("C0DAILY")
    slack.command("docker", user="U1")
    slack.command("docker", user="U2")
    slack.command("주말 날씨", user="U1")
    answer = slack.command("git", user="U3").json()
    up = buttons(answer["blocks"])["👍"]
    slack.click(up["action_id"], up["value"], user="U3")
    before = len(fake_slack.records)
    slack.event(home_event())
    calls = fake_slack.records[before:]
    assert [c.method for c in calls] == ["views.publish"]  # the one Slack call
    [published] = fake_slack.views("views.publish")
    assert published["user_id"] == "U0ALICE"
    text = block_text(published["view"]["blocks"])
    assert "질문 4개 · 답변율 75% · 👍 1 · 👎 0" in text
    assert "• docker (2)" in text  # top queries
    assert "• 주말 날씨 (1)" in text  # top gaps
    assert "<#C0DAILY>" in text
    labels = buttons(published["view"]["blocks"])
    assert "답하지 못한 질문 보기" in labels and "TIL 쓰기" in labels
    assert topic_label(index) in labels  # browsable topics
    # A button's value is optional; an empty one could make Slack refuse the whole tab.
    assert all(button.get("value") != "" for button in labels.values())


def test_home_buttons_open_modals(slack: SlackSide, fake_slack: FakeSlack, index: Index) -> None:
    slack.command("주말 날씨")
    slack.event(home_event())
    [published] = fake_slack.views("views.publish")
    labels = buttons(published["view"]["blocks"])
    topic = labels[topic_label(index)]
    slack.click_in_view(topic["action_id"], topic["value"])
    slack.click_in_view(labels["답하지 못한 질문 보기"]["action_id"], "")
    slack.click_in_view(labels["TIL 쓰기"]["action_id"], "")
    topics, gaps, write = fake_slack.views("views.open")
    assert "Docker 이미지" in buttons(topics["view"]["blocks"])
    assert "주말 날씨" in block_text(gaps["view"]["blocks"])
    assert write["view"]["callback_id"] == "til_write_modal"
    assert fake_slack.calls("response_url") == []
    # An entry opened from the topic modal is pushed on top of it.
    entry = buttons(topics["view"]["blocks"])["Docker 이미지"]
    slack.click_in_view(entry["action_id"], entry["value"], view_type="modal")
    [pushed] = fake_slack.views("views.push")
    assert header(pushed["view"]["blocks"]) == "Docker 이미지"


# -- the weekly digest ------------------------------------------------------------------

MONDAY = dt.date(2026, 11, 30)


def test_weekly_digest_posts_the_top_gaps_once_a_week(
    slack: SlackSide, settings: Settings, store: Store, fake_slack: FakeSlack
) -> None:
    from slack_sdk import WebClient

    store.subscribe("C0DAILY")
    client = WebClient(token=fake_slack.token, base_url=fake_slack.url)
    assert post_weekly(settings, store, client, MONDAY) == {"C0DAILY": "nothing-to-report"}
    topics = ["react 상태관리", "주말 날씨", "스케줄러", "vue 라우터", "kafka 파티션", "점심 메뉴"]
    for i, question in enumerate(topics):
        for user in range(len(topics) - i):  # the first most asked
            slack.command(question, user=f"U{user}")
    assert post_weekly(settings, store, client, MONDAY) == {"C0DAILY": "posted"}
    assert post_weekly(settings, store, client, MONDAY) == {"C0DAILY": "already-posted"}
    assert post_weekly(settings, store, client, MONDAY + dt.timedelta(days=2)) == {
        "C0DAILY": "already-posted"  # the same week
    }
    [digest] = [c for c in fake_slack.posted() if c.method == "chat.postMessage"]
    assert "이번 주 답하지 못한 질문" in digest.text()
    shown = digest.text()
    assert [t in shown for t in topics] == [True] * 5 + [False]  # the top 5, most asked first
    assert shown.index("react 상태관리") < shown.index("주말 날씨") < shown.index("kafka 파티션")
    assert shown.count("TIL 쓰기") == 5
    assert digest.body["metadata"]["event_payload"] == {"week": "2026-W49"}


def test_a_digest_slack_accepted_but_answered_late_is_not_posted_again(
    fake_slack: FakeSlack, settings: Settings, tmp_path: Path
) -> None:
    import time

    from bot.slack_api import web_client
    from bot.store import Question

    store = SQLiteStore(tmp_path / "state.sqlite3")
    store.subscribe("C1")
    store.log_question(
        Question("주말 날씨", "주말 날씨", "C0", time.time(), Outcome.UNANSWERED), "k"
    )
    client = web_client(fake_slack.url, fake_slack.token)
    today = dt.datetime.now(KST).date()  # the fake Slack stamps messages with the clock
    fake_slack.slow("chat.postMessage", 4, accept=True, channel="C1")
    late = post_weekly(settings, store, client, today, deadline=time.monotonic() + 2.5)
    assert late["C1"].startswith("error:")  # the client gave up; Slack has the post
    assert post_weekly(settings, store, client, today) == {"C1": "already-posted"}
    digests = [m for m in fake_slack.history["C1"] if m.get("metadata")]
    assert len(digests) == 1


def test_gaps_group_by_stems_and_shared_words_without_chaining() -> None:
    from bot.gaps import top_gaps
    from bot.store import Question

    def q(text: str, normalized: str, outcome: Outcome = Outcome.UNANSWERED) -> Question:
        return Question(text, normalized, "C1", 0.0, outcome)

    gaps = top_gaps(
        [
            q("react 상태관리를 어떻게 해?", "react 상태관리를"),
            q("react 상태관리", "react 상태관리"),
            q("React 상태관리", "react 상태관리"),
            q("kafka 볼륨", "kafka 볼륨"),
            q("kafka 네트워크", "kafka 네트워크"),  # one shared word of two: its own group
            q("kafka 네트워크?", "kafka 네트워크", Outcome.DOWNVOTED),
            q("docker", "docker", Outcome.CHOSEN),  # found by a click: not a gap
        ]
    )
    assert [(g.example, g.count) for g in gaps] == [
        ("react 상태관리", 3),
        ("kafka 네트워크", 2),
        ("kafka 볼륨", 1),
    ]


def test_a_malformed_write_submission_gets_a_message_not_a_crash(slack: SlackSide) -> None:
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEAM001"},
        "user": {"id": "U0ALICE"},
        "trigger_id": "1.trigger",
        "view": {"type": "modal", "callback_id": "til_write_modal", "state": {"values": []}},
    }
    done = slack.post_action(payload)
    assert done.status == 200
    assert done.json()["response_action"] == "errors"


def test_home_lists_configured_daily_channels_too(
    settings: Settings, index: Index, store: Store, signer: SlackSigner, fake_slack: FakeSlack
) -> None:
    settings = settings.model_copy(update={"til_daily_channels": "C0CONF"})
    slack = SlackSide(TilWsgi(lambda: create_app(settings, index, store)), signer, fake_slack)
    store.subscribe("C0SUB")
    slack.event(home_event())
    [published] = fake_slack.views("views.publish")
    assert "<#C0CONF>, <#C0SUB>" in block_text(published["view"]["blocks"])

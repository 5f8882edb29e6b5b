"""Saving TILs from Slack, through signed Slack requests, the fake Slack and a fake GitHub: the
"TIL로 저장" shortcut and /til add open the write modal, a saved TIL answers at once (marked
new), its saver can edit or delete it, it can become a pull request, and it is exported as a
file. Run on SQLite and on DynamoDB (moto)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import create_app
from bot.saved import slack_to_markdown
from bot.settings import Settings
from bot.sqlite_store import SQLiteStore
from bot.store import Store
from bot.wsgi import TilWsgi
from knowledge import Index, load_index
from tests.fake_github import FakeGitHub
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner, block_text

QUESTION = "쿠버네티스 파드 재시작"  # the bundled notes know nothing about it
NEW = "새 TIL"
MESSAGE = {
    "ts": "1700000100.000100",
    "user": "U0BOB",
    "text": "*kubectl rollout restart* 로 파드를 다시 띄워요 &lt;무중단&gt;\n"
    "```\nkubectl rollout restart deployment/api\n```\n"
    "참고: <https://kubernetes.io/docs/reference/kubectl/|kubectl 문서>",
}


@pytest.fixture
def store(both_stores: Store) -> Store:
    return both_stores


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub().start()
    yield fake
    fake.stop()


@pytest.fixture
def members(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.users["U0ALICE"] = {"display_name": "앨리스", "real_name": "Alice Kim"}
    return fake_slack


def app_with(
    settings: Settings, index: Index, store: Store, signer: SlackSigner, fake: FakeSlack
) -> SlackSide:
    return SlackSide(TilWsgi(lambda: create_app(settings, index, store)), signer, fake)


def header(blocks: list[dict[str, Any]]) -> str:
    return str(next(b for b in blocks if b["type"] == "header")["text"]["text"])


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        el["text"]["text"]: el
        for b in blocks
        if b["type"] == "actions"
        for el in b["elements"]
        if el.get("type") == "button"
    }


def input_value(view: dict[str, Any], block_id: str) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return str(block["element"].get("initial_value", ""))


def save_from_message(
    slack: SlackSide, fake: FakeSlack, message: dict[str, Any], edits: dict[str, str]
) -> dict[str, Any]:
    """Alice picks "TIL로 저장" on `message`, changes the inputs in `edits`, and saves."""
    before = len(fake.views("views.open"))
    assert slack.shortcut("til_save", message).status == 200
    view = fake.views("views.open")[before]["view"]
    values = {b: input_value(view, b) for b in ("title", "body", "tags")}
    result: dict[str, Any] = slack.submitted(view, {**values, **edits}).json()
    return result


# -- saving from a message -----------------------------------------------------------------


def test_a_message_saved_as_til_answers_at_once_marked_new_with_a_thread_reply(
    slack: SlackSide, members: FakeSlack, store: Store, github: FakeGitHub
) -> None:
    assert "찾지 못했어요" in slack.command(QUESTION).text()
    slack.shortcut("til_save", MESSAGE, channel="C0DEV")
    [opened] = members.views("views.open")
    view = opened["view"]
    assert view["callback_id"] == "til_write_modal"  # the one write modal, not a second one
    body = input_value(view, "body")
    assert body.startswith("**kubectl rollout restart** 로 파드를 다시 띄워요 <무중단>")
    assert "```\nkubectl rollout restart deployment/api\n```" in body
    assert "[kubectl 문서](https://kubernetes.io/docs/reference/kubectl/)" in body
    assert input_value(view, "title") == "kubectl rollout restart 로 파드를 다시 띄워요 <무중단>"

    done = slack.submitted(
        view, {"title": QUESTION, "body": body, "tags": "k8s, 운영"}, user="U0ALICE"
    ).json()
    assert done["response_action"] == "update"
    assert f"*{QUESTION}* 을(를) 저장했어요" in block_text(done["view"]["blocks"])

    answer = slack.command(QUESTION, user="U0ALICE").json()
    assert header(answer["blocks"]) == QUESTION
    shown = block_text(answer["blocks"])
    assert NEW in shown and "앨리스님이 저장" in shown
    assert "https://example.slack.com/archives/C0DEV/p1700000100000100" in shown
    assert {"수정", "삭제"} <= set(buttons(answer["blocks"]))  # Alice saved it
    other = slack.command(QUESTION, user="U0CAROL").json()
    assert NEW in block_text(other["blocks"])
    assert not {"수정", "삭제"} & set(buttons(other["blocks"]))  # only for the saver

    [reply] = [c for c in members.calls("chat.postMessage") if c.get("thread_ts")]
    assert (reply["channel"], reply["thread_ts"]) == ("C0DEV", MESSAGE["ts"])
    assert reply["text"] == f"📝 TIL로 저장했어요: *{QUESTION}*"
    [note] = store.saved_notes()
    assert (note.author, note.author_name, note.tags) == ("U0ALICE", "앨리스", ["k8s", "운영"])
    assert github.calls == []  # no TIL_GITHUB_REPO: nothing goes to GitHub


def test_saving_on_a_threads_parent_takes_the_whole_thread(
    slack: SlackSide, members: FakeSlack
) -> None:
    parent = {**MESSAGE, "thread_ts": MESSAGE["ts"], "reply_count": 2}
    members.threads[("C0GENERAL", MESSAGE["ts"])] = [
        parent,
        {"ts": "1700000100.000200", "user": "U0CAROL", "text": "_readiness probe_ 도 확인!"},
        {"ts": "1700000100.000300", "bot_id": "B1", "text": "TIL 봇의 답"},
        {"ts": "1700000100.000400", "user": "U0BOB", "text": "~롤백~ 은 `rollout undo`"},
    ]
    save_from_message(slack, members, parent, {"title": QUESTION})
    [replies] = members.calls("conversations.replies")
    assert (replies["channel"], replies["ts"]) == ("C0GENERAL", MESSAGE["ts"])
    answer = block_text(slack.command(QUESTION).json()["blocks"])
    assert "readiness probe" in answer and "rollout undo" in answer
    assert "TIL 봇의 답" not in answer  # bots' messages are not part of the TIL


def test_mentions_in_a_saved_message_read_as_names_not_ids(
    slack: SlackSide, members: FakeSlack
) -> None:
    """Slack sends a mention as `<@U0BOB>` and a channel as `<#C0DEV>`, ids only. Saved as
    they came, the TIL would show ids forever: they are names in the form and on the card
    (Slack's own lookups), `@user` / `#channel` when Slack cannot say."""
    members.users["U0BOB"] = {"display_name": "밥", "real_name": "Bob Lee"}
    members.channels["C0DEV"] = "dev"
    message = {
        "ts": "1700000200.000100",
        "user": "U0BOB",
        "text": "<@U0BOB> 가 <#C0DEV> 에서 알려준 팁, <@U0GONE> 도 <#C0SECRET> 에 남겼어요",
    }
    slack.shortcut("til_save", message, channel="C0DEV")
    [opened] = members.views("views.open")
    body = input_value(opened["view"], "body")
    assert body == "@밥 가 #dev 에서 알려준 팁, @user 도 #channel 에 남겼어요"
    slack.submitted(opened["view"], {"title": "이름 팁", "body": body, "tags": ""})
    card = slack.command("이름 팁").json()["blocks"]
    [shown] = [b["text"]["text"] for b in card if "알려준 팁" in b.get("text", {}).get("text", "")]
    assert shown == "@밥 가 #dev 에서 알려준 팁, @user 도 #channel 에 남겼어요"


def test_a_saved_message_s_form_opens_in_time_when_slack_is_slow_to_name_people(
    slack: SlackSide, members: FakeSlack
) -> None:
    """Each mention is a users.info round trip: one after another, eight slow ones kept the
    form from opening before its trigger expired (3 seconds). It opens, naming whom it could."""
    for n in range(8):
        members.users[f"U0P{n}"] = {"display_name": f"p{n}"}
    members.slow("users.info", 2.0, times=8)
    message = {
        "ts": "1700000300.000100",
        "user": "U0P0",
        "text": " ".join(f"<@U0P{n}>" for n in range(8)) + " 와 같이 정리한 팁",
    }
    started = time.monotonic()
    slack.shortcut("til_save", message, channel="C0DEV")
    [opened] = members.views("views.open")
    assert time.monotonic() - started < 3.0
    assert input_value(opened["view"], "body") == " ".join(["@user"] * 8) + " 와 같이 정리한 팁"


def test_til_add_opens_the_write_modal_with_the_title(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    reply = slack.command("add 파이썬 GIL 정리")
    assert reply.status == 200 and reply.body == b""  # nothing shown but the modal
    [opened] = fake_slack.views("views.open")
    assert input_value(opened["view"], "title") == "파이썬 GIL 정리"
    assert opened["view"]["submit"]["text"] == "저장"
    slack.submitted(opened["view"], {"title": "파이썬 GIL 정리", "body": "한 번에 한 스레드만"})
    assert header(slack.command("GIL").json()["blocks"]) == "파이썬 GIL 정리"
    # Nothing to reply to in a thread, nobody's message to link.
    assert not [c for c in fake_slack.calls("chat.postMessage") if c.get("thread_ts")]


def test_til_add_in_a_mention_says_how_to_save(slack: SlackSide, fake_slack: FakeSlack) -> None:
    slack.mention("<@UTILBOT01> add 무언가")
    [answer] = fake_slack.calls("chat.postMessage")
    assert "/til add" in json.dumps(answer, ensure_ascii=False)


# -- limits ------------------------------------------------------------------------------------


def test_a_save_needs_a_title_and_a_body_within_their_sizes(slack: SlackSide) -> None:
    def errors(values: dict[str, str]) -> dict[str, str]:
        done = slack.submit_view("til_write_modal", values).json()
        assert done["response_action"] == "errors"
        return dict(done["errors"])

    assert set(errors({"title": "", "body": "내용"})) == {"title"}
    assert "150자까지" in errors({"title": "가" * 151, "body": "내용"})["title"]
    assert "20000자까지" in errors({"title": "제목", "body": "나" * 20_001})["body"]
    tags = ", ".join(f"t{i}" for i in range(11))
    assert "10개까지" in errors({"title": "제목", "body": "내용", "tags": tags})["tags"]
    assert "찾지 못했어요" in slack.command("제목").text()  # nothing was saved


def test_one_user_cannot_flood_the_store(slack: SlackSide, store: Store) -> None:
    for i in range(10):
        done = slack.submit_view("til_write_modal", {"title": f"노트 {i}", "body": "내용"})
        assert done.json()["response_action"] == "update"
    refused = slack.submit_view("til_write_modal", {"title": "노트 10", "body": "내용"}).json()
    assert refused["response_action"] == "errors"
    assert "한 시간에 TIL을 10개까지" in refused["errors"]["title"]
    other = slack.submit_view("til_write_modal", {"title": "밥의 노트", "body": "내용"}, "U0BOB")
    assert other.json()["response_action"] == "update"
    assert len(store.saved_notes()) == 11


def test_saved_text_is_escaped_on_its_way_back_into_slack(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    title = "<!channel> 알림 & <@U0BOB> 멘션"
    done = save_from_message(
        slack, fake_slack, MESSAGE, {"title": title, "body": "<!here> 본문 <b>"}
    )
    [reply] = [c for c in fake_slack.calls("chat.postMessage") if c.get("thread_ts")]
    answer = slack.command("알림 멘션").json()
    assert header(answer["blocks"]) == title  # plain_text: shown as typed, never parsed
    # Slack reads control sequences in mrkdwn: there, every one of them is escaped.
    raw = json.dumps(
        [reply["text"], *mrkdwn_texts(done["view"]), *mrkdwn_texts(answer["blocks"])],
        ensure_ascii=False,
    )
    assert raw.count("&lt;!channel&gt;") == 2 and "&lt;!here&gt;" in raw
    assert "<!here>" not in raw and "<!channel>" not in raw and "<@U0BOB>" not in raw


def mrkdwn_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            return [str(node["text"])]
        return [t for value in node.values() for t in mrkdwn_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in mrkdwn_texts(value)]
    return []


# -- edit and delete -----------------------------------------------------------------------


def test_the_saver_edits_and_deletes_from_the_card_and_nobody_else_can(
    slack: SlackSide, members: FakeSlack, store: Store
) -> None:
    save_from_message(slack, members, MESSAGE, {"title": QUESTION, "tags": "k8s"})
    card = slack.command(QUESTION).json()["blocks"]
    edit, delete = buttons(card)["수정"], buttons(card)["삭제"]
    assert "confirm" in delete  # Slack asks before deleting

    slack.click(edit["action_id"], edit["value"], user="U0CAROL")
    slack.click(delete["action_id"], delete["value"], user="U0CAROL")
    refusals = [c["text"] for c in members.calls("response_url")]
    assert refusals == ["이 TIL을 저장한 사람만 고치거나 지울 수 있어요."] * 2
    assert len(store.saved_notes()) == 1

    slack.click(edit["action_id"], edit["value"], user="U0ALICE")
    reopened = members.views("views.open")[-1]["view"]
    assert input_value(reopened, "title") == QUESTION
    assert input_value(reopened, "tags") == "k8s"
    assert "kubectl rollout restart" in input_value(reopened, "body")
    slack.submitted(reopened, {"title": QUESTION, "body": "고친 내용: drain 먼저", "tags": "k8s"})
    assert "고친 내용" in block_text(slack.command(QUESTION).json()["blocks"])
    assert len(store.saved_notes()) == 1  # the same note, edited

    # Someone else submitting an edit modal for it (a forged metadata) is refused too.
    forged = slack.submit_view(
        "til_write_modal",
        {"title": "탈취", "body": "x"},
        user="U0CAROL",
        private_metadata=reopened["private_metadata"],
    ).json()
    assert forged["response_action"] == "errors"

    slack.click(delete["action_id"], delete["value"], user="U0ALICE")
    assert "지웠어요" in members.calls("response_url")[-1]["text"]
    assert "찾지 못했어요" in slack.command(QUESTION).text()
    assert store.saved_notes() == []


# -- GitHub --------------------------------------------------------------------------------


@pytest.fixture
def with_github(
    settings: Settings,
    index: Index,
    store: Store,
    signer: SlackSigner,
    members: FakeSlack,
    github: FakeGitHub,
) -> SlackSide:
    """Our app with TIL_GITHUB_REPO and TIL_GITHUB_TOKEN set, GitHub's API being the fake."""
    configured = settings.model_copy(
        update={
            "til_github_repo": github.repo,
            "til_github_token": github.token,
            "til_github_api_url": github.url,
        }
    )
    return app_with(configured, index, store, signer, members)


def test_with_github_configured_a_save_opens_a_pull_request_adding_the_file(
    with_github: SlackSide, store: Store, members: FakeSlack, github: FakeGitHub
) -> None:
    done = save_from_message(with_github, members, MESSAGE, {"title": QUESTION, "tags": "k8s"})
    assert "pull request를 여는 중" in block_text(done["view"]["blocks"])
    [pull] = github.pulls
    assert pull["title"] == f"TIL: {QUESTION}" and pull["base"] == "main"
    [(branch, path)] = [key for key in github.files]
    assert branch == pull["head"] and path.startswith("k8s/") and path.endswith(".md")
    text = github.files[(branch, path)]
    assert "author: 앨리스\n" in text and f"# {QUESTION}\n" in text
    assert 'source: "https://example.slack.com/archives/C0GENERAL/p1700000100000100"' in text
    assert "kubectl rollout restart deployment/api" in text
    [update] = members.views("views.update")
    assert pull["html_url"] in block_text(update["view"]["blocks"])
    [note] = store.saved_notes()
    assert note.pull_request == pull["html_url"]


def test_a_github_failure_keeps_the_note_and_tells_the_saver(
    with_github: SlackSide, store: Store, members: FakeSlack, github: FakeGitHub
) -> None:
    github.fail("contents", 422, "Invalid request")
    save_from_message(with_github, members, MESSAGE, {"title": QUESTION})
    [update] = members.views("views.update")
    told = block_text(update["view"]["blocks"])
    assert "pull request는 열지 못했어요" in told and "Invalid request" in told
    assert github.token not in told
    answer = with_github.command(QUESTION).json()
    assert header(answer["blocks"]) == QUESTION  # saved all the same
    assert github.pulls == []


def test_an_edit_of_a_saved_til_updates_its_open_pull_request_and_only_its_saver_can(
    with_github: SlackSide, store: Store, members: FakeSlack, github: FakeGitHub
) -> None:
    save_from_message(with_github, members, MESSAGE, {"title": QUESTION, "tags": "k8s"})
    [(branch, path)] = list(github.files)
    edit = buttons(with_github.command(QUESTION).json()["blocks"])["수정"]
    with_github.click(edit["action_id"], edit["value"], user="U0ALICE")
    reopened = members.views("views.open")[-1]["view"]

    # Someone else's forged edit and an edit refused for an empty body leave GitHub alone.
    before = len(github.calls)
    with_github.submit_view(
        "til_write_modal",
        {"title": QUESTION, "body": "탈취", "tags": "k8s"},
        user="U0CAROL",
        private_metadata=reopened["private_metadata"],
    )
    with_github.submitted(reopened, {"title": QUESTION, "body": "", "tags": "k8s"})
    assert len(github.calls) == before

    done = with_github.submitted(
        reopened, {"title": QUESTION, "body": "고친 내용: drain 먼저", "tags": "쿠버네티스"}
    ).json()
    assert "pull request의 파일도 고치는 중" in block_text(done["view"]["blocks"])
    assert list(github.files) == [(branch, path)]  # the same file, though its tag changed
    assert "고친 내용: drain 먼저" in github.files[(branch, path)]
    assert "kubectl rollout restart deployment/api" not in github.files[(branch, path)]
    told = block_text(members.views("views.update")[-1]["view"]["blocks"])
    assert "pull request의 파일도 고쳤어요" in told and github.pulls[0]["html_url"] in told

    # Merged or closed on GitHub: the edit is saved, and the saver is told the PR was not.
    github.close(1)
    with_github.submitted(reopened, {"title": QUESTION, "body": "또 고침", "tags": "k8s"})
    told = block_text(members.views("views.update")[-1]["view"]["blocks"])
    assert "pull request는 고치지 못했어요" in told and "merged or closed" in told
    assert "또 고침" not in github.files[(branch, path)]
    assert "또 고침" in block_text(with_github.command(QUESTION).json()["blocks"])


# -- the loop closes: exported, committed, published ----------------------------------------


def run_export(out: Path, state: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIL_STATE": "sqlite", "TIL_SQLITE_PATH": str(state)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "export-saved", "--out", str(out), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_saved_notes_survive_a_restart_export_and_give_way_to_the_published_kb(
    settings: Settings,
    index: Index,
    signer: SlackSigner,
    members: FakeSlack,
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.sqlite3"
    first = SQLiteStore(state)
    slack = app_with(settings, index, first, signer, members)
    save_from_message(slack, members, MESSAGE, {"title": QUESTION, "tags": "k8s"})
    first.close()

    second = SQLiteStore(state)  # a restart
    slack = app_with(settings, index, second, signer, members)
    assert NEW in block_text(slack.command(QUESTION).json()["blocks"])

    out = tmp_path / "export"
    done = run_export(out, state)
    assert done.returncode == 0, done.stderr
    [written] = list(out.rglob("*.md"))
    assert written.parent.name == "k8s"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 쿠버네티스 파드 재시작\nauthor: 앨리스\ndate: ")
    assert 'source: "https://example.slack.com/archives/C0GENERAL/p1700000100000100"' in text

    # The team commits the file; the next published KB has the note: it is no longer "new".
    published = load_index(notes=out)
    slack = app_with(settings, published, second, signer, members)
    answer = slack.command(QUESTION).json()
    assert header(answer["blocks"]) == QUESTION
    assert NEW not in block_text(answer["blocks"])
    assert QUESTION not in buttons(answer["blocks"])  # not offered twice as a candidate
    second.close()
    again = run_export(tmp_path / "again", state, "--all")
    assert again.returncode == 0 and len(list((tmp_path / "again").rglob("*.md"))) == 1


def test_export_without_a_state_file_says_so_and_creates_nothing(tmp_path: Path) -> None:
    done = run_export(tmp_path / "out", tmp_path / "never.sqlite3")
    assert done.returncode == 0 and "no saved TILs: no state file at" in done.stderr
    assert not (tmp_path / "never.sqlite3").exists() and not (tmp_path / "out").exists()


def test_export_with_an_unreadable_store_says_why(tmp_path: Path) -> None:
    (tmp_path / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    done = run_export(tmp_path / "out", tmp_path / "state.sqlite3")
    assert done.returncode != 0
    assert "export-saved:" in done.stderr and "Traceback" not in done.stderr


# -- Slack text back into markdown -----------------------------------------------------------


def test_slack_markup_becomes_markdown() -> None:
    text = (
        "*굵게* _기울임_ ~취소~ <https://a.io/?x=1&amp;y=2|링크> <https://b.io> <@U1|bob> "
        "<#C1|dev> <!here> a &lt; b &amp;&amp; c\n• 하나\n◦ 둘\n&gt; 인용\n"
        "```\nif a &lt; b:\n    *not bold*\n```"
    )
    assert slack_to_markdown(text) == (
        "**굵게** _기울임_ ~~취소~~ [링크](https://a.io/?x=1&y=2) <https://b.io> @bob "
        "#dev @here a < b && c\n- 하나\n  - 둘\n> 인용\n\n"
        "```\nif a < b:\n    *not bold*\n```"
    )

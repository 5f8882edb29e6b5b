"""Buttons: other candidates, share to channel, show all, 👍/👎 and "another tip"."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from bot.app import create_app
from bot.blocks import tip_blocks
from bot.sqlite_store import SQLiteStore
from bot.wsgi import TilWsgi
from knowledge import Entry, Index, load_index
from tests.fake_slack import FakeSlack, SlackSide, block_text


def entry_titled(index: Index, title: str) -> Entry:
    return next(e for e in index.entries if e.title == title)


def header(blocks: list[dict]) -> str:
    return next(b for b in blocks if b["type"] == "header")["text"]["text"]


def labels(blocks: list[dict]) -> dict[str, dict]:
    return {
        el["text"]["text"]: el for b in blocks if b["type"] == "actions" for el in b["elements"]
    }


def test_candidate_button_opens_that_entry_in_place(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    answer = slack.command("docker").json()
    candidate = labels(answer["blocks"])["Docker 이미지"]
    r = slack.click(candidate["action_id"], candidate["value"])
    assert r.status == 200
    [shown] = fake_slack.calls("response_url")
    assert shown["replace_original"] is True
    assert header(shown["blocks"]) == "Docker 이미지"
    assert "채널에 공유" in labels(shown["blocks"])


def test_button_on_a_public_message_answers_only_the_clicker(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    entry = entry_titled(index, "Zappa")
    slack.click("til_open:1", entry.id, ephemeral=False)
    [shown] = fake_slack.calls("response_url")
    assert shown["response_type"] == "ephemeral"
    assert shown["replace_original"] is False  # the message others see stays as it was
    assert header(shown["blocks"]) == "Zappa"


def test_share_posts_the_card_in_the_channel_and_removes_the_private_one(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    answer = slack.command("docker").json()
    share = labels(answer["blocks"])["채널에 공유"]
    slack.click(share["action_id"], share["value"], user="U0ALICE")
    posted, deleted = fake_slack.calls("response_url")
    assert posted["response_type"] == "in_channel"
    assert header(posted["blocks"]) == "Docker"
    assert "<@U0ALICE>" in block_text(posted["blocks"])  # who shared it
    assert "채널에 공유" not in labels(posted["blocks"])  # nothing left to share
    assert deleted["delete_original"] is True


def test_feedback_is_counted_once_per_user(
    slack: SlackSide, fake_slack: FakeSlack, index: Index, store: SQLiteStore
) -> None:
    entry = entry_titled(index, "Docker")
    slack.click("til_vote_up", entry.id, user="U0ALICE")
    slack.click("til_vote_up", entry.id, user="U0BOB")
    slack.click("til_vote_down", entry.id, user="U0ALICE")  # Alice changes her mind
    replies = [c["text"] for c in fake_slack.calls("response_url")]
    assert replies == [
        "피드백 고마워요! 👍 1 · 👎 0",
        "피드백 고마워요! 👍 2 · 👎 0",
        "피드백 고마워요! 👍 1 · 👎 1",
    ]
    assert all(c["response_type"] == "ephemeral" for c in fake_slack.calls("response_url"))


def test_entry_that_no_longer_exists_is_explained(slack: SlackSide, fake_slack: FakeSlack) -> None:
    slack.click("til_open:0", "no-such-entry")
    [shown] = fake_slack.calls("response_url")
    assert "찾을 수 없어요" in shown["text"]


def test_daily_tip_card_has_another_tip_and_feedback(index: Index) -> None:
    text, blocks = tip_blocks(entry_titled(index, "pydantic"), "ko")
    assert "pydantic" in text
    assert "오늘의 TIL" in block_text(blocks)
    assert {"다른 팁", "👍", "👎"} <= labels(blocks).keys()
    assert "TIL-9-1-9-15.md:153" in block_text(blocks)


def test_another_tip_shows_a_different_tip_to_the_clicker_only(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    current = entry_titled(index, "pydantic")
    another = labels(tip_blocks(current, "ko")[1])["다른 팁"]
    for _ in range(5):
        slack.click(another["action_id"], another["value"], ephemeral=False)
    shown = fake_slack.calls("response_url")
    assert len(shown) == 5
    assert all(s["response_type"] == "ephemeral" and s["replace_original"] is False for s in shown)
    assert all("오늘의 TIL" in block_text(s["blocks"]) for s in shown)
    assert all(current.title not in tip_title(s["blocks"]) for s in shown)


def tip_title(blocks: list[dict]) -> str:
    """The tip card's title line (the first section, right under the header)."""
    return next(b["text"]["text"] for b in blocks if b["type"] == "section")


@pytest.fixture
def long_note_index(tmp_path: Path) -> object:
    lines = [
        f"{n}. **단계 {n}** — `make step{n}` 을 실행하고 결과를 확인합니다." for n in range(1, 400)
    ]
    code = "\n".join(f"echo step {n}" for n in range(200))
    note = (
        "# TIL 긴 노트\n\n- 아주 긴 배포 절차\n\n"
        + "\n\n".join(lines)
        + f"\n\n```bash\n{code}\n```\n"
    )
    (tmp_path / "long.md").write_text(note, encoding="utf-8")
    return load_index(notes=tmp_path)


def test_long_entry_is_cut_with_a_show_all_button_that_shows_the_rest(
    settings, store, signer, fake_slack: FakeSlack, long_note_index: Index
) -> None:
    side = SlackSide(
        TilWsgi(lambda: create_app(settings, long_note_index, store)), signer, fake_slack
    )
    answer = side.command("배포 절차").json()
    card_text = block_text(answer["blocks"])
    assert "단계 1" in card_text and "단계 399" not in card_text
    full = labels(answer["blocks"])["전체 보기"]
    side.click(full["action_id"], full["value"])
    [shown] = fake_slack.calls("response_url")
    everything = block_text(shown["blocks"])
    assert "단계 399" in everything and "echo step 199" in everything
    sections = [b for b in shown["blocks"] if b["type"] == "section"]
    assert len(sections) > 1 and all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert len(shown["blocks"]) <= 50
    # A code block split across sections is closed and reopened, never left dangling.
    assert all(s["text"]["text"].count("```") % 2 == 0 for s in sections)


def test_a_replayed_share_click_posts_the_card_once(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    """An attacker (or a flaky proxy) replays the same signed click within the 5 minutes."""
    payload = slack.action_payload("til_share", index.entries[0].id)
    for _ in range(3):
        assert slack.post_action(payload).status == 200
    shared = [c for c in fake_slack.calls("response_url") if c.get("response_type") == "in_channel"]
    assert len(shared) == 1


def test_a_replayed_unsubscribe_does_not_undo_a_later_subscribe(
    slack: SlackSide, store: SQLiteStore
) -> None:
    def form(text: str, trigger: str) -> str:
        return urllib.parse.urlencode(
            {
                "command": "/til",
                "text": text,
                "channel_id": "C0DAILY",
                "user_id": "U0ALICE",
                "trigger_id": trigger,
            }
        )

    kind = "application/x-www-form-urlencoded"
    slack.post(form("subscribe", "1.sub"), kind)
    unsubscribe = form("unsubscribe", "2.unsub")
    slack.post(unsubscribe, kind)
    slack.post(form("subscribe", "3.sub"), kind)
    replayed = slack.post(unsubscribe, kind)
    assert replayed.status == 200
    assert "이미 처리" in replayed.json()["text"]
    assert store.subscriptions() == ["C0DAILY"]


def test_a_section_answer_opens_its_whole_note_in_one_click(
    tmp_path: Path, settings, store, signer, fake_slack: FakeSlack
) -> None:
    """Search often finds the right note but another of its parts: the card of a section (three
    heading levels down here) has a button that opens the file's document itself."""
    (tmp_path / "redis.md").write_text(
        "# Redis 정리\n\n캐시 서버\n\n## 명령\n\n### 파이프라인\n\n여러 명령을 한 번에 보낸다\n\n"
        "## 영속성\n\nRDB 와 AOF\n",
        encoding="utf-8",
    )
    index = load_index(notes=tmp_path)
    side = SlackSide(TilWsgi(lambda: create_app(settings, index, store)), signer, fake_slack)
    answer = side.command("파이프라인").json()
    assert header(answer["blocks"]) == "파이프라인"
    note = labels(answer["blocks"])["📄 노트 전체: Redis 정리"]
    assert side.click(note["action_id"], note["value"]).status == 200
    [shown] = fake_slack.calls("response_url")
    assert header(shown["blocks"]) == "Redis 정리"
    assert "RDB" in block_text(shown["blocks"])  # the whole note, not the section
    assert not any(label.startswith("📄") for label in labels(shown["blocks"]))
    gone = side.action_payload("til_note", "no-such-entry")
    assert side.post_action(gone).status == 200
    assert "찾을 수 없" in block_text(fake_slack.calls("response_url")[-1]["blocks"])

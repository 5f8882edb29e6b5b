"""/til through the WSGI app, signed like Slack, answered from the real notes in knowledge/notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.settings import MissingSetting, Settings, load_settings
from bot.sqlite_store import SQLiteStore
from bot.wsgi import TilWsgi
from knowledge import Index
from knowledge.loader import build_kb
from tests.fake_slack import BOT_USER_ID, FakeSlack, SlackSide, SlackSigner, block_text


def buttons(blocks: list[dict]) -> dict[str, str]:
    """Visible button label → action_id, over every actions block."""
    return {
        el["text"]["text"]: el["action_id"]
        for b in blocks
        if b["type"] == "actions"
        for el in b["elements"]
    }


def test_question_gets_the_best_entry_privately_in_the_http_response(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    r = slack.command("docker")
    assert r.status == 200
    reply = r.json()
    assert reply["response_type"] == "ephemeral"
    header = next(b for b in reply["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "Docker"
    text = r.text()
    assert "컨테이너" in text  # the body of the Docker note
    assert "TIL-9-1-9-15.md:197" in text  # where it came from
    assert "🗓 9-1 ~ 9-15" in text  # a ~ standing apart marks nothing: shown as written
    labels = buttons(reply["blocks"])
    assert labels["채널에 공유"] == "til_share"
    assert {"👍", "👎"} <= labels.keys()
    assert "Docker 이미지" in labels  # another candidate, one click away
    assert len([a for a in labels.values() if a.startswith("til_open")]) <= 4
    # The answer rode on the HTTP response: Slack's Web API was never called (not even auth.test).
    assert fake_slack.records == []


def test_korean_question_finds_the_korean_note(slack: SlackSide) -> None:
    r = slack.command("서버리스가 뭐야?")
    header = next(b for b in r.json()["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "서버리스(serverless)?"


def test_answer_says_which_words_are_in_no_note(slack: SlackSide) -> None:
    reply = slack.command("git rebase").json()
    header = next(b for b in reply["blocks"] if b["type"] == "header")
    assert "git" in header["text"]["text"]  # the closest note, about git...
    contexts = [b for b in reply["blocks"] if b["type"] == "context"]
    warning = next(block_text(b) for b in contexts if "노트에 없는 단어" in block_text(b))
    assert "*rebase*" in warning  # ...and plainly not about rebase
    plain_answer = slack.command("git reset").text()
    assert "노트에 없는 단어" not in plain_answer


def test_an_answer_that_matches_only_part_of_the_question_says_it_is_not_sure(
    slack: SlackSide,
) -> None:
    """Every word is in the notes, but the closest note has only part of what was asked (a
    project set-up note for a question about a Python virtualenv): the card says so, and a
    clear match does not."""
    reply = slack.command("파이썬 가상환경 만들기").json()
    contexts = [block_text(b) for b in reply["blocks"] if b["type"] == "context"]
    assert any("확실하지 않아요" in text for text in contexts)
    assert not any("노트에 없는 단어" in text for text in contexts)
    assert "확실하지 않아요" not in slack.command("docker").text()


def test_links_in_the_note_become_slack_links(slack: SlackSide) -> None:
    text = slack.command("docker").text()
    url = "https://cultivo-hy.github.io/docker/image/usage/2019/03/14/Docker%EC%A0%95%EB%A6%AC/"
    assert f"<{url}>" in text
    assert "](" not in text  # no raw markdown link syntax left


def header_of(blocks: list[dict]) -> str:
    return next(b for b in blocks if b["type"] == "header")["text"]["text"]


def missing_words(blocks: list[dict]) -> str:
    """The card's "words in no note" line, or "" when it has none."""
    lines = [block_text([b]) for b in blocks if b["type"] == "context"]
    return next((line for line in lines if "노트에 없는 단어" in line), "")


def test_a_greeting_or_thanks_inside_a_question_is_no_word_in_no_note(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """A question that starts "안녕하세요" asks about its topic: the greeting is how it is said, not a
    word the notes lack, and the answer is the one the question without it gets."""
    for greeted, plain in (
        ("안녕하세요 zappa 배포 어떻게 해?", "zappa 배포 어떻게 해?"),
        ("hi, how do I use docker volumes?", "how do I use docker volumes?"),
        ("thanks 도커", "도커"),
    ):
        reply = slack.command(greeted).json()["blocks"]
        assert header_of(reply) == header_of(slack.command(plain).json()["blocks"])
        missing = missing_words(reply)
        for word in ("안녕하세요", "hi", "thanks"):
            assert f"*{word}*" not in missing, (greeted, missing)
    # Thanks first, then a question, in a thread: only the word the notes lack is named (not
    # 그런데 "but then", which joins the question to the thanks).
    slack.mention(f"<@{BOT_USER_ID}> 고마워! 그런데 깃 리베이스는?", ts="1700000000.000700")
    [post] = fake_slack.posted()
    missing = missing_words(post.blocks())
    assert "리베이스" in missing, missing
    assert "고마워" not in missing and "그런데" not in missing, missing


def test_unknown_topic_gets_a_friendly_answer(slack: SlackSide) -> None:
    r = slack.command("kubernetes helm chart")
    assert r.status == 200
    text = r.text()
    assert "kubernetes helm chart" in text
    assert "찾지 못했어요" in text
    assert "Traceback" not in text


def test_no_match_offers_did_you_mean_buttons(slack: SlackSide, index: Index) -> None:
    # Mostly about what no note covers, with one known word mistyped: no answer, but the
    # notes on Docker are offered.
    query = "dokcer swarm orchestration cluster kubernetes"
    assert not index.search(query).matches
    suggested = [e.title for e in index.search(query).suggestions]
    assert "Docker" in suggested
    r = slack.command(query)
    assert "혹시 이걸 찾으셨나요?" in r.text()
    labels = buttons(r.json()["blocks"])
    assert all(labels[title].startswith("til_open") for title in suggested)


@pytest.mark.parametrize(
    "text", ["", "help", "  도움말 ", "help me", "사용법 알려줘", "how do I use this bot"]
)
def test_empty_or_help_shows_usage(slack: SlackSide, text: str) -> None:
    r = slack.command(text)
    assert r.status == 200
    assert r.json()["response_type"] == "ephemeral"
    usage = r.text()
    for command in ("/til random", "/til list", "/til subscribe"):
        assert command in usage


def test_random_shows_one_real_entry(slack: SlackSide, index: Index) -> None:
    r = slack.command("random")
    blocks = r.json()["blocks"]
    title = next(b for b in blocks if b["type"] == "header")["text"]["text"]
    assert title in {e.title for e in index.entries}
    assert "랜덤" in block_text(blocks)
    assert "채널에 공유" in buttons(blocks)


def test_list_shows_topics_with_counts_and_a_topic_opens_its_entries(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    r = slack.command("list")
    blocks = r.json()["blocks"]
    total = len(index.entries)
    assert f"TIL {total}개" in block_text(blocks)
    topic, entries = next(iter(index.categories().items()))
    label = f"{topic} ({len(entries)}개)"
    assert buttons(blocks)[label].startswith("til_topic")

    r = slack.click("til_topic:0", topic)
    assert r.status == 200
    [shown] = fake_slack.calls("response_url")
    assert shown["replace_original"] is True  # browsing replaces the private list in place
    titles = buttons(shown["blocks"])
    assert {e.title for e in entries} <= titles.keys()


def test_topics_alias_works_too(slack: SlackSide) -> None:
    assert "주제 목록" in slack.command("topics").text()


def test_subscribe_and_unsubscribe_the_channel(slack: SlackSide, store: SQLiteStore) -> None:
    r = slack.command("subscribe", channel="C0DAILY")
    assert "매일" in r.text()
    assert store.subscriptions() == ["C0DAILY"]
    assert "이미" in slack.command("subscribe", channel="C0DAILY").text()

    assert "그만" in slack.command("unsubscribe", channel="C0DAILY").text()
    assert store.subscriptions() == []
    assert "구독하고 있지 않아요" in slack.command("unsubscribe", channel="C0DAILY").text()


def test_english_replies_with_til_lang_en(settings, index, store, signer, fake_slack) -> None:
    english = settings.model_copy(update={"til_lang": "en"})
    side = SlackSide(TilWsgi(lambda: create_app(english, index, store)), signer, fake_slack)
    assert "Share to channel" in buttons(side.command("docker").json()["blocks"])
    assert "How to use" in side.command("help").text()
    assert "couldn't find" in side.command("kubernetes helm chart").text()


def test_a_second_app_answers_its_own_slash_command_and_names_it_in_every_text(
    settings, index, store, signer, fake_slack
) -> None:
    # TIL_COMMAND=/til-dev: a dev app installed beside the team's /til in the same workspace.
    dev = settings.model_copy(update={"til_command": "/til-dev"})
    side = SlackSide(TilWsgi(lambda: create_app(dev, index, store)), signer, fake_slack)
    usage = side.command("help", name="/til-dev").text()
    assert "`/til-dev random`" in usage and "`/til-dev subscribe`" in usage
    assert "/til " not in usage and "`/til`" not in usage
    reply = side.command("docker", name="/til-dev").json()
    assert next(b for b in reply["blocks"] if b["type"] == "header")["text"]["text"] == "Docker"
    assert "/til-dev list" in side.command("kubernetes helm chart", name="/til-dev").text()
    # The team's /til belongs to the other app: this one does not answer it.
    assert side.command("docker").status == 404
    english = dev.model_copy(update={"til_lang": "en"})
    side = SlackSide(TilWsgi(lambda: create_app(english, index, store)), signer, fake_slack)
    assert "`/til-dev random` — show a random TIL" in side.command("help", name="/til-dev").text()


@pytest.mark.parametrize("name", ["til", "/til dev", "/TIL", "/" + "t" * 32, "/틸"])
def test_a_slash_command_slack_would_refuse_is_refused_by_name(name: str) -> None:
    with pytest.raises(MissingSetting, match="TIL_COMMAND"):
        load_settings(til_command=name)


TROUBLESHOOTING = {
    "querydsl fetchOne 에러.md": "# 상황\n\nfetchOne 이 NonUniqueResultException 을 던졌다\n\n"
    "# 원인\n\nfetchOne 결과가 둘\n\n# 해결\n\nfetchFirst 로 바꿨다\n",
    "querydsl 페이징.md": "# Querydsl 페이징\n\nfetchOne 대신 fetch 로 센다\n",
}


def scratch_notes(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_other_candidates_are_not_parts_of_the_answer_on_the_card(
    tmp_path: Path, settings: Settings, store: SQLiteStore, signer: SlackSigner,
    fake_slack: FakeSlack,
) -> None:  # fmt: skip
    """A note whose headings are 상황 / 원인 / 해결 is answered whole; its parts are on the card,
    so the buttons beside it offer other notes only."""
    index = Index(build_kb(scratch_notes(tmp_path / "notes", TROUBLESHOOTING)).entries)
    side = SlackSide(TilWsgi(lambda: create_app(settings, index, store)), signer, fake_slack)
    reply = side.command("querydsl fetchOne 에러").json()
    header = next(b for b in reply["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "Querydsl fetchOne 에러"
    labels = buttons(reply["blocks"])
    assert "Querydsl 페이징" in labels
    assert not {"상황", "원인", "해결"} & labels.keys()


def test_an_answer_that_only_mentions_the_words_is_shown_as_not_sure(slack: SlackSide) -> None:
    # Our note's setup section mentions git, branch and 삭제 among its commands; it is the
    # closest answer to "delete a git branch", and the card says it is not sure.
    text = slack.command("깃 브랜치 삭제").text()
    assert "새로 받은 프로젝트 환경 셋팅" in text
    assert "확실하지 않아요" in text and "언급만" in text
    assert "확실하지 않아요" not in slack.command("도커").text()

"""Journeys a user takes through the cards, played as Slack plays them (signed requests, the
fake Slack recording what the user is shown), for what an exploratory pass found confusing."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import blocks
from bot.app import create_app
from bot.settings import Settings
from bot.sqlite_store import SQLiteStore
from bot.wsgi import TilWsgi
from knowledge import Index, load_index
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner, block_text


def header(blocks: list[dict]) -> str:
    return next(b for b in blocks if b["type"] == "header")["text"]["text"]


def buttons(blocks: list[dict]) -> list[dict]:
    return [el for b in blocks if b["type"] == "actions" for el in b["elements"]]


def entry_id(button: dict) -> str:
    value = button["value"]
    return json.loads(value)["e"] if value.startswith("{") else value


def candidate_titles(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in buttons(blocks) if b["action_id"].startswith("til_open")]


Over = Callable[..., SlackSide]


@pytest.fixture
def over(
    settings: Settings, store: SQLiteStore, signer: SlackSigner, fake_slack: FakeSlack
) -> Over:
    """Slack's side of a bot answering from the notes in a folder (in `lang`)."""

    def side(notes: Path, lang: str = "ko") -> SlackSide:
        index = load_index(notes=notes)
        chosen = settings.model_copy(update={"til_lang": lang})
        return SlackSide(TilWsgi(lambda: create_app(chosen, index, store)), signer, fake_slack)

    return side


def test_after_picking_another_candidate_the_rest_are_still_offered(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """Alice asks, the first answer is not it, she opens the first other candidate: that is not
    it either. The rest of the list (and the answer she started from) are still a click away,
    not gone with the card the candidate replaced."""
    answer = slack.command("도커").json()["blocks"]
    first = header(answer)
    offered = candidate_titles(answer)
    assert len(offered) >= 2
    picked = next(b for b in buttons(answer) if b["action_id"] == "til_open:0")
    slack.click(picked["action_id"], picked["value"])
    [shown] = fake_slack.calls("response_url")
    assert header(shown["blocks"]) == offered[0]
    still = candidate_titles(shown["blocks"])
    assert first in still  # the way back
    assert offered[1] in still  # the next one to try
    assert offered[0] not in still  # not the card itself
    # They still carry the question, so the next pick teaches the search too.
    assert all(
        json.loads(b["value"])["q"] == "도커"
        for b in buttons(shown["blocks"])
        if b["action_id"].startswith("til_open")
    )


def test_a_suggestion_picked_after_no_match_keeps_the_other_suggestions(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    answer = slack.command("파이썬 데코레이터").json()["blocks"]
    suggested = candidate_titles(answer)
    assert len(suggested) >= 2, "the question should get 'did you mean' suggestions"
    picked = next(b for b in buttons(answer) if b["action_id"] == "til_open:0")
    slack.click(picked["action_id"], picked["value"])
    [shown] = fake_slack.calls("response_url")
    assert header(shown["blocks"]) == suggested[0]
    assert suggested[1] in candidate_titles(shown["blocks"])


def test_the_answers_own_note_is_offered_once(slack: SlackSide, index: Index) -> None:
    """A section's card has "📄 노트 전체" for the note it is part of; the same note listed
    again among the other candidates is the same click under another name."""
    answer = slack.command("도커").json()["blocks"]
    [note] = [b for b in buttons(answer) if b["action_id"] == "til_note"]
    shown = index.get(entry_id(note))
    assert shown is not None and shown.parent
    document = next(e for e in index.entries if e.kind == "document" and e.source == shown.source)
    candidates = [entry_id(b) for b in buttons(answer) if b["action_id"].startswith("til_open")]
    assert candidates, "the card should still offer other candidates"
    assert document.id not in candidates


def test_a_vote_on_a_card_whose_til_is_gone_says_so(
    slack: SlackSide, fake_slack: FakeSlack, store: SQLiteStore
) -> None:
    """An old card (the notes were republished since): 👍 cannot thank for a TIL that is no
    longer there, nor count for it."""
    slack.click("til_vote_up", json.dumps({"e": "no-such-entry", "q": "도커"}))
    [shown] = fake_slack.calls("response_url")
    assert "찾을 수 없어요" in shown["text"]
    assert "고마워요" not in shown["text"]
    assert store.feedback("no-such-entry") == (0, 0)


def test_a_topics_entries_with_the_same_title_can_be_told_apart(
    tmp_path: Path, over: Over, fake_slack: FakeSlack
) -> None:
    """Notes of one topic often share section titles ("Reference", "정리"): the topic's list
    says which note each is from, as the other candidates under an answer do."""
    topic = tmp_path / "mysql"
    topic.mkdir()
    for name, title in (("index.md", "MySQL 인덱스"), ("charset.md", "MySQL 문자셋")):
        (topic / name).write_text(
            f"# {title}\n\n{title} 설명\n\n## Reference\n\n- 공식 문서\n", encoding="utf-8"
        )
    side = over(tmp_path)
    [topic_button] = buttons(side.command("list").json()["blocks"])
    side.click(topic_button["action_id"], topic_button["value"])
    [listed] = fake_slack.calls("response_url")
    labels = [b["text"]["text"] for b in buttons(listed["blocks"])]
    assert len(labels) == len(set(labels)), labels
    assert any("Reference" in label and "MySQL 인덱스" in label for label in labels)


def test_save_as_til_says_so_when_slack_will_not_open_the_form(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """Alice picks "TIL로 저장" on a message and Slack refuses the form (the trigger expired on
    a slow moment): she is told, instead of nothing happening."""
    fake_slack.fail("views.open", "expired_trigger_id")
    slack.shortcut("til_save", {"ts": "1700000100.000100", "user": "U0BOB", "text": "파드 재시작"})
    told = fake_slack.calls("response_url")
    assert len(told) == 1
    assert told[0]["response_type"] == "ephemeral"
    assert "다시 시도해 주세요" in told[0]["text"]


def test_english_counts_read_as_english(tmp_path: Path, over: Over, fake_slack: FakeSlack) -> None:
    """One topic of one TIL, one question this week: never "1 topics, 1 TILs, 1 questions"."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pods.md").write_text("# 파드 재시작\n\nrollout restart\n", "utf-8")
    side = over(tmp_path, lang="en")
    listed = side.command("list").json()
    [topic_button] = buttons(listed["blocks"])
    side.click(topic_button["action_id"], topic_button["value"])
    side.command("파드 재시작")  # the week's one question
    side.event({"type": "app_home_opened", "user": "U0ALICE", "channel": "D0ALICE", "tab": "home"})
    [home] = fake_slack.views("views.publish")
    shown = "\n".join(
        [
            block_text(listed["blocks"]),
            block_text(fake_slack.calls("response_url")[0]["blocks"]),
            block_text(home["view"]["blocks"]),
        ]
    )
    for wrong in ("1 topics", "1 TILs", "1 questions"):
        assert wrong not in shown, shown


def test_browsing_the_rest_of_the_list_teaches_nothing(
    slack: SlackSide, fake_slack: FakeSlack, store: SQLiteStore, index: Index
) -> None:
    """Alice and Bob each pick the first other candidate, then go on through the list from its
    card: the first pick is their choice; what they open while browsing is not, or everyone
    who browses would "choose" every candidate."""
    from bot import learning

    for user in ("U0ALICE", "U0BOB"):
        answer = slack.command("도커", user=user).json()["blocks"]
        picked = next(b for b in buttons(answer) if b["action_id"] == "til_open:0")
        slack.click(picked["action_id"], picked["value"], user=user)
        card = fake_slack.calls("response_url")[-1]["blocks"]
        [listed] = [b for b in card if b["type"] == "actions" and b.get("block_id") != "til_entry"]
        browsed = listed["elements"][-1]
        payload = slack.action_payload(browsed["action_id"], browsed["value"], user=user)
        payload["actions"][0]["block_id"] = listed["block_id"]  # as Slack sends it
        slack.post_action(payload)
    normalized = learning.normalised(index.terms("도커"))
    choices = store.choices(normalized)
    assert choices[entry_id(picked)].picked == 2
    assert entry_id(browsed) not in choices


def test_a_fourth_modal_replaces_the_third_instead_of_nothing_happening(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    """Home tab → a topic (modal 1) → an entry (2) → its whole note (3) → "전체 보기": Slack
    stacks at most three modals and refuses a fourth. The click must still show something."""
    fake_slack.fail("views.push", "push_limit_reached")
    note = next(e for e in index.entries if e.kind == "document")
    slack.click_in_view("til_full", note.id, view_type="modal")
    [shown] = fake_slack.views("views.update")
    assert shown["view_id"]  # the modal the click came from
    assert header(shown["view"]["blocks"]) == note.title


def test_a_question_sent_with_a_screenshot_is_answered(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """A DM with a file attached ("도커 이미지 이거 뭐예요?" and a screenshot) is a message
    of subtype file_share: still a person asking, not a bot, an edit or a join."""
    file = {"id": "F0SHOT", "name": "screenshot.png", "mimetype": "image/png"}
    slack.dm("도커 이미지", fields={"subtype": "file_share", "files": [file]})
    [answer] = fake_slack.calls("chat.postMessage")
    assert header(answer["blocks"]) == "Docker 이미지"


def test_a_til_titled_like_a_published_note_is_refused_with_a_reason(
    tmp_path: Path, over: Over, fake_slack: FakeSlack
) -> None:
    """A saved TIL whose title a note of the KB has is taken for that note once published, and
    left out of search. Saved under that title it would be promised "in /til searches from
    now on" and never be found (nor edited, nor deleted): the form says so instead."""
    (tmp_path / "redis.md").write_text("# Redis 정리\n\n캐시 서버\n", encoding="utf-8")
    side = over(tmp_path)
    side.command("add redis 정리")
    [opened] = fake_slack.views("views.open")
    values = {"title": "redis  정리", "body": "`redis-cli FLUSHALL` 은 조심", "tags": ""}
    refused = side.submitted(opened["view"], values).json()
    assert refused["response_action"] == "errors"
    assert "같은 제목" in refused["errors"]["title"]
    values["title"] = "redis FLUSHALL 주의"
    assert side.submitted(opened["view"], values).json()["response_action"] == "update"


def test_a_link_titled_like_a_korean_blog_post_is_a_link(
    tmp_path: Path, over: Over, fake_slack: FakeSlack
) -> None:
    """Korean blog posts are titled "[Spring] 트랜잭션 정리", so a note's references read
    [[Spring] 트랜잭션 정리](url): markdown allows brackets inside a link's text, and the card
    showed the raw markdown."""
    (tmp_path / "tx.md").write_text(
        "# 트랜잭션 전파\n\nREQUIRES_NEW 는 새 트랜잭션을 연다.\n\n"
        "- 참고: [[Spring] 트랜잭션 정리](https://blog.example.com/12)\n",
        encoding="utf-8",
    )
    side = over(tmp_path)
    shown = block_text(side.command("트랜잭션 전파").json()["blocks"])
    assert "<https://blog.example.com/12|[Spring] 트랜잭션 정리>" in shown
    assert "](" not in shown


def test_a_double_click_on_share_posts_the_card_once(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """Two quick clicks on "채널에 공유" are two clicks (two triggers) on the same private card:
    the channel gets the card once, not the same answer twice."""
    answer = slack.command("도커").json()["blocks"]
    [share] = [b for b in buttons(answer) if b["action_id"] == "til_share"]
    for _ in range(2):
        slack.click(share["action_id"], share["value"])
    posted = [c for c in fake_slack.calls("response_url") if c.get("response_type") == "in_channel"]
    assert len(posted) == 1
    # Another card (another question's answer) is shared as usual.
    other = slack.action_payload(share["action_id"], share["value"])
    other["container"]["message_ts"] = "1700000099.000100"
    slack.post_action(other)
    posted = [c for c in fake_slack.calls("response_url") if c.get("response_type") == "in_channel"]
    assert len(posted) == 2


def _reads_in_bold(mrkdwn: str, title: str) -> bool:
    """Whether `title` is one bold span of `mrkdwn`, whole: a `*` of its own would close the
    bold early (Slack has no escape for it), so it must be shown by a look-alike."""
    return any(span.replace("∗", "*") == title for span in re.findall(r"\*([^*\n]+)\*", mrkdwn))


def test_a_title_with_asterisks_reads_whole_in_bold(
    tmp_path: Path, over: Over, fake_slack: FakeSlack
) -> None:
    """`**kwargs 와 *args` on the tip card, `a * b 곱셈` saved, asked and left unanswered: the
    asterisks are the title's, not Slack's bold marks."""
    title = "**kwargs 와 *args"
    (tmp_path / "kw.md").write_text(f'---\ntitle: "{title}"\n---\n\n키워드 인자\n', "utf-8")
    side = over(tmp_path)
    side.click("til_another_tip", "another")
    [tip] = fake_slack.calls("response_url")
    assert _reads_in_bold(block_text(tip["blocks"]), title), block_text(tip["blocks"])

    side.command("add")
    [opened] = fake_slack.views("views.open")
    values = {"title": "a * b 곱셈", "body": "곱하기는 *", "tags": ""}
    saved = side.submitted(opened["view"], values).json()
    assert _reads_in_bold(block_text(saved["view"]["blocks"]), "a * b 곱셈")

    side.command("x * y 나눗셈 순서")
    gaps = block_text(side.command("gaps").json()["blocks"])
    assert _reads_in_bold(gaps, "x * y 나눗셈 순서"), gaps


# Slack reads _ and ~ as italic and strike marks where a word starts or ends (not inside one:
# snake_case stays as typed; nor standing apart), and has no escape for them.
_MARK_AT_WORD_EDGE = re.compile(r"(?<![^\W_])[_~](?=\S)|(?<=\S)[_~](?![^\W_])")


def _reads_as_written_in_bold(mrkdwn: str, title: str) -> bool:
    """`_reads_in_bold`, and no _ or ~ in the bold span that Slack could read as a mark: those
    are shown by look-alikes too."""
    for span in re.findall(r"\*([^*\n]+)\*", mrkdwn):
        shown = span.replace("∗", "*").replace("ˍ", "_").replace("∼", "~")
        if shown == title and not _MARK_AT_WORD_EDGE.search(span):
            return True
    return False


def test_titles_with_underscores_and_tildes_read_as_written_in_bold(
    tmp_path: Path, over: Over, fake_slack: FakeSlack
) -> None:
    """`__init__.py` in bold is `*__init__.py*`, which Slack shows as "init" in italics; the
    marks that could be read so are shown by look-alikes, those inside a word as typed."""
    titles = ["__init__.py", "snake_case_name", "~/.bashrc 와 ~/.zshrc", "a~b~c", "_private 변수"]
    for n, title in enumerate(titles):
        (tmp_path / f"t{n}.md").write_text(f'---\ntitle: "{title}"\n---\n\n내용 {n}\n', "utf-8")
    side = over(tmp_path)
    for _ in titles:  # the tip card's title is a bold line; each tip comes once in a round
        side.click("til_another_tip", "another")
    shown = [block_text(call["blocks"]) for call in fake_slack.calls("response_url")]
    for title in titles:
        assert any(_reads_as_written_in_bold(card, title) for card in shown), (title, shown)
    assert "snake_case_name" in "".join(shown) and "a~b~c" in "".join(shown)  # kept as typed
    side.command("__slots__ 쓰는 이유")
    gaps = block_text(side.command("gaps").json()["blocks"])
    assert _reads_as_written_in_bold(gaps, "__slots__ 쓰는 이유"), gaps


def _as_written(shown: str) -> str:
    return shown.replace("∗", "*").replace("ˍ", "_").replace("∼", "~")


def test_a_question_and_a_notes_name_with_marks_are_echoed_as_typed(
    tmp_path: Path, over: Over
) -> None:
    """What was asked ("🔎 “__init__ 역할” 검색 결과"), the note a section is part of and its
    topic (`__init__.py`) are mrkdwn lines: an `_`, `~` or `*` that Slack would read as a mark
    is shown by a look-alike, so they read as typed, not in italics, struck or bold."""
    (tmp_path / "init.md").write_text(
        "# __init__.py\n\n패키지 표시\n\n## 역할\n\n패키지를 초기화한다\n", "utf-8"
    )
    side = over(tmp_path)
    card = side.command("__init__ 역할").json()["blocks"]
    lines = [block_text([b]) for b in card if b["type"] in {"context", "section"}]
    echo = next(line for line in lines if line.startswith("🔎"))
    part = next(line for line in lines if line.startswith("📚"))
    topic = next(line for line in lines if "🏷" in line).split("🏷 ")[1]
    for shown, typed in ((echo, "🔎 “__init__ 역할” 검색 결과"), (part, "📚 __init__.py 의 일부")):
        assert _as_written(shown) == typed and not _MARK_AT_WORD_EDGE.search(shown), shown
    assert _as_written(topic) == "__init__.py" and not _MARK_AT_WORD_EDGE.search(topic)
    missing = block_text(side.command("*args 와 ~~kwargs~~ 차이").json()["blocks"])
    quoted = missing.split("“")[1].split("”")[0]
    assert _as_written(quoted) == "*args 와 ~~kwargs~~ 차이", missing
    assert not re.search(r"(?<![^\W_])[*_~](?=\S)|(?<=\S)[*_~](?![^\W_])", quoted), missing


def test_asking_for_random_tips_goes_through_all_of_them_before_repeating(
    tmp_path: Path, over: Over, fake_slack: FakeSlack
) -> None:
    """Alice asks `/til random` again and again: each time a TIL she has not seen yet, until she
    has seen all six; then they start over, never with the one she just saw. Bob's turn is his
    own. The "another tip" button under a daily tip takes its turn from the same round."""
    titles = [f"팁 {n}" for n in range(6)]
    for n, title in enumerate(titles):
        (tmp_path / f"tip{n}.md").write_text(f"# {title}\n\n내용 {n}\n", encoding="utf-8")
    side = over(tmp_path)
    seen = [header(side.command("random").json()["blocks"]) for _ in titles]
    assert sorted(seen) == titles
    assert header(side.command("random").json()["blocks"]) != seen[-1]
    bobs = [header(side.command("random", user="U0BOB").json()["blocks"]) for _ in range(3)]
    assert len(set(bobs)) == 3
    under = next(e for e in load_index(notes=tmp_path).entries if e.title == titles[0])
    for _ in range(5):  # "another tip" under a daily tip: never the tip it is under
        side.click("til_another_tip", under.id)
    # A tip card: its header says "오늘의 TIL", the title is the bold line under it.
    tips = [c["blocks"][1]["text"]["text"].strip("*") for c in fake_slack.calls("response_url")]
    assert titles[0] not in tips
    assert all(a != b for a, b in itertools.pairwise(tips)), tips


def _notice(view: dict) -> str:
    first = view["blocks"][0]
    assert first["type"] == "context", first
    return block_text([first])


def test_a_home_tab_click_that_fails_says_so_on_the_home_tab(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """Alice clicks a topic in her Home tab on a slow moment: Slack will not open the list (the
    trigger expired). The Home tab she is looking at says so, with everything else still on it,
    instead of nothing happening; a second failure does not stack a second note."""
    slack.event({"type": "app_home_opened", "user": "U0ALICE", "channel": "D0ALICE", "tab": "home"})
    [home] = fake_slack.views("views.publish")
    topic = next(b for b in buttons(home["view"]["blocks"]) if b["action_id"].startswith("til_top"))
    fake_slack.fail("views.open", "expired_trigger_id")
    shown = home["view"]
    for _ in range(2):
        slack.click_in_view(topic["action_id"], topic["value"], view=shown)
        told = fake_slack.views("views.publish")[-1]
        assert told["user_id"] == "U0ALICE"
        assert "다시 시도해 주세요" in _notice(told["view"])
        assert told["view"]["blocks"][1:] == home["view"]["blocks"]
        shown = told["view"]


def test_a_vote_in_a_modal_on_a_til_that_is_gone_says_so_in_the_modal(
    slack: SlackSide, fake_slack: FakeSlack, index: Index
) -> None:
    """A card opened from the Home tab stays open while the notes are republished: 👍 on it can
    count for nothing, and the modal says why instead of swallowing the click."""
    entry = next(e for e in index.entries if e.document)
    _, card = blocks.entry_blocks(entry, "ko")
    modal = blocks.modal("TIL", card, "ko")
    slack.click_in_view("til_vote_up", json.dumps({"e": "no-such-entry", "q": ""}), view=modal)
    [told] = fake_slack.views("views.update")
    assert "찾을 수 없어요" in _notice(told["view"])
    assert header(told["view"]["blocks"]) == entry.title
    assert told["view"]["title"] == modal["title"]


def test_deleting_a_saved_til_from_a_modal_says_it_is_gone(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """Alice opened her saved TIL's card in a modal (from the Home tab): 삭제 there deletes it
    and the modal says so; Bob's click on 수정 of her card is refused in words, not silence."""
    slack.command("add")
    [opened] = fake_slack.views("views.open")
    values = {"title": "파드 재시작 요령", "body": "`kubectl rollout restart`", "tags": ""}
    slack.submitted(opened["view"], values)
    card = slack.command("파드 재시작 요령").json()["blocks"]
    [delete] = [b for b in buttons(card) if b["action_id"] == "til_saved_delete"]
    modal = blocks.modal("TIL", card, "ko")
    slack.click_in_view("til_saved_edit", delete["value"], view=modal, user="U0BOB")
    slack.click_in_view(delete["action_id"], delete["value"], view=modal)
    refused, deleted = fake_slack.views("views.update")
    assert "저장한 사람만" in _notice(refused["view"])
    assert "지웠어요" in _notice(deleted["view"])
    assert "찾지 못했어요" in slack.command("파드 재시작 요령").text()


def test_hello_and_thanks_get_a_friendly_word_and_how_to_ask_and_are_no_gap(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    """People greet the bot and thank it: 안녕, hi, 고마워, ㅋㅋ are no questions the notes fail
    to answer. The bot answers in kind with how to ask, and /til gaps does not list them."""
    for said in ("안녕", "hi", "안녕하세요!", "ㅋㅋㅋ", "Thank you!"):
        reply = slack.command(said, channel="C0DEV").text()
        assert "/til docker" in reply, reply
        assert "찾지 못했어요" not in reply
    assert "천만에요" in slack.command("고마워요").text()
    # Typed as initial letters, as often in Korean chat: ㅎㅇ is 하이, ㄱㅅ and ㄳ 감사. Not a
    # search by 초성 (ㅎㅇ once found "DDL이란?" as "not a sure match").
    assert "/til docker" in slack.command("ㅎㅇ").text()
    assert "천만에요" in slack.command("ㄱㅅ").text() and "천만에요" in slack.command("ㄳㄳ").text()
    for ack in ("ㅇㅋ", "넵 알겠습니다", "ok"):  # after an answer: no question, no gap
        reply = slack.command(ack, channel="C0DEV").text()
        assert "궁금한 게 있으면" in reply and "찾지 못했어요" not in reply, reply
    # Slack writes emoji as codes: the most common thanks there is "감사합니다 :pray:".
    assert "천만에요" in slack.command("감사합니다 :pray:").text()
    assert "천만에요" in slack.command("thanks :+1:").text()
    # Thanks said at length: 도움 is in a note's body, which is no answer to thanks.
    assert "천만에요" in slack.command("고마워 도움이 많이 됐어").text()
    # In a question, an emoji is no word to find or to name as missing.
    asked = slack.command("도커 :thinking_face:").text()
    assert "Docker" in asked and "노트에 없는 단어" not in asked
    slack.mention("<@UTILBOT01> 안녕하세요", ts="1700000000.000500")
    [answer] = fake_slack.calls("chat.postMessage")
    assert "안녕하세요!" in block_text(answer["blocks"])
    assert "답하지 못한 질문이 없어요" in slack.command("gaps").text()

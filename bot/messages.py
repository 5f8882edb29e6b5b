"""Every string a Slack user can read, in Korean (default) and English (TIL_LANG=en).

Kept in one place so wording is reviewed together and a translation never drifts from its
twin: both languages are instances of the same class, which takes every text by name, so a
missing or misspelt one fails at import.
Templates use str.format; values are escaped by the caller (bot.blocks), never here.
"""

from __future__ import annotations

import re


class Messages:
    """One attribute per text, read-only.

    Not a dataclass: for this many fields @dataclass(frozen=True) generates and compiles six
    methods when the module is imported, ~36 M instructions (callgrind), 2% of a cold /til; the
    same checks by hand cost next to nothing.
    """

    usage: str
    short_help: str
    hello_reply: str
    thanks_reply: str
    laughter_reply: str
    searched_for: str
    not_in_notes: str
    not_sure: str
    source: str
    other_candidates: str
    share: str
    show_full: str
    whole_note: str
    full_header: str
    feedback_prompt: str
    feedback_thanks: str
    shared_by: str
    no_match: str
    did_you_mean: str
    try_other_words: str
    query_truncated: str
    tip_header: str
    another_tip: str
    topics_header: str
    topic_entries: str
    uncategorized: str
    entry_count: str
    empty_kb: str
    entry_gone: str
    subscribed: str
    already_subscribed: str
    unsubscribed: str
    not_subscribed: str
    failure: str
    already_done: str
    last_edited: str
    too_long_to_show: str
    image: str
    random_header: str
    part_of: str
    learned_choice: str
    gaps_header: str
    gaps_none: str
    gap_line: str
    write_til: str
    write_modal_title: str
    write_title_label: str
    write_body_label: str
    write_tags_label: str
    write_save: str
    saved_title: str
    saved_done: str
    saved_edited: str
    saved_pr_pending: str
    saved_pr_opened: str
    saved_pr_failed: str
    saved_pr_updating: str
    saved_pr_updated: str
    saved_pr_update_failed: str
    saved_thread_reply: str
    saved_new: str
    saved_by: str
    saved_from: str
    saved_edit: str
    saved_delete: str
    saved_delete_confirm: str
    saved_deleted: str
    saved_not_yours: str
    saved_gone: str
    saved_too_long: str
    saved_too_many_tags: str
    saved_title_taken: str
    saved_rate_limited: str
    saved_unavailable: str
    saved_body_cut: str
    saved_use_command: str
    close: str
    digest_header: str
    digest_intro: str
    home_title: str
    home_topics: str
    home_channels: str
    home_no_channels: str
    home_week: str
    home_week_numbers: str
    home_top_queries: str
    home_top_gaps: str
    home_nothing_yet: str
    show_gaps: str
    topic_modal_title: str
    gaps_off: str
    write_missing: str

    def __init__(self, **texts: str) -> None:
        wrong = sorted(vars(Messages)["__annotations__"].keys() ^ texts.keys())
        if wrong:
            raise TypeError(f"Messages: missing or unknown texts: {', '.join(wrong)}")
        self.__dict__.update(texts)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Messages are read-only: {name}")


KO = Messages(
    usage=(
        "*TIL 봇 사용법*\n"
        "• `/til 질문` — 팀 TIL 노트에서 답을 찾아요 (예: `/til docker 이미지`)\n"
        "• `/til random` — 아무 TIL이나 하나 보여줘요\n"
        "• `/til list` — 주제 목록을 보여줘요\n"
        "• `/til subscribe` / `/til unsubscribe` — 이 채널에 매일 TIL 팁 받기 / 그만 받기\n"
        "• `/til gaps` — 최근 30일 동안 답하지 못한 질문 (TIL로 남길 거리)\n"
        "• `/til add 제목` — TIL을 써서 저장해요 (메시지 메뉴의 *TIL로 저장* 도 돼요)\n"
        "• 채널에서 `@tilbot 질문` — 스레드로 답해요. DM으로 물어봐도 돼요."
    ),
    hello_reply="안녕하세요! 👋 저는 팀 TIL 노트에서 답을 찾아 드리는 봇이에요. "
    "궁금한 기술 키워드로 물어봐 주세요.",
    thanks_reply="천만에요! 🙌 또 궁금한 게 있으면 언제든 물어봐 주세요. 예: `/til docker 이미지`",
    laughter_reply="😄 궁금한 게 있으면 기술 키워드로 물어봐 주세요.",
    short_help="무엇이 궁금한가요? `@tilbot docker` 처럼 질문을 함께 보내 주세요. "
    "`/til help` 로 사용법을 볼 수 있어요.",
    searched_for="🔎 “{query}” 검색 결과",
    part_of="📚 {document} 의 일부",
    not_in_notes="⚠️ 노트에 없는 단어: {words} — 나머지 단어로 가장 가까운 TIL을 보여드려요",
    not_sure="🤔 확실하지 않아요: 질문의 일부만 맞거나, 이 TIL이 지나가듯 언급만 해요",
    source="출처",
    other_candidates="다른 후보",
    share="채널에 공유",
    show_full="전체 보기",
    whole_note="📄 노트 전체: {document}",
    full_header="전체 내용",
    feedback_prompt="도움이 됐나요?",
    feedback_thanks="피드백 고마워요! 👍 {up} · 👎 {down}",
    shared_by="<@{user}> 님이 공유한 TIL",
    no_match="“{query}”에 대한 TIL을 찾지 못했어요.",
    did_you_mean="혹시 이걸 찾으셨나요?",
    try_other_words="다른 키워드로 물어보거나 `/til list` 로 주제를 둘러보세요.",
    query_truncated="(질문이 너무 길어 앞부분만 검색했어요)",
    tip_header="💡 오늘의 TIL",
    another_tip="다른 팁",
    topics_header="*주제 목록* — {topics}개 주제, TIL {entries}개",
    topic_entries="*{topic}* — TIL {count}개",
    uncategorized="기타",
    entry_count="{count}개",
    empty_kb="아직 등록된 TIL이 없어요.",
    entry_gone="그 TIL을 더 이상 찾을 수 없어요. 노트가 바뀌었나 봐요 — 다시 검색해 주세요.",
    subscribed="이제 이 채널에 매일 TIL 팁을 올릴게요. "
    "봇이 채널 멤버가 아니라면 `/invite @tilbot` 으로 초대해 주세요.",
    already_subscribed="이 채널은 이미 매일 TIL 팁을 받고 있어요.",
    unsubscribed="이 채널의 매일 TIL 팁을 그만 보낼게요.",
    not_subscribed="이 채널은 매일 TIL 팁을 구독하고 있지 않아요.",
    failure="앗, 답을 준비하다 문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
    already_done="이 요청은 이미 처리했어요.",
    last_edited="✏️ 마지막 수정 {date}",
    too_long_to_show="(너무 길어서 여기까지만 보여드려요. 전체는 {source} 에서 확인해 주세요)",
    image="이미지",
    random_header="🎲 랜덤 TIL",
    learned_choice="👥 다른 사람들이 이 답을 골랐어요",
    gaps_header="*답하지 못한 질문* — 최근 {days}일, 많이 물어본 순",
    gaps_none="최근 {days}일 동안 답하지 못한 질문이 없어요. 🎉",
    gap_line="*{question}* — {count}번",
    write_til="TIL 쓰기",
    write_modal_title="TIL 쓰기",
    write_title_label="제목",
    write_body_label="내용 (markdown)",
    write_tags_label="태그 (쉼표로 구분, 선택)",
    write_save="저장",
    saved_title="TIL 저장",
    saved_done="✅ *{title}* 을(를) 저장했어요. 지금부터 `/til` 검색에 나와요.",
    saved_edited="✅ *{title}* 을(를) 고쳤어요.",
    saved_pr_pending="GitHub에 pull request를 여는 중이에요…",
    saved_pr_opened="📬 노트 저장소에 pull request를 열었어요: {link}",
    saved_pr_failed="⚠️ GitHub pull request는 열지 못했어요 ({reason}). TIL은 저장됐고 검색에도 "
    "나와요; `python -m bot export-saved` 로 파일을 만들 수 있어요.",
    saved_pr_updating="pull request의 파일도 고치는 중이에요…",
    saved_pr_updated="📬 pull request의 파일도 고쳤어요: {link}",
    saved_pr_update_failed="⚠️ pull request는 고치지 못했어요 ({reason}). 검색에는 고친 TIL이 "
    "나와요; pull request는 GitHub에서 직접 고쳐 주세요.",
    saved_thread_reply="📝 TIL로 저장했어요: *{title}*",
    saved_new="🆕 *새 TIL* — 아직 노트 저장소에 없는, Slack에서 저장한 TIL이에요",
    saved_by="{name}님이 저장",
    saved_from="원문 메시지",
    saved_edit="수정",
    saved_delete="삭제",
    saved_delete_confirm="이 TIL을 지울까요? 되돌릴 수 없어요.",
    saved_deleted="🗑 *{title}* 을(를) 지웠어요.",
    saved_not_yours="이 TIL을 저장한 사람만 고치거나 지울 수 있어요.",
    saved_gone="이 TIL은 이미 지워졌거나 노트 저장소에 올라갔어요.",
    saved_too_long="{limit}자까지 쓸 수 있어요 (지금 {length}자).",
    saved_too_many_tags="태그는 {limit}개까지, 하나에 {length}자까지 달 수 있어요.",
    saved_title_taken="노트 저장소에 같은 제목의 노트가 이미 있어요. 다른 제목을 붙여 주세요.",
    saved_rate_limited="한 시간에 TIL을 {limit}개까지 저장할 수 있어요. 조금 있다가 다시 저장해 주세요.",
    saved_unavailable="지금은 저장할 수 없어요 (상태 저장소에 연결하지 못했어요). 잠시 후 다시 해 주세요.",
    saved_body_cut="스레드가 길어서 앞부분 {limit}자만 채웠어요.",
    saved_use_command="TIL 저장은 `/til add 제목` 이나 메시지 메뉴의 *TIL로 저장* 으로 할 수 있어요.",
    close="닫기",
    digest_header="📬 이번 주 답하지 못한 질문",
    digest_intro="지난 7일 동안 TIL 봇이 답하지 못한 질문이에요. 아는 분이 TIL로 남겨 주세요!",
    home_title="TIL 봇",
    home_topics="*주제* — {topics}개 주제, TIL {entries}개",
    home_channels="*매일 TIL 팁을 받는 채널*: {channels}",
    home_no_channels="*매일 TIL 팁을 받는 채널*: 아직 없어요 — 채널에서 `/til subscribe`",
    home_week="*이번 주* ({week})",
    home_week_numbers="질문 {asked}개 · 답변율 {rate} · 👍 {up} · 👎 {down}",
    home_top_queries="*많이 물어본 질문*",
    home_top_gaps="*답하지 못한 질문*",
    home_nothing_yet="아직 없어요",
    show_gaps="답하지 못한 질문 보기",
    topic_modal_title="TIL",
    gaps_off="질문 기록이 꺼져 있어요 (`TIL_QUESTION_LOG=off`). 켜면 답하지 못한 질문을 모아 보여드려요.",
    write_missing="제목과 내용을 채워 주세요.",
)

EN = Messages(
    usage=(
        "*How to use the TIL bot*\n"
        "• `/til question` — find the answer in the team's TIL notes (e.g. `/til docker image`)\n"
        "• `/til random` — show a random TIL\n"
        "• `/til list` — browse the topics\n"
        "• `/til subscribe` / `/til unsubscribe` — start / stop a daily TIL tip in this channel\n"
        "• `/til gaps` — questions I couldn't answer in the last 30 days (TILs to write)\n"
        "• `/til add title` — write and save a TIL (or *Save as TIL* in a message's menu)\n"
        "• `@tilbot question` in a channel — answered in a thread. DMs work too."
    ),
    hello_reply="Hi! 👋 I find answers in the team's TIL notes. Ask me about a topic.",
    thanks_reply="You're welcome! 🙌 Ask again any time, e.g. `/til docker image`.",
    laughter_reply="😄 Ask me about a topic any time.",
    short_help="What would you like to know? Send a question along, like `@tilbot docker`. "
    "`/til help` shows how to use me.",
    searched_for="🔎 Results for “{query}”",
    part_of="📚 section of {document}",
    not_in_notes="⚠️ Not in any note: {words} — showing the closest TIL for the other words",
    not_sure="🤔 Not a sure match: only part of the question matches, or this TIL only mentions it",
    source="Source",
    other_candidates="Other candidates",
    share="Share to channel",
    show_full="Show all",
    whole_note="📄 The whole note: {document}",
    full_header="Full text",
    feedback_prompt="Was this helpful?",
    feedback_thanks="Thanks for the feedback! 👍 {up} · 👎 {down}",
    shared_by="TIL shared by <@{user}>",
    no_match="I couldn't find a TIL about “{query}”.",
    did_you_mean="Did you mean one of these?",
    try_other_words="Try other keywords, or browse the topics with `/til list`.",
    query_truncated="(your question was very long, so I searched its beginning only)",
    tip_header="💡 Today's TIL",
    another_tip="Another tip",
    # Counts read "label: n": "{n} topics" would say "1 topics" (str.format has no plurals).
    topics_header="*Topics*: {topics} · TILs: {entries}",
    topic_entries="*{topic}* — TILs: {count}",
    uncategorized="Other",
    entry_count="{count}",
    empty_kb="There are no TILs yet.",
    entry_gone="That TIL is gone — the notes must have changed. Please search again.",
    subscribed="I'll post a TIL tip in this channel every day. "
    "If I'm not a member of this channel, invite me with `/invite @tilbot`.",
    already_subscribed="This channel already gets a daily TIL tip.",
    unsubscribed="I'll stop posting daily TIL tips in this channel.",
    not_subscribed="This channel isn't subscribed to daily TIL tips.",
    failure="Oops, something went wrong while preparing the answer. Please try again in a moment.",
    already_done="This request was already handled.",
    last_edited="✏️ last edited {date}",
    too_long_to_show="(too long to show here; the rest is in {source})",
    image="image",
    random_header="🎲 Random TIL",
    learned_choice="👥 Other people picked this answer",
    gaps_header="*Questions I couldn't answer* — last {days} days, most asked first",
    gaps_none="No unanswered questions in the last {days} days. 🎉",
    gap_line="*{question}* — {count}×",
    write_til="Write a TIL",
    write_modal_title="Write a TIL",
    write_title_label="Title",
    write_body_label="Body (markdown)",
    write_tags_label="Tags (comma-separated, optional)",
    write_save="Save",
    saved_title="TIL saved",
    saved_done="✅ Saved *{title}*. It shows up in `/til` searches from now on.",
    saved_edited="✅ Updated *{title}*.",
    saved_pr_pending="Opening a pull request on GitHub…",
    saved_pr_opened="📬 Opened a pull request on the notes repository: {link}",
    saved_pr_failed="⚠️ Could not open the GitHub pull request ({reason}). The TIL is saved "
    "and searchable; `python -m bot export-saved` writes it as a file.",
    saved_pr_updating="Updating the pull request's file too…",
    saved_pr_updated="📬 Updated the pull request's file too: {link}",
    saved_pr_update_failed="⚠️ Could not update the pull request ({reason}). Searches show the "
    "edited TIL; please edit the pull request on GitHub.",
    saved_thread_reply="📝 Saved as TIL: *{title}*",
    saved_new="🆕 *New TIL* — saved from Slack, not in the notes repository yet",
    saved_by="saved by {name}",
    saved_from="original message",
    saved_edit="Edit",
    saved_delete="Delete",
    saved_delete_confirm="Delete this TIL? This cannot be undone.",
    saved_deleted="🗑 Deleted *{title}*.",
    saved_not_yours="Only the person who saved this TIL can edit or delete it.",
    saved_gone="This TIL was deleted already, or it is in the notes repository now.",
    saved_too_long="At most {limit} characters (this has {length}).",
    saved_too_many_tags="At most {limit} tags of up to {length} characters each.",
    saved_title_taken="The notes already have a note with this title: please give it another.",
    saved_rate_limited="You can save up to {limit} TILs an hour. Please try again a bit later.",
    saved_unavailable="Cannot save right now (the state store is unreachable). "
    "Please try again in a moment.",
    saved_body_cut="The thread is long: only its first {limit} characters were filled in.",
    saved_use_command="Save a TIL with `/til add title` or the message menu's *Save as TIL*.",
    close="Close",
    digest_header="📬 This week's unanswered questions",
    digest_intro="Questions the TIL bot couldn't answer in the last 7 days. "
    "If you know, leave a TIL!",
    home_title="TIL bot",
    home_topics="*Topics*: {topics} · TILs: {entries}",
    home_channels="*Channels getting a daily TIL tip*: {channels}",
    home_no_channels="*Channels getting a daily TIL tip*: none yet — `/til subscribe` in one",
    home_week="*This week* ({week})",
    home_week_numbers="questions: {asked} · answered: {rate} · 👍 {up} · 👎 {down}",
    home_top_queries="*Most asked*",
    home_top_gaps="*Not answered*",
    home_nothing_yet="nothing yet",
    show_gaps="Show unanswered questions",
    topic_modal_title="TIL",
    gaps_off="The question log is off (`TIL_QUESTION_LOG=off`); turn it on to collect "
    "the questions I couldn't answer.",
    write_missing="Please fill in a title and a body.",
)

_BY_LANG = {"ko": KO, "en": EN}


def get(lang: str) -> Messages:
    """The strings for `lang` (or a key `for_command` gave), falling back to Korean for
    anything unknown."""
    return _BY_LANG.get(lang, KO)


def for_command(lang: str, command: str) -> str:
    """The key of `lang`'s strings naming the slash command `command` (/til-dev) wherever
    they name /til: made once, then looked up by `get` like a language's own."""
    if command == "/til":
        return lang
    key = f"{lang if lang in _BY_LANG else 'ko'}{command}"
    if key not in _BY_LANG:
        named = re.compile(r"/til(?![\w-])")
        texts = vars(get(lang))
        _BY_LANG[key] = Messages(**{k: named.sub(command, v) for k, v in texts.items()})
    return key

"""What the bot does for each kind of Slack request: parse → ask knowledge → render → respond.

Kept thin on purpose: rendering lives in bot.blocks, wording in bot.messages, searching in
knowledge, saving TILs in bot.saving. bot.app registers these methods with Bolt, which injects the arguments by name.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, ParamSpec, TypeVar

from slack_bolt import Ack, BoltContext, BoltResponse, Respond, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, learning, saved
from bot.background import Undelivered
from bot.responding import Responder
from bot.runtime import current_index
from bot.saved import Knowledge, SavedIndex
from bot.slack_body import (
    channel_of,
    check_sent,
    describe,
    ignorable,
    in_view,
    is_ephemeral,
    user_of,
)
from bot.store import DAY_SECONDS, Outcome, Question
from bot.verify import loggable
from knowledge import normalize
from knowledge.models import beside
from knowledge.textutil import cut_at_word

if TYPE_CHECKING:
    from bot.store import Store
    from knowledge import Answer, Entry, Index

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class _AtOnce(Executor):
    """Runs each call as it is submitted: a local store's calls take less than handing them to
    another thread would (SQLite: a warm /til is under a millisecond)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        done: Future[T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # the caller's result() raises it, as a thread's would
            done.set_exception(exc)
        return done


# Store calls a question makes side by side (Listeners._search) when each is a round trip. Its
# own pool, not Bolt's listener executor: a listener running there and waiting here can never
# starve itself. Threads start when first needed; the calls never submit more calls.
_SIDE_BY_SIDE = ThreadPoolExecutor(max_workers=8, thread_name_prefix="tilbot-store")
_AT_ONCE = _AtOnce()

MAX_QUERY_CHARS = 300  # longer questions are cut: search quality does not improve past this
_MAX_DEPTH = 8  # markdown has six heading levels, a topic one more: a parent loop stops here

Kind = Literal["help", "random", "topics", "subscribe", "unsubscribe", "gaps", "add", "search"]

_WORDS: dict[str, Kind] = {
    "help": "help",
    "-h": "help",
    "--help": "help",
    "도움말": "help",
    "사용법": "help",
    "random": "random",
    "랜덤": "random",
    "list": "topics",
    "topics": "topics",
    "목록": "topics",
    "주제": "topics",
    "subscribe": "subscribe",
    "구독": "subscribe",
    "unsubscribe": "unsubscribe",
    "구독취소": "unsubscribe",
    "구독해지": "unsubscribe",
    "gaps": "gaps",
}


class Request(NamedTuple):
    # Not a frozen dataclass, which generates and compiles six methods at import: ~3 M
    # instructions of a cold /til (callgrind), a NamedTuple a third of that.
    kind: Kind
    query: str = ""
    truncated: bool = False


def clean_slack_text(text: str) -> str:
    """What the user typed: Slack markup is read in one place, `knowledge.normalize`."""
    return normalize.clean_slack_text(text)


def parse(text: str) -> Request:
    """What a /til text, mention or DM asks for."""
    cleaned = clean_slack_text(text or "")
    if not cleaned:
        return Request("help")
    kind = _WORDS.get(cleaned.lower().replace(" ", ""))
    if kind:
        return Request(kind)
    if normalize.small_talk(cleaned) == "help":  # "help me", "how do I use this bot"
        return Request("help")
    first, _, rest = cleaned.partition(" ")
    if first.lower() == "add":  # /til add <title>: write a TIL
        return Request("add", rest.strip()[: saved.MAX_TITLE])
    if len(cleaned) > MAX_QUERY_CHARS:
        return Request("search", cut_at_word(cleaned, MAX_QUERY_CHARS), truncated=True)
    return Request("search", cleaned)


class Listeners(Responder):
    """Questions and the clicks on answers, given the knowledge index, the state store and the
    reply language. Saving TILs is bot.saving."""

    def __init__(
        self,
        index: Index | Callable[[], Index],
        store: Store,
        lang: str,
        link_template: str = "",
        *,
        question_log: bool = True,
        daily_channels: Sequence[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(store, lang, clock)
        # A callable hands out the current index (bot.runtime.PublishedIndex: the KB may be
        # republished while the bot runs).
        self._index = index
        self.link_template = link_template  # TIL_SOURCE_URL: sources become links
        self.question_log = question_log
        self.daily_channels = list(
            daily_channels
        )  # TIL_DAILY_CHANNELS: tips without /til subscribe
        self._saved = SavedIndex(store)

    @property
    def index(self) -> Index:
        """The published KB (topics, random tips): reviewed notes only."""
        return current_index(self._index)

    def knowledge(self) -> Knowledge:
        """What questions are answered from: the KB and the TILs saved from Slack since."""
        return self._saved.knowledge(self.index)

    # ------------------------------------------------------------------ shared core

    def reply(
        self, request: Request, channel: str, *, private: bool, user: str = ""
    ) -> blocks.Payload:
        """The answer to a parsed request; `private` answers get a "share to channel" button.
        `user` only tells the question log one asker from another (it keeps no user id)."""
        if request.kind == "help":
            return blocks.help_blocks(self.lang)
        if request.kind == "random":
            return self._random(private, user)
        if request.kind == "topics":
            return blocks.topics_blocks(self.index.categories(), self.lang)
        if request.kind == "subscribe":
            done = self.store.subscribe(channel)
            return blocks.notice_blocks(
                self.msg.subscribed if done else self.msg.already_subscribed
            )
        if request.kind == "unsubscribe":
            done = self.store.unsubscribe(channel)
            return blocks.notice_blocks(self.msg.unsubscribed if done else self.msg.not_subscribed)
        if request.kind == "gaps":
            return self.gaps()
        if request.kind == "add":  # a mention or a DM: no trigger to open a modal with
            return blocks.notice_blocks(self.msg.saved_use_command)
        return self._search(request, private, channel, user)

    def _search(self, request: Request, private: bool, channel: str, user: str) -> blocks.Payload:
        """The answer to a question. Its three store calls (the saved notes' version, people's
        choices for the query, the week's count) need the KB's answer at most, not each other:
        on DynamoDB each is a round trip, so they travel side by side (_SIDE_BY_SIDE), and all
        are over before the answer is returned (Lambda freezes the process once it is sent)."""
        query, limit, index = request.query, blocks.MAX_CANDIDATES + 1, self.index
        calls = _SIDE_BY_SIDE if self.store.remote else _AT_ONCE
        saved = calls.submit(self._saved.knowledge, index)
        chosen: Future[Any] | None = None
        counted: Future[None] | None = None
        try:
            # The query as the search reads it is known before the search is done: people's
            # choices for it are asked for meanwhile. Saved notes add matches, never terms.
            normalized = learning.normalised(index.terms(query))
            if normalized:
                chosen = calls.submit(self._store_call, lambda: self.store.choices(normalized))
            found = index.search(query, limit=limit)
            if found.matches:  # an answer from the KB stays one whatever people chose
                counted = calls.submit(self._count_question, query, normalized, channel, user, True)
            knowledge = saved.result()
            answer = knowledge.search(query, limit=limit, found=found)
            choices = chosen.result() if chosen else None
            ranked = learning.rerank([m.entry for m in answer.matches], choices or {}, knowledge)
            # Hello, thanks, ㅋㅋ: no question the notes failed to answer, so no gap either; nor
            # is a message of no word to search ("what can you do?", "???"): it gets the usage.
            # A message of small talk alone ("고마워 도움이 많이 됐어") is that, unless it named
            # something surely: a body that says 도움 is no answer to thanks.
            chat = ("" if ranked.entries and answer.sure else normalize.small_talk(query)) or (
                "" if ranked.entries else _no_topic(found)
            )
            if counted is None:
                if not chat:
                    self._count_question(query, normalized, channel, user, bool(ranked.entries))
            else:
                counted.result()
        finally:
            wait([call for call in (saved, chosen, counted) if call is not None])
        if chat:
            return blocks.small_talk_blocks(chat, self.lang)
        return self._render(request, answer, ranked, knowledge, private, user)

    def _render(
        self,
        request: Request,
        answer: Answer,
        ranked: learning.Ranked,
        knowledge: Knowledge,
        private: bool,
        user: str,
    ) -> blocks.Payload:
        if not ranked.entries:
            payload = blocks.no_match_blocks(request.query, answer.suggestions, self.lang)
        else:
            best, *others = ranked.entries
            payload = blocks.entry_blocks(
                best,
                self.lang,
                query=request.query,
                unmatched=() if ranked.learned else answer.unmatched,
                # People's choices, or a match other than the search's first, are not its score.
                sure=ranked.learned
                or answer.best is None
                or answer.best.entry.id != best.id
                or answer.sure,
                others=beside(best, others),
                shareable=private,
                link_template=self.link_template,
            )
            payload = self._mark_saved(payload, best, knowledge, user if private else "")
            if ranked.learned:
                payload = blocks.learned_blocks(payload, self.lang)
        text, found = blocks.with_query(payload, request.query)
        if request.truncated:
            found = [*found, blocks.context(self.msg.query_truncated)]
        return text, found

    # ------------------------------------------------------------------ the knowledge loop

    def _count_question(
        self, query: str, normalized: str, channel: str, user: str, answered: bool
    ) -> None:
        """Every question counts in the week's numbers; one without an answer is also logged."""
        keep = self.question_log and bool(normalized) and not _direct(channel)
        week = learning.week_of(self._clock())
        self._store_call(
            lambda: self.store.count_question(
                week,
                answered=answered,
                normalized=normalized if keep else "",
                query=query if keep else "",
            )
        )
        if not answered:
            self._log(query, normalized, channel, user, Outcome.UNANSWERED)

    def _log(
        self,
        query: str,
        normalized: str,
        channel: str,
        user: str,
        outcome: Outcome,
        entry_id: str = "",
    ) -> None:
        if not (self.question_log and normalized) or _direct(channel):
            return
        question = Question(query, normalized, channel, self._clock(), outcome, entry_id)
        key = learning.question_key(user, normalized, outcome, entry_id)
        self._store_call(lambda: self.store.log_question(question, key))

    def _learn(
        self, query: str, entry_id: str, body: dict[str, Any], vote: int, outcome: Outcome | None
    ) -> None:
        """A click on an entry after `query` (a candidate picked, a vote): remember the choice
        for that query, and log the question when the click says the search fell short."""
        normalized = learning.normalised(self.index.terms(query))
        if not normalized:
            return
        user = user_of(body)
        voter = learning.voter_key(user)
        self._store_call(lambda: self.store.record_choice(normalized, entry_id, voter, vote))
        if outcome is not None:
            self._log(query, normalized, channel_of(body), user, outcome, entry_id)

    def gaps(self) -> blocks.Payload:
        """The most-asked questions of the last WINDOW_DAYS days that got no good answer."""
        # bot.gaps is imported by the requests that show gaps, not by every cold start.
        from bot.gaps import WINDOW_DAYS, top_gaps

        if not self.question_log:
            return blocks.notice_blocks(self.msg.gaps_off)
        since = self._clock() - WINDOW_DAYS * DAY_SECONDS
        gaps = top_gaps(self.store.questions(since), answered_now=self._answered())
        return blocks.gaps_blocks(gaps, self.lang, WINDOW_DAYS)

    def _answered(self) -> Callable[[str], bool]:
        """Would a question get an answer now (a note, a saved TIL, people's choices)?"""
        knowledge = self.knowledge()
        return lambda query: learning.answered(knowledge, self.store, query)

    def home(self, user: str) -> dict[str, Any]:
        """The user's Home tab, from the index and the store (no Slack call but publishing)."""
        from bot.gaps import top_gaps

        now = self._clock()
        week = learning.week_of(now)
        stats = self.store.week_stats(week)
        questions = self.store.questions(learning.week_start(now)) if self.question_log else []
        return blocks.home_view(
            self.index.categories(),
            sorted(set(self.store.subscriptions()) | set(self.daily_channels)),
            stats,
            week,
            top_gaps(questions, answered_now=self._answered()),
            self.lang,
        )

    def _random(self, private: bool, user: str) -> blocks.Payload:
        if not self.index.entries:
            return blocks.notice_blocks(self.msg.empty_kb)
        return blocks.random_blocks(
            self._random_entry(user, avoid=None),
            self.lang,
            shareable=private,
            link_template=self.link_template,
        )

    def _random_entry(self, user: str, avoid: str | None) -> Entry:
        """A tip `user` has not been shown yet: each person goes through all of them, in an
        order of their own, before one comes again (a rotation like a channel's daily tips).
        Never `avoid`, the tip the card clicked already shows."""
        from bot.tips import next_tip
        from knowledge.models import tip_entries

        candidates = tip_entries(self.index.entries)
        key = f"random:{user}"
        rotation = self._store_call(lambda: self.store.get_rotation(key)) if user else None
        if rotation is None:  # nobody to remember for, or the store is down: a fair draw
            others = [e for e in candidates if e.id != avoid] or candidates
            return random.Random().choice(others)
        entry, after = next_tip(key, rotation, candidates, avoid)
        self._store_call(lambda: self.store.save_rotation(key, after))
        return entry

    # ------------------------------------------------------------------ slash command

    def on_command(self, ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """/til: the answer travels in the HTTP response itself, so no Web API call is needed
        (but for `/til add`, which opens the write modal)."""
        request = parse(str(command.get("text") or ""))
        if request.kind == "add":
            ack()
            self._open_view(client, command, blocks.write_modal(request.query, self.lang))
            return
        if request.kind in {"subscribe", "unsubscribe"} and not self._first_time(command):
            # A replayed request (same trigger) must not undo a later change.
            ack(text=self.msg.already_done, response_type="ephemeral")
            return
        text, found = self.reply(
            request,
            command.get("channel_id", ""),
            private=True,
            user=str(command.get("user_id") or ""),
        )
        ack(text=text, blocks=found, response_type="ephemeral")

    # ------------------------------------------------------------------ events

    def on_app_mention(self, body: dict[str, Any], event: dict[str, Any], say: Say) -> None:
        """Runs after the ack (bot.background): the answer goes in the mention's thread."""
        if ignorable(event) or not self._first_delivery(body):
            return
        thread = event.get("thread_ts") or event.get("ts")
        # A mention made of attachments alone has no text, or a null one.
        text = str(event.get("text") or "")
        if not clean_slack_text(text):
            payload = blocks.notice_blocks(self.msg.short_help)
        else:
            payload = self._answer_or_failure(parse(text), event)
        self._deliver(body, payload, lambda t, b: say(text=t, blocks=b, thread_ts=thread))

    def on_message(self, body: dict[str, Any], event: dict[str, Any], say: Say) -> None:
        """Direct messages, after the ack; every other message event (edits, bots, channels)
        is ignored."""
        if event.get("channel_type") != "im" or ignorable(event):
            return
        if not self._first_delivery(body):
            return
        payload = self._answer_or_failure(parse(str(event.get("text") or "")), event)
        thread = event.get("thread_ts")
        self._deliver(body, payload, lambda t, b: say(text=t, blocks=b, thread_ts=thread))

    def _answer_or_failure(self, request: Request, event: dict[str, Any]) -> blocks.Payload:
        try:
            return self.reply(
                request,
                str(event.get("channel") or ""),
                private=False,
                user=str(event.get("user") or ""),
            )
        except Exception:
            log.exception("answering an event failed")
            return blocks.notice_blocks(self.msg.failure)

    def _deliver(
        self,
        body: dict[str, Any],
        payload: blocks.Payload,
        send: Callable[[str, list[dict[str, Any]]], object],
    ) -> None:
        """Send an event's answer; when it does not reach Slack, release the event so that a
        retry (ours, Lambda's or Slack's) can answer it, and raise Undelivered."""
        text, found = payload
        try:
            send(text, found)
        except Exception as exc:
            if not _transient(exc):  # the channel is gone, the text refused: retrying won't help
                log.error("listener failed (%s): %r", describe(body), exc)
                return
            event_id = body.get("event_id")
            if event_id:
                self._store_call(lambda: self.store.release_event(str(event_id)))
            log.warning("could not deliver an answer (%s): %r", describe(body), exc)
            raise Undelivered(repr(exc)) from exc

    def _first_delivery(self, body: dict[str, Any]) -> bool:
        """Slack redelivers an event it thinks we missed; only the first delivery is answered.
        A store that cannot say (broken disk, throttled table) does not stop the answer."""
        event_id = body.get("event_id")
        if not event_id:
            return True
        claimed = self._store_call(lambda: self.store.claim_event(str(event_id)))
        if claimed is False:
            log.info("skipping repeated delivery of event %s", loggable(event_id))
            return False
        return True

    def _first_time(self, body: dict[str, Any]) -> bool:
        """False for a replay of a request already acted on: the same trigger_id (a slash
        command or a click), seen again within the 5 minutes its signature stays valid."""
        trigger = body.get("trigger_id")
        if not trigger:
            return True
        return self._store_call(lambda: self.store.claim_event(f"trigger:{trigger}")) is not False

    # ------------------------------------------------------------------ buttons

    def _entry_of(
        self, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> Entry | None:
        """The entry a button names; a button from before the notes changed gets a notice."""
        entry_id, _ = blocks.read_value(action.get("value", ""))
        entry = self.knowledge().get(entry_id)
        if entry is None:
            self._say_privately(respond, body, blocks.notice_blocks(self.msg.entry_gone))
        return entry

    def on_open(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        """A candidate's card, or (📄, ACTION_NOTE) the whole note a section belongs to."""
        ack()
        entry_id, query = blocks.read_value(action.get("value", ""))
        knowledge = self.knowledge()
        entry = knowledge.get(entry_id)
        if action.get("action_id") == blocks.ACTION_NOTE:
            for _ in range(_MAX_DEPTH):  # up its parents to the file's document
                if entry is None or not entry.parent:
                    break
                entry = knowledge.get(entry.parent)
            query = ""  # opening the note is no choice among answers
        if entry is None:
            self._say_privately(respond, body, blocks.notice_blocks(self.msg.entry_gone), client)
            return
        payload = blocks.entry_blocks(
            entry,
            self.lang,
            # A pick replaces the card it came from: the rest of its list (and the answer it
            # started from) stay on the new card, or trying the next one means asking again.
            others=self._offered(query, entry, knowledge) if query else (),
            shareable=not in_view(body),
            link_template=self.link_template,
            others_block=blocks.BROWSED,
        )
        private = in_view(body) or is_ephemeral(body)
        payload = self._mark_saved(payload, entry, knowledge, user_of(body) if private else "")
        if query:  # a candidate picked after a question: it teaches the search
            if action.get("block_id") != blocks.BROWSED:
                self._learn(query, entry.id, body, 1, Outcome.CHOSEN)
            payload = blocks.with_query(payload, query)
        self._say_privately(respond, body, payload, client)

    @staticmethod
    def _offered(query: str, shown: Entry, knowledge: Knowledge) -> list[Entry]:
        """What a question's card offered, but `shown`: its answer and other candidates, or
        its "did you mean" suggestions when nothing matched (the same search, so the same
        list; people's choices may have ordered it differently)."""
        answer = knowledge.search(query, limit=blocks.MAX_CANDIDATES + 1)
        return beside(shown, [m.entry for m in answer.matches] or answer.suggestions)

    def on_share(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        if not self._first_time(body):
            return  # a replayed click: the card is in the channel already
        knowledge = self.knowledge()
        entry = self._entry_of(action, body, respond)
        if entry is None:
            return
        text, found = self._mark_saved(
            blocks.entry_blocks(
                entry, self.lang, shared_by=user_of(body), link_template=self.link_template
            ),
            entry,
            knowledge,
            viewer="",  # in the channel: everyone sees the card, nobody gets its buttons
        )
        key = _share_key(body, entry.id)
        if key and self._store_call(lambda: self.store.claim_event(key)) is False:
            return  # a second click before the first one's card was taken away
        try:
            # An ephemeral message cannot become a channel message: post a copy, then drop ours.
            check_sent(
                respond(text=text, blocks=found, response_type="in_channel", replace_original=False)
            )
        except Exception:
            if key:  # not shared after all: the user's next click may share it
                self._store_call(lambda: self.store.release_event(key))
            raise
        check_sent(respond(delete_original=True))

    def on_full(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        ack()
        entry = self.knowledge().get(action.get("value", ""))
        payload = (
            blocks.full_entry_blocks(entry, self.lang, self.link_template)
            if entry
            else blocks.notice_blocks(self.msg.entry_gone)
        )
        text, found = payload
        if in_view(body):
            self._show_in_modal(client, body, self.msg.full_header, found)
            return
        check_sent(
            respond(text=text, blocks=found, response_type="ephemeral", replace_original=False)
        )

    def on_vote(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        ack()
        vote = 1 if action.get("action_id") == blocks.ACTION_VOTE_UP else -1
        entry_id, query = blocks.read_value(action.get("value", ""))
        if self.knowledge().get(entry_id) is None:
            # An old card (the notes changed since): no thanks, and no vote for nothing.
            self._tell(respond, body, self.msg.entry_gone, client)
            return
        up, down = self.store.add_feedback(entry_id, user_of(body), vote)
        if self._first_time(body):  # a replayed click counts once in the week's numbers
            week = learning.week_of(self._clock())
            self._store_call(lambda: self.store.count_vote(week, vote))
        if query:
            self._learn(query, entry_id, body, vote, Outcome.DOWNVOTED if vote < 0 else None)
        text = self.msg.feedback_thanks.format(up=up, down=down)
        if in_view(body):
            return  # a vote in a modal: nowhere to say thanks without covering the entry
        check_sent(respond(text=text, response_type="ephemeral", replace_original=False))

    def on_another_tip(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        if not self.index.entries:
            self._say_privately(respond, body, blocks.notice_blocks(self.msg.empty_kb))
            return
        entry = self._random_entry(user_of(body), avoid=action.get("value"))
        self._say_privately(respond, body, blocks.tip_blocks(entry, self.lang, self.link_template))

    def on_topic(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        ack()
        topic = action.get("value", "")
        entries = self.index.categories().get(topic, [])
        payload = (
            blocks.topic_entries_blocks(topic, entries, self.lang)
            if entries
            else blocks.notice_blocks(self.msg.entry_gone)
        )
        self._say_privately(respond, body, payload, client)

    def on_gaps_button(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The Home tab's "unanswered questions" button: the /til gaps list, in a modal."""
        ack()
        _, found = self.gaps()
        self._show_in_modal(client, body, self.msg.show_gaps, found)

    def _mark_saved(
        self, payload: blocks.Payload, entry: Entry, knowledge: Knowledge, viewer: str
    ) -> blocks.Payload:
        """A saved TIL's card says it is new; its saver (`viewer`, on a private card) gets its
        edit and delete buttons."""
        note = knowledge.note(entry.id)
        if note is None:
            return payload
        return blocks.saved_blocks(
            payload,
            note.id,
            note.author_name,
            note.permalink,
            self.lang,
            editable=bool(viewer) and viewer == note.author,
        )

    def on_home(self, event: dict[str, Any], client: WebClient) -> None:
        """app_home_opened, after the ack: publish the Home tab (its one Slack call)."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        user = str(event["user"])
        client.views_publish(user_id=user, view=self.home(user))

    # ------------------------------------------------------------------ failures

    def on_error(
        self,
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond | None,
        say: Say | None,
        client: WebClient,
    ) -> BoltResponse:
        """Log with enough context to debug, tell the user in plain words, never retry-storm."""
        if context.authorize_result is None:
            # Failed before authorization, which Bolt runs only after verifying the request:
            # nothing in this body is trustworthy enough to act on or to log.
            log.warning("a request failed before authorization: %s", type(error).__name__)
            return BoltResponse(status=401, body="")
        log.error("listener failed (%s): %r", describe(body), error, exc_info=error)
        if body.get("command"):
            reply = {"response_type": "ephemeral", "text": self.msg.failure}
            return BoltResponse(
                status=200, body=json.dumps(reply), headers={"content-type": "application/json"}
            )
        try:
            self._tell_failure(body, respond, say, client)
        except Exception as again:  # the failure may be Slack itself; the log already has it
            log.warning("could not tell the user about the failure: %r", again)
        # 200 so Slack does not redeliver an event we already failed on once.
        return BoltResponse(status=200, body="")

    def _tell_failure(
        self, body: dict[str, Any], respond: Respond | None, say: Say | None, client: WebClient
    ) -> None:
        if body.get("type") == "block_actions" and in_view(body):
            # A click in the Home tab or a modal (Slack would not open what it asked for, say):
            # no response_url, no channel, so it is said where the user is looking.
            self._note_in_view(client, body, self.msg.failure)
            return
        # A message shortcut has a response_url too: without it, a "TIL로 저장" whose form
        # Slack would not open (an expired trigger) looks like nothing happened.
        if body.get("type") in {"block_actions", "message_action"} and respond is not None:
            respond(text=self.msg.failure, response_type="ephemeral", replace_original=False)
            return
        event = body.get("event") or {}
        if say is not None and event.get("channel") and not ignorable(event):
            say(text=self.msg.failure, thread_ts=event.get("thread_ts") or event.get("ts"))


def _no_topic(found: Answer) -> str:
    """The usage for a question in which the search found no word to look for (only question
    words, signs or emoji): it names no topic that the notes could lack."""
    return "" if found.terms else "help"


def _transient(exc: Exception) -> bool:
    """May the same call succeed later? Slack's own refusals (ok: false) are final, except
    rate limits; 5xx, timeouts and broken connections are not."""
    if isinstance(exc, SlackApiError):
        status = int(getattr(exc.response, "status_code", 200))
        return status >= 500 or status == 429 or exc.response.get("error") == "ratelimited"
    return True


def _direct(channel: str) -> bool:
    """Whether `channel` is a direct message (Slack's DM ids start with D). What is asked there
    is counted, never kept as text: the text of an unanswered question is shown by `/til gaps`
    and posted to channels by the weekly digest."""
    return channel.startswith("D")


def _share_key(body: dict[str, Any], entry_id: str) -> str:
    """What sharing `entry_id` from the private card clicked claims ("" when the card cannot be
    told): a double click is two clicks with two triggers on one card, and the channel must get
    the card once."""
    card = (body.get("container") or {}).get("message_ts")
    return f"share:{channel_of(body)}:{user_of(body)}:{card}:{entry_id}" if card else ""

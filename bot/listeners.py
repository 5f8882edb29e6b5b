"""What the bot does for each kind of Slack request: parse → ask knowledge → render → respond.

Kept thin on purpose: rendering lives in bot.blocks, wording in bot.messages, searching in
knowledge. bot.app registers these methods with Bolt, which injects the arguments by name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from slack_bolt import Ack, BoltContext, BoltResponse, Respond, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, learning, messages, saved
from bot.background import Undelivered
from bot.gaps import WINDOW_DAYS, top_gaps
from bot.github import GitHubError, PullRequest
from bot.runtime import current_index
from bot.saved import Knowledge, SavedIndex
from bot.store import Outcome, Question, SavedNote
from bot.verify import loggable
from knowledge import normalize

if TYPE_CHECKING:
    from bot.github import GitHub
    from bot.store import Store
    from knowledge import Entry, Index

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 300  # longer questions are cut: search quality does not improve past this

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
DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Request:
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
    first, _, rest = cleaned.partition(" ")
    if first.lower() == "add":  # /til add <title>: write a TIL
        return Request("add", rest.strip()[: saved.MAX_TITLE])
    if len(cleaned) > MAX_QUERY_CHARS:
        return Request("search", cleaned[:MAX_QUERY_CHARS], truncated=True)
    return Request("search", cleaned)


def _is_ephemeral(body: dict[str, Any]) -> bool:
    return bool(body.get("container", {}).get("is_ephemeral"))


def _in_view(body: dict[str, Any]) -> bool:
    """A click in the Home tab or a modal (no response_url to answer with)."""
    return body.get("container", {}).get("type") == "view" or not body.get("response_url")


def _channel(body: dict[str, Any]) -> str:
    channel = body.get("channel")
    if isinstance(channel, dict):
        return str(channel.get("id") or "")
    return str(body.get("channel_id") or channel or "")


def _user(body: dict[str, Any]) -> str:
    """The acting user's id: `user.id` in interactivity payloads, `user_id` in slash commands."""
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(body.get("user_id") or user or "")


def _check(response: Any) -> None:
    """response_url calls do not raise on failure; make them, so the error handler sees it."""
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise RuntimeError(f"response_url answered {status}: {getattr(response, 'body', '')!r}")


class Listeners:
    """The bot's behaviour, given the knowledge index, the state store and the reply language."""

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
        github: GitHub | None = None,
    ) -> None:
        # A callable hands out the current index (bot.runtime.PublishedIndex: the KB may be
        # republished while the bot runs).
        self._index = index
        self.store = store
        self.lang = lang
        self.msg = messages.get(lang)
        self.link_template = link_template  # TIL_SOURCE_URL: sources become links
        self.question_log = question_log
        self.daily_channels = list(
            daily_channels
        )  # TIL_DAILY_CHANNELS: tips without /til subscribe
        self._clock = clock
        self.github = github  # TIL_GITHUB_REPO and a token: saved TILs become pull requests
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
            return self._random(private)
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
        knowledge = self.knowledge()
        answer = knowledge.search(request.query, limit=blocks.MAX_CANDIDATES + 1)
        normalized = learning.normalised(answer)
        choices = self._store_call(lambda: self.store.choices(normalized)) if normalized else None
        ranked = learning.rerank([m.entry for m in answer.matches], choices or {}, knowledge)
        self._count_question(request.query, normalized, channel, user, bool(ranked.entries))
        if not ranked.entries:
            payload = blocks.no_match_blocks(request.query, answer.suggestions, self.lang)
        else:
            best, *others = ranked.entries
            payload = blocks.entry_blocks(
                best,
                self.lang,
                query=request.query,
                unmatched=() if ranked.learned else answer.unmatched,
                others=others,
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
        keep = self.question_log and bool(normalized)
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
        if not (self.question_log and normalized):
            return
        question = Question(query, normalized, channel, self._clock(), outcome, entry_id)
        key = learning.question_key(user, normalized, outcome, entry_id)
        self._store_call(lambda: self.store.log_question(question, key))

    def _learn(
        self, query: str, entry_id: str, body: dict[str, Any], vote: int, outcome: Outcome | None
    ) -> None:
        """A click on an entry after `query` (a candidate picked, a vote): remember the choice
        for that query, and log the question when the click says the search fell short."""
        normalized = learning.normalised(self.index.search(query, limit=1))
        if not normalized:
            return
        user = _user(body)
        voter = learning.voter_key(user)
        self._store_call(lambda: self.store.record_choice(normalized, entry_id, voter, vote))
        if outcome is not None:
            self._log(query, normalized, _channel(body), user, outcome, entry_id)

    def gaps(self, days: int = WINDOW_DAYS) -> blocks.Payload:
        """The most-asked questions of the last `days` days that got no good answer."""
        if not self.question_log:
            return blocks.notice_blocks(self.msg.gaps_off)
        since = self._clock() - days * DAY_SECONDS
        gaps = top_gaps(self.store.questions(since), answered_now=self._answered())
        return blocks.gaps_blocks(gaps, self.lang, days)

    def _answered(self) -> Callable[[str], bool]:
        """Would a question get an answer now (a note, a saved TIL, people's choices)?"""
        knowledge = self.knowledge()
        return lambda query: learning.answered(knowledge, self.store, query)

    def home(self, user: str) -> dict[str, Any]:
        """The user's Home tab, from the index and the store (no Slack call but publishing)."""
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

    def _random(self, private: bool, avoid: str | None = None) -> blocks.Payload:
        if not self.index.entries:
            return blocks.notice_blocks(self.msg.empty_kb)
        return blocks.random_blocks(
            self._random_entry(avoid),
            self.lang,
            shareable=private,
            link_template=self.link_template,
        )

    def _random_entry(self, avoid: str | None) -> Entry:
        from knowledge.models import tip_entries

        # "another tip" should not show the same tip again
        candidates = tip_entries(self.index.entries)
        others = [e for e in candidates if e.id != avoid] or candidates
        return random.Random().choice(others)

    # ------------------------------------------------------------------ slash command

    def on_command(self, ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """/til: the answer travels in the HTTP response itself, so no Web API call is needed
        (but for `/til add`, which opens the write modal)."""
        request = parse(command.get("text", ""))
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
        if _ignorable(event) or not self._first_delivery(body):
            return
        thread = event.get("thread_ts") or event.get("ts")
        text = event.get("text", "")
        if not clean_slack_text(text):
            payload = blocks.notice_blocks(self.msg.short_help)
        else:
            payload = self._answer_or_failure(parse(text), event)
        self._deliver(body, payload, lambda t, b: say(text=t, blocks=b, thread_ts=thread))

    def on_message(self, body: dict[str, Any], event: dict[str, Any], say: Say) -> None:
        """Direct messages, after the ack; every other message event (edits, bots, channels)
        is ignored."""
        if event.get("channel_type") != "im" or _ignorable(event):
            return
        if not self._first_delivery(body):
            return
        payload = self._answer_or_failure(parse(event.get("text", "")), event)
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

    @staticmethod
    def _store_call(call: Callable[[], Any]) -> Any:
        """A store call whose failure must not cost the user an answer: logged, None."""
        try:
            return call()
        except Exception as exc:
            log.error("state store unavailable (%s): %s", type(exc).__name__, exc)
            return None

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
        ack()
        entry_id, query = blocks.read_value(action.get("value", ""))
        knowledge = self.knowledge()
        entry = knowledge.get(entry_id)
        if entry is None:
            self._say_privately(respond, body, blocks.notice_blocks(self.msg.entry_gone), client)
            return
        payload = blocks.entry_blocks(
            entry, self.lang, shareable=not _in_view(body), link_template=self.link_template
        )
        private = _in_view(body) or _is_ephemeral(body)
        payload = self._mark_saved(payload, entry, knowledge, _user(body) if private else "")
        if query:  # a candidate picked after a question: it teaches the search
            self._learn(query, entry.id, body, 1, Outcome.CHOSEN)
            payload = blocks.with_query(payload, query)
        self._say_privately(respond, body, payload, client)

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
                entry, self.lang, shared_by=_user(body), link_template=self.link_template
            ),
            entry,
            knowledge,
            viewer="",  # in the channel: everyone sees the card, nobody gets its buttons
        )
        # An ephemeral message cannot become a channel message: post a copy, then drop ours.
        _check(respond(text=text, blocks=found, response_type="in_channel", replace_original=False))
        _check(respond(delete_original=True))

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
        if _in_view(body):
            self._show_in_modal(client, body, self.msg.full_header, found)
            return
        _check(respond(text=text, blocks=found, response_type="ephemeral", replace_original=False))

    def on_vote(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        vote = 1 if action.get("action_id") == blocks.ACTION_VOTE_UP else -1
        entry_id, query = blocks.read_value(action.get("value", ""))
        up, down = self.store.add_feedback(entry_id, _user(body), vote)
        if self._first_time(body):  # a replayed click counts once in the week's numbers
            week = learning.week_of(self._clock())
            self._store_call(lambda: self.store.count_vote(week, vote))
        if query:
            self._learn(query, entry_id, body, vote, Outcome.DOWNVOTED if vote < 0 else None)
        text = self.msg.feedback_thanks.format(up=up, down=down)
        if _in_view(body):
            return  # a vote in a modal: nowhere to say thanks without covering the entry
        _check(respond(text=text, response_type="ephemeral", replace_original=False))

    def on_another_tip(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        if not self.index.entries:
            self._say_privately(respond, body, blocks.notice_blocks(self.msg.empty_kb))
            return
        entry = self._random_entry(avoid=action.get("value"))
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

    def on_write(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> None:
        """ "TIL 쓰기": the write modal, its title pre-filled with the question of a gap."""
        ack()
        view = blocks.write_modal(action.get("value", ""), self.lang)
        self._open_view(client, body, view)

    # ------------------------------------------------------------------ saving TILs

    def on_save_shortcut(self, ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        """The message shortcut "TIL로 저장": the write modal, filled from the message, or from
        the whole thread when it is a thread's parent."""
        ack()
        found = shortcut.get("message")
        message: dict[str, Any] = found if isinstance(found, dict) else {}
        channel = _channel(shortcut)
        ts = str(message.get("ts") or shortcut.get("message_ts") or "")
        root = str(message.get("thread_ts") or ts)
        text = saved.slack_to_markdown(str(message.get("text") or ""))
        if root == ts and message.get("reply_count"):
            try:
                thread = client.conversations_replies(channel=channel, ts=ts, limit=200)
                text = saved.thread_markdown(thread.get("messages") or []) or text
            except SlackApiError as exc:  # not a member of the channel, say: the parent will do
                log.warning("could not read the thread to save (%s): %r", describe(shortcut), exc)
        body, cut = saved.fit(text, blocks.MAX_INPUT_VALUE)
        view = blocks.write_modal(
            saved.first_line(text),
            self.lang,
            body=body,
            metadata=json.dumps({"c": channel, "ts": ts, "th": root}),
            notice=self.msg.saved_body_cut.format(limit=blocks.MAX_INPUT_VALUE) if cut else "",
        )
        self._open_view(client, shortcut, view)

    def on_write_submit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A filled-in write modal: checked, then saved (searchable at once) or, for a note being
        edited, updated. What takes longer (the saver's name, the permalink, the thread reply,
        the pull request) happens after the answer, in after_save."""
        values = view.get("state", {}).get("values", {})

        def field(name: str) -> str:
            # A signed but odd payload (a list where an object was expected) reads as empty.
            block = values.get(name) if isinstance(values, dict) else None
            element = block.get("value") if isinstance(block, dict) else None
            value = element.get("value") if isinstance(element, dict) else None
            return value.strip() if isinstance(value, str) else ""

        title, text = " ".join(field("title").split()), field("body")
        tags = list(dict.fromkeys(t.strip() for t in field("tags").split(",") if t.strip()))
        errors = self._write_errors(title, text, tags)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user, meta = _user(body), _metadata(view)
        now = self._clock()
        try:
            if meta.get("n"):
                note = self.store.get_note(meta["n"])
                refusal = self._not_editable(note, user)
                if refusal or note is None:
                    ack(response_action="errors", errors={"title": refusal})
                    return
                edited = dataclasses.replace(note, title=title, body=text, tags=tags)
                self.store.put_note(dataclasses.replace(edited, updated_at=now))
                lines = [self.msg.saved_edited.format(title=blocks.escape(title))]
            else:
                if not self.store.claim_save(
                    user, saved.SAVES_PER_WINDOW, saved.SAVE_WINDOW_SECONDS
                ):
                    limited = self.msg.saved_rate_limited.format(limit=saved.SAVES_PER_WINDOW)
                    ack(response_action="errors", errors={"title": limited})
                    return
                note = SavedNote(
                    _new_note_id(view),
                    title,
                    text,
                    user,
                    tags,
                    channel=str(meta.get("c") or ""),
                    ts=str(meta.get("ts") or ""),
                    created_at=now,
                    updated_at=now,
                )
                self.store.put_note(note)
                lines = [self.msg.saved_done.format(title=blocks.escape(title))]
                if self.github is not None:
                    lines.append(self.msg.saved_pr_pending)
        except Exception as exc:
            log.error("could not save a TIL (%s): %r", describe(body), exc)
            ack(response_action="errors", errors={"title": self.msg.saved_unavailable})
            return
        ack(response_action="update", view=blocks.saved_modal(lines, self.lang))

    def _write_errors(self, title: str, text: str, tags: list[str]) -> dict[str, str]:
        errors = {n: self.msg.write_missing for n, v in (("title", title), ("body", text)) if not v}
        for name, value, limit in (
            ("title", title, saved.MAX_TITLE),
            ("body", text, saved.MAX_BODY),
        ):
            if len(value) > limit:
                errors[name] = self.msg.saved_too_long.format(limit=limit, length=len(value))
        if len(tags) > saved.MAX_TAGS or any(len(t) > saved.MAX_TAG for t in tags):
            errors["tags"] = self.msg.saved_too_many_tags.format(
                limit=saved.MAX_TAGS, length=saved.MAX_TAG
            )
        return errors

    def after_save(self, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """After a new TIL was saved (Bolt's lazy listener, once per note): the saver's display
        name and the message's permalink (for the exported file), the reply in the source
        thread, and the pull request when GitHub is configured."""
        meta = _metadata(view)
        if meta.get("n"):
            return  # an edit: the note has all this already
        note_id = _new_note_id(view)
        note = self._store_call(lambda: self.store.get_note(note_id))
        if note is None:  # the submission was refused
            return
        if (
            self._store_call(lambda: self.store.claim_event(f"saved:{note_id}", DAY_SECONDS))
            is False
        ):
            return  # a retry of this same work
        note.author_name = _display_name(client, note.author)
        if note.channel and note.ts:
            note.permalink = _permalink(client, note.channel, note.ts)
        self._store_call(lambda: self.store.put_note(note))
        if note.channel and meta.get("th"):
            reply = self.msg.saved_thread_reply.format(
                title=blocks.escape(blocks.plain(note.title, saved.MAX_TITLE))
            )
            try:
                client.chat_postMessage(channel=note.channel, thread_ts=meta["th"], text=reply)
            except SlackApiError as exc:  # not in the channel: the note is saved all the same
                log.warning("could not reply in the saved message's thread: %r", exc)
        if self.github is not None:
            self._open_pull_request(note, str(view.get("id") or ""), client)

    def _open_pull_request(self, note: SavedNote, view_id: str, client: WebClient) -> None:
        assert self.github is not None
        title = f"TIL: {note.title}"
        about = [f"Saved from Slack by {note.author_name or note.author}"]
        if note.permalink:
            about.append(note.permalink)
        request = PullRequest(
            f"til/{note.id}",
            saved.note_path(note),
            saved.note_markdown(note),
            title,
            "\n".join(about),
        )
        lines = [self.msg.saved_done.format(title=blocks.escape(note.title))]
        try:
            note.pull_request = self.github.open_pull_request(request)
            self._store_call(lambda: self.store.put_note(note))
            lines.append(
                self.msg.saved_pr_opened.format(link=blocks.link(note.pull_request, request.path))
            )
        except GitHubError as exc:
            log.warning("could not open a pull request for a saved TIL: %s", exc)
            lines.append(self.msg.saved_pr_failed.format(reason=blocks.escape(str(exc))))
        try:
            client.views_update(view_id=view_id, view=blocks.saved_modal(lines, self.lang))
        except SlackApiError:  # the modal was closed: tell the saver in a direct message
            client.chat_postMessage(channel=note.author, text="\n".join(lines))

    def _not_editable(self, note: SavedNote | None, user: str) -> str:
        """Why `user` may not edit or delete `note` ("" when they may): only its saver may."""
        if note is None:
            return self.msg.saved_gone
        return "" if note.author == user else self.msg.saved_not_yours

    def _own_note(
        self, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> SavedNote | None:
        note = self.store.get_note(str(action.get("value") or ""))
        refusal = self._not_editable(note, _user(body))
        if refusal:
            self._say_privately(respond, body, blocks.notice_blocks(refusal))
            return None
        return note

    def on_saved_edit(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        """ "수정" on a saved TIL's card: the write modal again, filled with the note."""
        ack()
        note = self._own_note(action, body, respond)
        if note is None:
            return
        view = blocks.write_modal(
            note.title,
            self.lang,
            body=note.body,
            tags=note.tags,
            metadata=json.dumps({"n": note.id}),
        )
        self._open_view(client, body, view)

    def on_saved_delete(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        """ "삭제" on a saved TIL's card (Slack asked to confirm): gone from search at once."""
        ack()
        note = self._own_note(action, body, respond)
        if note is None:
            return
        self.store.delete_note(note.id)
        done = self.msg.saved_deleted.format(title=blocks.escape(note.title))
        self._say_privately(respond, body, blocks.notice_blocks(done))

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

    def _show_in_modal(
        self, client: WebClient, body: dict[str, Any], title: str, found: list[dict[str, Any]]
    ) -> None:
        self._open_view(client, body, blocks.modal(title, found, self.lang))

    @staticmethod
    def _open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Open `view` for the clicker: on top of the modal the click came from, if any."""
        trigger = str(body.get("trigger_id") or "")
        if (body.get("view") or {}).get("type") == "modal":
            client.views_push(trigger_id=trigger, view=view)
        else:
            client.views_open(trigger_id=trigger, view=view)

    def _say_privately(
        self,
        respond: Respond,
        body: dict[str, Any],
        payload: blocks.Payload,
        client: WebClient | None = None,
    ) -> None:
        """Show only the clicker: replace our own ephemeral card, never a message others see.
        A click in the Home tab or a modal has no message to answer in: it opens a modal."""
        text, found = payload
        if client is not None and _in_view(body):
            self._show_in_modal(client, body, self.msg.topic_modal_title, found)
        elif _is_ephemeral(body):
            _check(respond(text=text, blocks=found, replace_original=True))
        else:
            _check(
                respond(text=text, blocks=found, response_type="ephemeral", replace_original=False)
            )

    # ------------------------------------------------------------------ failures

    def on_error(
        self,
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond | None,
        say: Say | None,
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
            self._tell_failure(body, respond, say)
        except Exception as again:  # the failure may be Slack itself; the log already has it
            log.warning("could not tell the user about the failure: %r", again)
        # 200 so Slack does not redeliver an event we already failed on once.
        return BoltResponse(status=200, body="")

    def _tell_failure(self, body: dict[str, Any], respond: Respond | None, say: Say | None) -> None:
        if body.get("type") == "block_actions" and respond is not None:
            respond(text=self.msg.failure, response_type="ephemeral", replace_original=False)
            return
        event = body.get("event") or {}
        if say is not None and event.get("channel") and not _ignorable(event):
            say(text=self.msg.failure, thread_ts=event.get("thread_ts") or event.get("ts"))


def _transient(exc: Exception) -> bool:
    """May the same call succeed later? Slack's own refusals (ok: false) are final, except
    rate limits; 5xx, timeouts and broken connections are not."""
    if isinstance(exc, SlackApiError):
        status = int(getattr(exc.response, "status_code", 200))
        return status >= 500 or status == 429 or exc.response.get("error") == "ratelimited"
    return True


def _ignorable(event: dict[str, Any]) -> bool:
    """Bots (ourselves included), edits, joins and other subtypes never get an answer."""
    return bool(event.get("bot_id") or event.get("subtype") or event.get("bot_profile"))


def describe(body: object) -> str:
    """Identifiers of a request for logs: what, who, where — no message text, no tokens, each
    value escaped (a newline in a field must not forge a log line) and cut short."""
    if not isinstance(body, dict):
        return "body=?"
    event: dict[str, Any] = body["event"] if isinstance(body.get("event"), dict) else {}
    actions: list[Any] = body["actions"] if isinstance(body.get("actions"), list) else []
    parts = {
        "type": body.get("type") or ("slash_command" if body.get("command") else None),
        "command": body.get("command"),
        "event": event.get("type"),
        "event_id": body.get("event_id"),
        "action": ",".join(str(a.get("action_id", "")) for a in actions if isinstance(a, dict)),
        "team": body.get("team_id") or _nested_id(body.get("team")),
        "user": body.get("user_id") or event.get("user") or _user(body) or None,
        "channel": body.get("channel_id")
        or event.get("channel")
        or _nested_id(body.get("channel")),
    }
    return " ".join(f"{k}={loggable(v, 40)}" for k, v in parts.items() if v)


def _nested_id(value: object) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def _metadata(view: dict[str, Any]) -> dict[str, str]:
    """The write modal's private_metadata: where it came from (channel, message, thread) or
    which saved note it edits. Anything unreadable means none of these."""
    try:
        data = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _new_note_id(view: dict[str, Any]) -> str:
    """A new note's id, from its modal's view id: the submission and its after_save agree on
    it without passing anything, and a submission seen twice is one note."""
    return hashlib.sha256(f"til-note:{view.get('id', '')}".encode()).hexdigest()[:12]


def _display_name(client: WebClient, user: str) -> str:
    """The user's Slack display name (else real name) now: the saved note keeps it."""
    try:
        found = client.users_info(user=user).get("user") or {}
    except SlackApiError as exc:  # no users:read scope, say: the user id will do
        log.warning("could not read the saver's name: %r", exc)
        return ""
    profile = found.get("profile") or {}
    return str(profile.get("display_name") or profile.get("real_name") or found.get("name") or "")


def _permalink(client: WebClient, channel: str, ts: str) -> str:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or "")
    except SlackApiError as exc:
        log.warning("could not get the saved message's permalink: %r", exc)
        return ""

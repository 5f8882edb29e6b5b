"""Saving TILs from Slack: the write modal, the "TIL로 저장" shortcut, editing and deleting a
saved note, and what follows a save (the saver's name, the thread reply, the pull request)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, saved
from bot.responding import Responder
from bot.runtime import current_index
from bot.slack_body import channel_of, describe, user_of
from bot.store import DAY_SECONDS, SavedNote

if TYPE_CHECKING:
    from bot.github import GitHub
    from bot.store import Store
    from knowledge import Index

log = logging.getLogger(__name__)


class Saving(Responder):
    """The listeners that write TILs; `github` (TIL_GITHUB_REPO and a token) turns each saved
    TIL into a pull request."""

    def __init__(
        self,
        store: Store,
        lang: str,
        *,
        clock: Callable[[], float] = time.time,
        github: GitHub | None = None,
        index: Index | Callable[[], Index] | None = None,
    ) -> None:
        super().__init__(store, lang, clock)
        self.github = github
        self._index = index  # the published KB, whose note titles a saved TIL may not take

    def on_write(
        self, ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> None:
        """ "TIL 쓰기": the write modal, its title pre-filled with the question of a gap."""
        ack()
        view = blocks.write_modal(action.get("value", ""), self.lang)
        self._open_view(client, body, view)

    def on_save_shortcut(self, ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        """The message shortcut "TIL로 저장": the write modal, filled from the message, or from
        the whole thread when it is a thread's parent."""
        ack()
        found = shortcut.get("message")
        message: dict[str, Any] = found if isinstance(found, dict) else {}
        channel = channel_of(shortcut)
        ts = str(message.get("ts") or shortcut.get("message_ts") or "")
        root = str(message.get("thread_ts") or ts)
        said = str(message.get("text") or "")
        replies: list[dict[str, Any]] = []
        if root == ts and message.get("reply_count"):
            try:
                thread = client.conversations_replies(channel=channel, ts=ts, limit=200)
                replies = list(thread.get("messages") or [])
            except SlackApiError as exc:  # not a member of the channel, say: the parent will do
                log.warning("could not read the thread to save (%s): %r", describe(shortcut), exc)
        names = _mentioned_names(client, [said, *(str(m.get("text") or "") for m in replies)])
        text = saved.thread_markdown(replies, names) or saved.slack_to_markdown(said, names)
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
        title, text, tags = _submitted(view)
        errors = self._write_errors(title, text, tags)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user, meta = user_of(body), _metadata(view)
        now = self._clock()
        try:
            if meta.get("n"):
                note = self.store.get_note(meta["n"])
                refusal = self._not_editable(note, user)
                if refusal or note is None:
                    ack(response_action="errors", errors={"title": refusal})
                    return
                self.store.put_note(note.replace(title=title, body=text, tags=tags, updated_at=now))
                lines = [self.msg.saved_edited.format(title=blocks.escape_bold(title))]
                if self.github is not None and note.pull_request:
                    lines.append(self.msg.saved_pr_updating)
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
                lines = [self.msg.saved_done.format(title=blocks.escape_bold(title))]
                if self.github is not None:
                    lines.append(self.msg.saved_pr_pending)
        except Exception as exc:
            log.error("could not save a TIL (%s): %r", describe(body), exc)
            ack(response_action="errors", errors={"title": self.msg.saved_unavailable})
            return
        ack(response_action="update", view=blocks.saved_modal(lines, self.lang))

    def _write_errors(self, title: str, text: str, tags: list[str]) -> dict[str, str]:
        errors = {n: self.msg.write_missing for n, v in (("title", title), ("body", text)) if not v}
        if title and self._published(title):
            # bot.saved takes a saved note titled like a KB note for that note, published, and
            # leaves it out of search: saved, it would never be found, edited or deleted.
            errors["title"] = self.msg.saved_title_taken
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

    def _published(self, title: str) -> bool:
        if self._index is None:
            return False
        folded = saved.fold(title)
        return any(saved.fold(t) == folded for t in current_index(self._index).titles("document"))

    def after_save(self, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """After a new TIL was saved (Bolt's lazy listener, once per note): the saver's display
        name and the message's permalink (for the exported file), the reply in the source
        thread, and the pull request when GitHub is configured. After an edit: the pull
        request's file, if it has one."""
        meta = _metadata(view)
        if meta.get("n"):
            self._update_pull_request(meta["n"], body, view, client)
            return
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
                title=blocks.escape_bold(blocks.plain(note.title, saved.MAX_TITLE))
            )
            try:
                client.chat_postMessage(channel=note.channel, thread_ts=meta["th"], text=reply)
            except SlackApiError as exc:  # not in the channel: the note is saved all the same
                log.warning("could not reply in the saved message's thread: %r", exc)
        if self.github is not None:
            self._open_pull_request(note, str(view.get("id") or ""), client)

    def _open_pull_request(self, note: SavedNote, view_id: str, client: WebClient) -> None:
        # Imported here: with self.github set, bot.github is loaded already (bot.app._github).
        from bot.github import GitHubError, PullRequest

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
        lines = [self.msg.saved_done.format(title=blocks.escape_bold(note.title))]
        try:
            note.pull_request = self.github.open_pull_request(request)
            self._store_call(lambda: self.store.put_note(note))
            lines.append(
                self.msg.saved_pr_opened.format(link=blocks.link(note.pull_request, request.path))
            )
        except GitHubError as exc:
            log.warning("could not open a pull request for a saved TIL: %s", exc)
            lines.append(self.msg.saved_pr_failed.format(reason=blocks.escape(str(exc))))
        self._tell_saver(client, view_id, note.author, lines)

    def _update_pull_request(
        self, note_id: str, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        """An edited note's text goes to its open pull request too, so what gets merged is
        what the saver last wrote."""
        if self.github is None:
            return
        from bot.github import GitHubError

        note = self._store_call(lambda: self.store.get_note(note_id))
        if note is None or not note.pull_request:
            return
        title, text, tags = _submitted(view)
        accepted = (note.title, note.body, note.tags) == (title, text, tags)
        if user_of(body) != note.author or not accepted:
            return  # the submission was refused: the note is not what was submitted
        view_id = str(view.get("id") or "")
        claimed = self._store_call(lambda: self.store.claim_event(f"edited:{view_id}"))
        if claimed is False:
            return  # a retry of this same work
        lines = [self.msg.saved_edited.format(title=blocks.escape_bold(note.title))]
        try:
            self.github.update_pull_request(
                note.pull_request, saved.note_markdown(note), f"TIL: {note.title} (edited)"
            )
            lines.append(self.msg.saved_pr_updated.format(link=blocks.link(note.pull_request, "")))
        except GitHubError as exc:
            log.warning("could not update a saved TIL's pull request: %s", exc)
            lines.append(self.msg.saved_pr_update_failed.format(reason=blocks.escape(str(exc))))
        self._tell_saver(client, view_id, note.author, lines)

    def _tell_saver(self, client: WebClient, view_id: str, saver: str, lines: list[str]) -> None:
        try:
            client.views_update(view_id=view_id, view=blocks.saved_modal(lines, self.lang))
        except SlackApiError:  # the modal was closed: tell the saver in a direct message
            client.chat_postMessage(channel=saver, text="\n".join(lines))

    def _not_editable(self, note: SavedNote | None, user: str) -> str:
        """Why `user` may not edit or delete `note` ("" when they may): only its saver may."""
        if note is None:
            return self.msg.saved_gone
        return "" if note.author == user else self.msg.saved_not_yours

    def _own_note(
        self, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> SavedNote | None:
        note = self.store.get_note(str(action.get("value") or ""))
        refusal = self._not_editable(note, user_of(body))
        if refusal:
            self._tell(respond, body, refusal, client)
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
        note = self._own_note(action, body, respond, client)
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
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        """ "삭제" on a saved TIL's card (Slack asked to confirm): gone from search at once."""
        ack()
        note = self._own_note(action, body, respond, client)
        if note is None:
            return
        self.store.delete_note(note.id)
        done = self.msg.saved_deleted.format(title=blocks.escape_bold(note.title))
        self._tell(respond, body, done, client)


def _submitted(view: dict[str, Any]) -> tuple[str, str, list[str]]:
    """The write modal's title, body and tags as submitted (a signed but odd payload, a list
    where an object was expected, reads as empty)."""
    values = view.get("state", {}).get("values", {})

    def field(name: str) -> str:
        block = values.get(name) if isinstance(values, dict) else None
        element = block.get("value") if isinstance(block, dict) else None
        value = element.get("value") if isinstance(element, dict) else None
        return value.strip() if isinstance(value, str) else ""

    tags = list(dict.fromkeys(t.strip() for t in field("tags").split(",") if t.strip()))
    return " ".join(field("title").split()), field("body"), tags


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


# Names looked up for one saved message at most, all at once, and how long the form waits for
# them: it must open within the 3 seconds its trigger lasts, after the thread is read, however
# slow Slack answers. Mentions past these, or not named in time, read @user / #channel.
MAX_NAME_LOOKUPS = 8
NAME_LOOKUP_SECONDS = 1.0


def _mentioned_names(client: WebClient, texts: list[str]) -> dict[str, str]:
    """The names of the people and channels `texts` mention by id alone, as far as Slack tells
    in time (a channel's name needs the channels:read scope, a private one's groups:read): "@U0BOB" → "밥"."""
    wanted = saved.bare_mentions(texts)[:MAX_NAME_LOOKUPS]
    if not wanted:
        return {}
    pool = ThreadPoolExecutor(max_workers=len(wanted), thread_name_prefix="til-names")
    asked = {pool.submit(_mentioned_name, client, mention): mention for mention in wanted}
    done, _ = wait(asked, timeout=NAME_LOOKUP_SECONDS)
    pool.shutdown(wait=False, cancel_futures=True)  # a late answer is no longer waited for
    names: dict[str, str] = {}
    for future in done:
        if future.exception() is not None:
            log.warning("could not read a mentioned name: %r", future.exception())
        elif name := future.result():
            names[asked[future]] = name
    return names


def _mentioned_name(client: WebClient, mention: str) -> str:
    kind, target = mention[0], mention[1:]
    return _display_name(client, target) if kind == "@" else _channel_name(client, target)


def _channel_name(client: WebClient, channel: str) -> str:
    try:
        found = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as exc:  # no channels:read, a private channel: #channel will do
        log.warning("could not read a mentioned channel's name: %r", exc)
        return ""
    return str(found.get("name") or "")


def _permalink(client: WebClient, channel: str, ts: str) -> str:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or "")
    except SlackApiError as exc:
        log.warning("could not get the saved message's permalink: %r", exc)
        return ""

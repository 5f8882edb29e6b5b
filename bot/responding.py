"""What every group of listeners shares: the store, the reply language, the clock, and the ways
to answer only the person who clicked."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, messages
from bot.slack_body import check_sent, in_view, is_ephemeral, user_of

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)


class Responder:
    """The store, the reply language and the clock, and private answers to a click."""

    def __init__(self, store: Store, lang: str, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.lang = lang
        self.msg = messages.get(lang)
        self._clock = clock

    @staticmethod
    def _store_call(call: Callable[[], Any]) -> Any:
        """A store call whose failure must not cost the user an answer: logged, None."""
        try:
            return call()
        except Exception as exc:
            log.error("state store unavailable (%s): %s", type(exc).__name__, exc)
            return None

    def _show_in_modal(
        self, client: WebClient, body: dict[str, Any], title: str, found: list[dict[str, Any]]
    ) -> None:
        self._open_view(client, body, blocks.modal(title, found, self.lang))

    @staticmethod
    def _open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Open `view` for the clicker: on top of the modal the click came from, if any."""
        trigger = str(body.get("trigger_id") or "")
        shown = body.get("view") or {}
        if shown.get("type") != "modal":
            client.views_open(trigger_id=trigger, view=view)
            return
        try:
            client.views_push(trigger_id=trigger, view=view)
        except SlackApiError as exc:
            # Slack stacks at most three modals: a click in the third would show nothing, so
            # the view it asked for takes that modal's place.
            if exc.response.get("error") != "push_limit_reached":
                raise
            client.views_update(view_id=str(shown.get("id") or ""), view=view)

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
        if client is not None and in_view(body):
            self._show_in_modal(client, body, self.msg.topic_modal_title, found)
        elif is_ephemeral(body):
            check_sent(respond(text=text, blocks=found, replace_original=True))
        else:
            check_sent(
                respond(text=text, blocks=found, response_type="ephemeral", replace_original=False)
            )

    def _tell(
        self, respond: Respond | None, body: dict[str, Any], text: str, client: WebClient
    ) -> None:
        """A short notice (our own mrkdwn) for the clicker: on the Home tab or modal the click
        came from, else as _say_privately says it."""
        if in_view(body):
            self._note_in_view(client, body, text)
        elif respond is not None:
            self._say_privately(respond, body, blocks.notice_blocks(text))

    @staticmethod
    def _note_in_view(client: WebClient, body: dict[str, Any], text: str) -> None:
        """`text` on top of the Home tab or modal a click came from: a click there has no
        message to answer in, and without it a failed click looks like nothing happened. When
        Slack will not take that either, a direct message from the app says it."""
        shown = body.get("view") or {}
        view = blocks.with_notice(shown, text)
        try:
            if shown.get("type") == "home":
                client.views_publish(user_id=user_of(body), view=view)
            else:
                client.views_update(view_id=str(shown.get("id") or ""), view=view)
        except SlackApiError as exc:
            log.warning("could not show a notice in the view clicked: %r", exc)
            client.chat_postMessage(channel=user_of(body), text=text)

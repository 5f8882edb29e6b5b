"""The Bolt app: one factory, every listener registered here.

Authorization is custom on purpose. Bolt's default single-workspace mode calls auth.test on the
first request (and at start-up unless told otherwise); on Lambda that is an extra Slack round trip
inside the 3-second window of a cold /til. Our token is static, so authorize() just hands it over.
The bot's own user id is only needed to ignore our own events: Events API payloads carry it in
`authorizations`, and auth.test is the lazy fallback, only ever for events.
"""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot import background, blocks
from bot.listeners import Listeners
from bot.saving import Saving
from bot.slack_api import web_client

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.github import GitHub
    from bot.settings import Settings
    from bot.store import Store
    from knowledge import Index

log = logging.getLogger(__name__)


class _ClientWinsFilter(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and then warns, at every start, that
    the client we pass wins over it. It does, on purpose (our base URL and retries), so drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_ClientWinsFilter())

_EVENT = "tilbot_is_event"
_BOT_USER_HINT = "tilbot_bot_user_id"


class TilApp(App):
    """Bolt's App, keeping the signing secret where bot.wsgi can verify a request with it before
    Bolt (which parses the body first) ever sees the request."""

    def __init__(self, *, signing_secret: str, **kwargs: Any) -> None:
        super().__init__(signing_secret=signing_secret, **kwargs)
        self.signing_secret = signing_secret


def create_app(settings: Settings, index: Index | Callable[[], Index], store: Store) -> TilApp:
    """A Bolt app answering from `index`, remembering in `store`, talking to settings' Slack API."""
    executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="tilbot")
    app = TilApp(
        name="tilbot",
        signing_secret=settings.slack_signing_secret,
        client=web_client(settings.slack_api_url),
        before_authorize=_note_event_identity,
        authorize=_static_authorize(settings.slack_bot_token),
        token_verification_enabled=False,
        # Lambda freezes the process once the response is sent: work must finish before it;
        # what may be slow (answers to mentions and DMs) goes to bot.background.
        process_before_response=True,
        listener_executor=executor,
    )
    background.install(app, executor)
    register(
        app,
        Listeners(
            index,
            store,
            settings.replies,
            settings.til_source_url,
            question_log=settings.til_question_log,
            daily_channels=settings.daily_channels,
        ),
        Saving(store, settings.replies, github=_github(settings), index=index),
        settings.til_command,
    )
    return app


def _github(settings: Settings) -> GitHub | None:
    """The pull-request client, when a notes repository is configured: bot.github is imported
    only then, not by every cold start (a /til never opens a pull request)."""
    if not settings.til_github_repo:
        return None
    from bot.github import GitHub

    return GitHub.from_settings(settings)


def register(app: App, listeners: Listeners, saving: Saving, command: str) -> None:
    app.command(command)(listeners.on_command)
    # Events are acked at once and answered in the background (bot.background).
    app.event("app_mention")(ack=_ack, lazy=[listeners.on_app_mention])
    app.event("message")(ack=_ack, lazy=[listeners.on_message])
    app.action(_numbered(blocks.ACTION_OPEN))(listeners.on_open)
    app.action(blocks.ACTION_SHARE)(listeners.on_share)
    app.action(blocks.ACTION_FULL)(listeners.on_full)
    app.action(blocks.ACTION_NOTE)(listeners.on_open)
    app.action(blocks.ACTION_VOTE_UP)(listeners.on_vote)
    app.action(blocks.ACTION_VOTE_DOWN)(listeners.on_vote)
    app.action(blocks.ACTION_ANOTHER_TIP)(listeners.on_another_tip)
    app.action(_numbered(blocks.ACTION_TOPIC))(listeners.on_topic)
    app.action(blocks.ACTION_GAPS)(listeners.on_gaps_button)
    app.action(_numbered(blocks.ACTION_WRITE))(saving.on_write)
    # Saving answers at once; the saver's name, the thread reply and the pull request follow.
    app.view(blocks.VIEW_WRITE)(ack=saving.on_write_submit, lazy=[saving.after_save])
    app.shortcut(blocks.SHORTCUT_SAVE)(saving.on_save_shortcut)
    app.action(blocks.ACTION_SAVED_EDIT)(saving.on_saved_edit)
    app.action(blocks.ACTION_SAVED_DELETE)(saving.on_saved_delete)
    app.event("app_home_opened")(ack=_ack, lazy=[listeners.on_home])
    app.error(listeners.on_error)


def _ack(ack: Any) -> None:
    ack()


def _numbered(action_id: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(action_id)}(:\d+)?$")


def _note_event_identity(
    body: dict[str, Any], context: BoltContext, next: Callable[[], Any]
) -> Any:
    """Before authorize (which cannot see the body): is this an event, and who is our bot user?"""
    if body.get("type") == "event_callback":
        context[_EVENT] = True
        for auth in body.get("authorizations") or []:
            if auth.get("is_bot") and auth.get("user_id"):
                context[_BOT_USER_HINT] = auth["user_id"]
                break
    return next()


def _static_authorize(bot_token: str) -> Callable[..., AuthorizeResult]:
    """authorize() for one workspace and a static bot token: no Slack call for commands/actions."""
    identity: dict[str, str] = {}
    lock = threading.Lock()

    def lookup_identity(client: WebClient) -> dict[str, str]:
        with lock:
            if not identity:
                result = client.auth_test(token=bot_token)
                identity.update(user_id=result["user_id"], bot_id=result.get("bot_id") or "")
        return identity

    def authorize(
        enterprise_id: str | None, team_id: str | None, context: BoltContext
    ) -> AuthorizeResult:
        bot_user_id: str | None = context.get(_BOT_USER_HINT) or identity.get("user_id")
        bot_id: str | None = identity.get("bot_id") or None
        if context.get(_EVENT) and not bot_user_id:
            found = lookup_identity(context.client)
            bot_user_id, bot_id = found["user_id"], found["bot_id"] or None
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=bot_token,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
        )

    return authorize

"""The WSGI application: `bot.wsgi.app` for Zappa (app_function) and for `python -m bot serve`.

Routes: POST /slack/events (every Slack request: commands, events, buttons) and GET /health.
The Bolt app, the knowledge index and the store are built on the first request, once per
process (= once per Lambda cold start): importing this module stays cheap and never fails, so
a missing setting shows up as a clear message rather than an import traceback.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.settings import MissingSetting

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt import App

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATHS = frozenset({"/health", "/healthz"})


class TilWsgi:
    """WSGI callable that builds the Slack app lazily, exactly once, then delegates to Bolt."""

    def __init__(self, build: Callable[[], App]) -> None:
        self._build = build
        self._handler: SlackRequestHandler | None = None
        self._lock = threading.Lock()

    def handler(self) -> SlackRequestHandler:
        """The Bolt WSGI handler, built on first use (raises MissingSetting if misconfigured)."""
        if self._handler is None:
            with self._lock:
                if self._handler is None:
                    self._handler = SlackRequestHandler(self._build(), path=EVENTS_PATH)
        return self._handler

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") in HEALTH_PATHS:
            return self._health(start_response)
        handler, problem = self._ready()
        if handler is None:
            return _json(start_response, "503 Service Unavailable", {"ok": False, "error": problem})
        return handler(environ, start_response)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        # Building here makes the health check a real readiness probe (and warms the index).
        handler, problem = self._ready()
        if handler is None:
            return _json(start_response, "503 Service Unavailable", {"ok": False, "error": problem})
        return _json(start_response, "200 OK", {"ok": True})

    def _ready(self) -> tuple[SlackRequestHandler | None, str]:
        """The handler, or why there is none in words safe to show (names, never values)."""
        try:
            return self.handler(), ""
        except MissingSetting as exc:
            log.error("cannot serve Slack requests: %s", exc)
            return None, str(exc)
        except Exception:
            log.exception("cannot build the Slack app")
            return None, "the bot failed to start; see the server log"


def _json(start_response: StartResponse, status: str, payload: dict[str, object]) -> list[bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    start_response(
        status,
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def build_from_environment() -> App:
    """The app as the environment configures it (secrets from Secrets Manager when asked)."""
    from bot.app import create_app
    from bot.aws import index_source_for, resolve_secrets
    from bot.settings import load_settings
    from bot.store import open_store

    settings = resolve_secrets(load_settings())
    settings.require("slack_signing_secret", "slack_bot_token")
    return create_app(settings, index_source_for(settings), open_store(settings))


app = TilWsgi(build_from_environment)

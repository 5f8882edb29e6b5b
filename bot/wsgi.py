"""The WSGI application: `bot.wsgi.app` for Zappa (app_function) and for `python -m bot serve`.

Routes: POST /slack/events (every Slack request: commands, events, buttons) and GET /health.
A request reaches Bolt only after bot.verify has checked its size, timestamp and signature
(401 otherwise, with nothing read, parsed or logged from it) and found its payload well-formed
(400 otherwise). The Bolt app, the knowledge index and the store are built on the first request, once per
process (= once per Lambda cold start): importing this module stays cheap and never fails, so
a missing setting shows up as a clear message rather than an import traceback. Importing it
reads the Slack secret while Bolt and pydantic import (bot.aws.start_reading_secret) and, at
its end, waits for that read if it is still travelling (Lambda may freeze the process right
after); a failed read is the first request's 503, as if it had been read then. The cyclic
garbage collector is paused while it imports and what the import made is frozen at its end
(_pause_collector, _resume_collector), and so is it while the process's first app is built.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING


def _pause_collector() -> bool:
    """Stop the cyclic collector (for this import, and the first app build); True when it was
    running.

    By the end of this import a cold process holds ~70,000 objects the collector tracks, all
    but a few as long-lived as the process (modules, classes, functions, Bolt and pydantic's
    tables): 128 unreachable objects, 53 KiB, after this import, the app's build and two
    questions. Each collection while they pile up walks them all again for nothing: ~43 M
    instructions (callgrind), 3% of a cold /til, went to that."""
    running = gc.isenabled()
    gc.disable()
    return running


def _resume_collector(running: bool) -> None:
    """Freeze what the import made (later collections skip it: it will not become garbage)
    and let the collector run again if it ran before."""
    gc.freeze()
    if running:
        gc.enable()


_collector_was_running = _pause_collector()
_first_build_pending = True


@contextlib.contextmanager
def _collector_paused_for_first_build() -> Iterator[None]:
    """The process's first app build is a cold start's too: the KB, the Bolt app and their
    modules, ~8,000 tracked objects that live as long as the process. Collections while they
    were made took ~3 ms of a cold /til (gc.callbacks); so none while they are made, and they
    are frozen after, as at import. Later builds (tests make hundreds) leave the
    collector alone: a freeze keeps for good whatever garbage waits at that moment."""
    global _first_build_pending
    if not _first_build_pending:
        yield
        return
    _first_build_pending = False
    running = _pause_collector()
    try:
        yield
    finally:
        _resume_collector(running)


from bot import aws  # noqa: E402

# Before Bolt, slack_sdk and pydantic import: the Slack secret travels while they do (a cold
# container would otherwise wait for Secrets Manager only once they are done).
aws.start_reading_secret()

from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bot import verify  # noqa: E402
from bot.background import BackgroundRunner  # noqa: E402
from bot.settings import MissingSetting  # noqa: E402

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from bot.app import TilApp

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATHS = frozenset({"/health", "/healthz"})


class TilWsgi:
    """WSGI callable that builds the Slack app lazily, exactly once, then delegates to Bolt."""

    def __init__(self, build: Callable[[], TilApp]) -> None:
        self._build = build
        self._handler: SlackRequestHandler | None = None
        self._verifier: SignatureVerifier | None = None
        self._lock = threading.Lock()

    def handler(self) -> SlackRequestHandler:
        """The Bolt WSGI handler, built on first use (raises MissingSetting if misconfigured)."""
        if self._handler is None:
            with self._lock:
                if self._handler is None:
                    with _collector_paused_for_first_build():
                        app = self._build()
                        self._verifier = SignatureVerifier(app.signing_secret)
                        self._handler = SlackRequestHandler(app, path=EVENTS_PATH)
        return self._handler

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait for answers still being sent in the background (tests; a clean shutdown)."""
        if self._handler is None:
            return True
        runner = self._handler.app.listener_runner.lazy_listener_runner
        return not isinstance(runner, BackgroundRunner) or runner.wait_idle(timeout)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in HEALTH_PATHS:
            return self._health(start_response)
        if path != EVENTS_PATH:
            return _json(start_response, "404 Not Found", {"ok": False, "error": "not found"})
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"ok": False})
        handler, problem = self._ready()
        if handler is None:
            return _json(start_response, "503 Service Unavailable", {"ok": False, "error": problem})
        assert self._verifier is not None  # set together with the handler
        try:
            body = verify.read_body(environ["wsgi.input"], environ.get("CONTENT_LENGTH"))
        except verify.TooLarge:
            log.warning("refused a request body over %d bytes", verify.MAX_BODY_BYTES)
            return _json(start_response, "413 Payload Too Large", {"ok": False})
        signed = verify.is_signed_by_slack(
            self._verifier,
            body,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
        )
        if not signed:
            log.info("refused a request without a valid Slack signature")
            return _json(start_response, "401 Unauthorized", {"ok": False, "error": "invalid"})
        text = body.decode("utf-8")  # is_signed_by_slack decoded it once already
        malformed = verify.payload_problem(text, environ.get("CONTENT_TYPE"))
        if malformed:
            log.warning("refused a signed but malformed Slack request: %s", malformed)
            return _json(start_response, "400 Bad Request", {"ok": False, "error": "malformed"})
        return handler(_verified_environ(environ, body), start_response)

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


def _verified_environ(environ: WSGIEnvironment, body: bytes) -> WSGIEnvironment:
    """The environ Bolt gets: the body already read, and no header of Bolt's internal protocol
    (they mean "run a background listener" and only ever come from bot.background)."""
    clean = {k: v for k, v in environ.items() if not _is_internal_header(k)}
    clean["wsgi.input"] = io.BytesIO(body)
    clean["CONTENT_LENGTH"] = str(len(body))
    return clean  # type: ignore[return-value]


def _is_internal_header(key: str) -> bool:
    return key.startswith("HTTP_") and key[5:].lower().replace("_", "-") in verify.INTERNAL_HEADERS


def _json(start_response: StartResponse, status: str, payload: dict[str, object]) -> list[bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    start_response(
        status,
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def build_from_environment() -> TilApp:
    """The app as the environment configures it (secrets from Secrets Manager when asked)."""
    from bot.app import create_app
    from bot.runtime import runtime

    wired = runtime()
    wired.settings.require("slack_signing_secret", "slack_bot_token")
    return create_app(wired.settings, wired.index, wired.store)


app = TilWsgi(build_from_environment)
aws.settle_secret_read()
_resume_collector(_collector_was_running)

"""Answers that are sent after the ack: mentions and DMs (Bolt's lazy listeners).

Slack wants an HTTP answer within 3 seconds and retries an event otherwise. An answer to a
mention is a chat.postMessage, which can be slow or fail when Slack is; so the request is acked
at once and the answer runs in the background:

* locally (`python -m bot serve`), in a thread, with up to ATTEMPTS tries;
* on Lambda, as an asynchronous invocation of this same function through Zappa's task routing
  (`zappa.asynchronous.run`): a frozen container would never finish a thread. The invocation
  carries the verified request (body and headers); `run_lazy` dispatches it through the app,
  so Bolt checks its signature again, and raises when the answer was not delivered, so that
  Lambda retries the invocation (twice, by default).

A listener that could not deliver its answer releases the event's claim and raises Undelivered:
the retry then claims it again and answers, and a Slack redelivery is not taken for a duplicate.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from slack_bolt import BoltRequest
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.util.utils import get_arg_names_of_callable

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = (1.0, 4.0)  # before the 2nd and 3rd local tries (Lambda has its own)
_UNDELIVERED = "tilbot_undelivered"


class Undelivered(Exception):
    """The answer did not reach Slack; the event's claim was released for a retry."""


def on_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


class BackgroundRunner(LazyListenerRunner):
    def __init__(self, logger: logging.Logger, executor: Executor) -> None:
        self.logger = logger
        self.executor = executor
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        if on_lambda():
            _invoke_async(request)
            return
        future = self.executor.submit(self._run_with_retries, function, request)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        """One synchronous try (the asynchronous Lambda invocation); Undelivered is noted on the
        request for run_lazy to raise, since Bolt turns exceptions into an error response."""
        try:
            _call(function, request, self.logger)
        except Undelivered:
            request.context[_UNDELIVERED] = True

    def _run_with_retries(self, function: Callable[..., None], request: BoltRequest) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                _call(function, request, self.logger)
                return
            except Undelivered as exc:
                if attempt == ATTEMPTS:
                    log.warning("gave up delivering an answer after %d tries: %r", attempt, exc)
                    return
                time.sleep(BACKOFF_SECONDS[attempt - 1])
            except OSError as exc:
                # Slack out of reach (a follow-up such as a saved note's permalink): one line,
                # as an undelivered answer gets, not a traceback of urllib's.
                log.warning("a background task could not reach Slack: %r", exc)
                return
            except Exception:
                log.exception("a background task failed")
                return

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no background answer is running (tests, and a clean local shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    return True
            time.sleep(0.01)
        return False


def _call(function: Callable[..., None], request: BoltRequest, logger: logging.Logger) -> None:
    kwargs = build_required_kwargs(
        logger=logger,
        required_arg_names=get_arg_names_of_callable(function),
        request=request,
        response=None,
        this_func=function,
    )
    function(**kwargs)


def _invoke_async(request: BoltRequest) -> None:
    # Imported here: zappa.asynchronous creates its boto3 clients at import, a cost that only
    # requests with background work (not a cold /til) should pay.
    from zappa.asynchronous import run

    headers: dict[str, str | Sequence[str]] = {k: v[0] for k, v in request.headers.items() if v}
    headers["x-slack-bolt-lazy-only"] = "1"
    headers["x-slack-bolt-lazy-function-name"] = request.lazy_function_name or ""
    run(run_lazy, kwargs={"body": request.raw_body, "headers": headers})


def run_lazy(body: str, headers: dict[str, str | Sequence[str]]) -> None:
    """The asynchronous invocation's entry point (Zappa routes it by this function's path)."""
    from bot.wsgi import app as wsgi

    request = BoltRequest(body=body, headers=headers)
    response = wsgi.handler().app.dispatch(request)
    if response.status >= 400:
        log.warning("background answer refused: HTTP %d", response.status)
        return  # an expired signature, say: retrying cannot help
    if request.context.get(_UNDELIVERED):
        raise Undelivered("the answer did not reach Slack; Lambda will retry")


def install(app: Any, executor: Executor) -> BackgroundRunner:
    """Make `app` run its lazy listeners with a BackgroundRunner."""
    runner = BackgroundRunner(app.logger, executor)
    app.listener_runner.lazy_listener_runner = runner
    return runner

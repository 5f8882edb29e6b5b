"""The one Slack Web API client factory, with waits that fit inside a deadline.

Slack answers 429 with a Retry-After that can be 30 s or more; obeying it blindly held a request
(or the whole daily-tip run) for as long as Slack asked, past Slack's 3-second window or the
Lambda timeout. Here a rate-limited call waits only while the wait fits in `max_wait_seconds`,
which callers with a deadline lower as time runs out; otherwise it fails at once, which the
caller handles like any other failure (the daily tip retries the channel on its next run).
"""

from __future__ import annotations

import random
import time

from slack_sdk import WebClient
from slack_sdk.http_retry import RateLimitErrorRetryHandler, RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.tls import shared_context

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_WAIT_SECONDS = 3.0


class CappedRateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out a 429 when Retry-After fits in `max_wait_seconds`, else gives up at once."""

    def __init__(self, max_retry_count: int = 1, max_wait_seconds: float = 3.0) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait_seconds = max_wait_seconds

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _retry_after(response) <= self.max_wait_seconds

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        assert response is not None  # _can_retry allowed only responses
        state.next_attempt_requested = True
        wait = _retry_after(response)
        time.sleep(min(wait + random.random() * 0.2, self.max_wait_seconds))
        state.increment_current_attempt()


def _retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(values[0]))
            except (ValueError, IndexError):
                break
    return 1.0


def web_client(
    base_url: str,
    token: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS,
) -> WebClient:
    """A Web API client for `base_url` (SLACK_API_URL). No retry after a connection error: a
    message Slack accepted before the connection broke would be posted twice."""
    handlers: list[RetryHandler] = [CappedRateLimitRetry(2, max_wait_seconds)]
    return WebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=int(max(1, timeout)),
        # One context for the process (bot.tls); Bolt hands it on to each request's client and
        # respond(). Without it every call to Slack would read the CA bundle again.
        ssl=shared_context(),
        retry_handlers=handlers,
    )


def fit_to(client: WebClient, seconds_left: float) -> None:
    """Make the client's next calls (their timeout and any rate-limit wait) end within
    `seconds_left`; a caller with a deadline calls this before each call."""
    client.timeout = int(max(1, min(DEFAULT_TIMEOUT_SECONDS, seconds_left)))
    for handler in client.retry_handlers:
        if isinstance(handler, CappedRateLimitRetry):
            handler.max_wait_seconds = max(0.0, seconds_left - client.timeout)

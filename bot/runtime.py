"""The one place a running bot is wired: settings → secrets → index source → store → Slack client.

The WSGI app (Lambda and `python -m bot serve`), Socket Mode, the daily tip and the CLI all get
these from here, so a Lambda container that answers /til and later posts the daily tip builds
them once. The Slack client comes from bot.slack_api's one factory.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from typing import TYPE_CHECKING

from bot.aws import AwsError, cached_kb_etag, fetch_kb, resolve_secrets
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from slack_sdk import WebClient

    from bot.store import Store
    from knowledge import Index

log = logging.getLogger(__name__)


class PublishedIndex:
    """The index of the KB published at TIL_KB_URI, rebuilt when a new KB is published.

    A warm Lambda container lives for hours (keep_warm pings it every few minutes), so "at the
    next cold start" could mean tomorrow. At most every `til_kb_refresh_seconds`, a request first
    asks S3 whether the object changed: one conditional GET, answered 304 when it did not. Only
    a new ETag rebuilds the index; a failed check or a broken KB keeps the index being served.
    """

    def __init__(
        self, settings: Settings, index: Index, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._uri = settings.til_kb_uri
        self._region = settings.aws_region
        self._interval = settings.til_kb_refresh_seconds
        self._index = index
        # What `index` was built from: "" when it is the bundled fallback, so any published KB
        # replaces it as soon as one can be read.
        self._etag = cached_kb_etag(self._uri)
        self._clock = clock
        self._checked = clock()
        self._lock = threading.Lock()

    def __call__(self) -> Index:
        if self._interval and self._clock() - self._checked >= self._interval:
            # One thread checks; the others keep answering from the index they have.
            if self._lock.acquire(blocking=False):
                try:
                    self._checked = self._clock()
                    self._refresh()
                finally:
                    self._lock.release()
        return self._index

    def _refresh(self) -> None:
        from knowledge import load_index

        try:
            path = fetch_kb(self._uri, self._region)
        except (AwsError, ValueError, OSError) as exc:
            log.warning("could not check the published KB (%s); keeping the current one", exc)
            return
        etag = cached_kb_etag(self._uri)
        if etag == self._etag:
            return
        try:
            index = load_index(kb=path)
        except ValueError as exc:  # knowledge.artifact.ArtifactError: says why in one line
            log.error("the KB published at %s is unreadable (%s); keeping the current one",
                      self._uri, exc)  # fmt: skip
            return
        except Exception:  # a broken upload must not take the bot down with it
            log.exception(
                "the KB published at %s is unreadable; keeping the current one", self._uri
            )
            return
        self._index, self._etag = index, etag
        log.info("KB %s changed (ETag %s): %d entries", self._uri, etag, len(index.entries))


def index_source_for(settings: Settings) -> Index | PublishedIndex:
    """For a long-running bot: the index, kept up to date with TIL_KB_URI when that is set."""
    index = load_index_for(settings)
    return PublishedIndex(settings, index) if settings.til_kb_uri else index


def current_index(source: Index | Callable[[], Index]) -> Index:
    """The index to answer from now: `source` itself, or what it hands out (PublishedIndex)."""
    return source() if callable(source) else source


def load_index_for(
    settings: Settings, progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None
) -> Index:
    """The search index the settings ask for: S3 KB, a local KB or notes (`progress` wraps
    them when they are parsed), or the bundled one."""
    from knowledge import load_index

    if settings.til_kb_uri:
        try:
            return load_index(kb=fetch_kb(settings.til_kb_uri, settings.aws_region))
        except (AwsError, ValueError) as exc:
            # Answering from the notes the package was built with beats answering nothing.
            log.error("published KB %s unavailable (%s); answering from the bundled KB",
                      settings.til_kb_uri, exc)  # fmt: skip
    if settings.til_notes is not None:
        return load_index(notes=settings.til_notes, progress=progress)
    if settings.til_kb is not None:
        try:
            return load_index(kb=settings.til_kb)
        except ValueError as exc:  # knowledge.artifact.ArtifactError: one line saying why
            log.error("%s; answering from the bundled KB", exc)
    return load_index()


class Runtime:
    """What a running bot is made of, built once per process (= per Lambda container).

    A plain class: a frozen dataclass generates and compiles its methods at import (~3 M
    instructions of a cold /til, callgrind), and nothing compares or copies a Runtime."""

    __slots__ = ("client", "index", "settings", "store")

    def __init__(
        self, settings: Settings, index: Index | PublishedIndex, store: Store, client: WebClient
    ) -> None:
        self.settings = settings
        self.index = index
        self.store = store
        self.client = client


@functools.cache
def runtime() -> Runtime:
    """The process's runtime, from the environment (Slack secrets from Secrets Manager when
    SLACK_SECRET_ID is set). Raises MissingSetting naming what is wrong; a failed build is not
    cached, so the next request tries again."""
    from bot.slack_api import web_client
    from bot.store import open_store

    settings = load_settings()
    # The index and the store need no secret: they open while bot.wsgi's early read of the
    # secret (bot.aws.start_reading_secret) may still be waiting for Secrets Manager.
    index, store = index_source_for(settings), open_store(settings)
    settings = resolve_secrets(settings)
    client = web_client(settings.slack_api_url, settings.slack_bot_token or None)
    return Runtime(settings, index, store, client)

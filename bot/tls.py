"""One TLS client context per process, for every HTTPS request the bot sends (AWS and Slack).

Left to themselves, http.client and slack_sdk make a new default context for each HTTPS
connection, reading the system's CA bundle each time (~35-50 ms of CPU here): a cold /til's
AWS requests, every Slack Web API call and every response_url post. Bolt copies its client's
context into the client and `respond` of every request, so that context must exist when the
app is built; the CA bundle, though, is read at the first handshake, not before: a /til answer
travels in the HTTP response and may never open a TLS connection to Slack.
"""

from __future__ import annotations

import functools
import ssl
import threading
from typing import Any


class _TrustOnFirstHandshake(ssl.SSLContext):
    """ssl.create_default_context()'s client context, with the system's CAs loaded before the
    first connection is wrapped rather than when it is made."""

    _lock: threading.Lock
    _trusted: bool

    def _trust(self) -> None:
        if self._trusted:
            return
        with self._lock:
            if not self._trusted:
                self.load_default_certs(ssl.Purpose.SERVER_AUTH)
                self._trusted = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._trust()
        name = kwargs.get("server_hostname")
        if isinstance(name, str) and name.isascii():
            # As bytes the name skips the idna codec, which leaves an ASCII name as it is (it
            # checks label lengths) but whose first use imports encodings.idna and stringprep,
            # ~5 M instructions of a cold start (bot.aws gives the socket its host the same way).
            kwargs["server_hostname"] = name.encode()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._trust()
        return super().wrap_bio(*args, **kwargs)

    # Bolt deep-copies each request that a lazy listener answers, its client with it; OpenSSL
    # cannot copy a context (ssl.SSLContext refuses), and a copy of the shared one is itself.
    def __copy__(self) -> _TrustOnFirstHandshake:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _TrustOnFirstHandshake:
        return self


@functools.cache
def shared_context() -> ssl.SSLContext:
    """The process's context: certificates and host names verified, as the default one does."""
    context = _TrustOnFirstHandshake(ssl.PROTOCOL_TLS_CLIENT)
    context._lock = threading.Lock()
    context._trusted = False
    context.set_alpn_protocols(["http/1.1"])  # as http.client sets on the contexts it makes
    return context

"""Slack's side of Socket Mode, on a local WebSocket, for tests of `python -m bot serve --socket`.

Our app asks the fake Web API for a URL (`apps.connections.open`, see FakeSlack.socket_url) and
connects here. The server greets it with `hello` as Slack does, sends every envelope a test
queues, and records the acknowledgements the app sends back; for a slash command the ack carries
the reply the user sees.
"""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.connected = threading.Event()
        self._outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self._acks: dict[str, dict[str, Any]] = {}
        self._acked = threading.Condition()
        self._server: Server | None = None

    def __enter__(self) -> FakeSocketMode:
        # The client in slack_sdk speaks plain frames: no permessage-deflate.
        self._server = serve(self._session, "127.0.0.1", 0, compression=None)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeSocketMode is not started"
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=test"

    def send(self, envelope: dict[str, Any]) -> None:
        """Deliver `envelope` to the connected app (queued until it is connected)."""
        self._outbox.put(envelope)

    def ack(self, envelope_id: str, timeout: float = 20) -> dict[str, Any]:
        """The app's acknowledgement of `envelope_id`; AssertionError if none comes in time."""
        with self._acked:
            if not self._acked.wait_for(lambda: envelope_id in self._acks, timeout=timeout):
                raise AssertionError(f"no ack for envelope {envelope_id} in {timeout} s")
            return self._acks[envelope_id]

    def _session(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}))
        self.connected.set()
        try:
            while True:
                try:
                    ws.send(json.dumps(self._outbox.get(timeout=0.02)))
                except queue.Empty:
                    pass
                try:
                    raw = ws.recv(timeout=0.02)
                except TimeoutError:
                    continue
                message = json.loads(raw)
                if "envelope_id" in message:
                    with self._acked:
                        self._acks[message["envelope_id"]] = message
                        self._acked.notify_all()
        except ConnectionClosed:
            return

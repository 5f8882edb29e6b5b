"""A fake of the Lambda Invoke API on a local port: records asynchronous invocations.

Zappa's task support (zappa.asynchronous) invokes the function itself with InvocationType
Event; pointed here with AWS_ENDPOINT_URL_LAMBDA, those invocations are recorded so that a test
can hand each payload to Zappa's handler in a fresh process, as Lambda would.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fake_slack import serve_locally


class FakeLambda:
    def __init__(self) -> None:
        self.invocations: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.invocations.append(
                        {
                            "function": self.path.split("/functions/")[-1].split("/")[0],
                            "type": self.headers.get("X-Amz-Invocation-Type"),
                            "payload": payload,
                        }
                    )
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = serve_locally(Handler)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str), host  # AF_INET: getsockname() gives a str host
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

"""API Gateway in front of a deployment package, on a local port, for tests that deploy for real.

`zappa deploy` needs AWS; what it builds is an HTTPS URL `https://<id>.execute-api.<region>.
amazonaws.com/<stage>` whose requests become proxy events for Zappa's Lambda handler. This does
the same locally: each HTTP request under /<stage> becomes an API Gateway event, handled by
Zappa's handler from the unzipped package in a fresh process (a cold container every time), and
the handler's answer goes back as the HTTP response.
"""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.aws_fixtures import api_gateway_event, run_container


class FakeApiGateway:
    def __init__(self, task_root: Path, env: dict[str, str], stage: str) -> None:
        self.task_root, self.env, self.stage = task_root, env, stage
        self.logs: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The stage's base URL, as `zappa deploy` prints it."""
        assert self._server is not None, "not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/{self.stage}"

    def __enter__(self) -> FakeApiGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._proxy()

            def do_POST(self) -> None:
                self._proxy()

            def _proxy(self) -> None:
                prefix = f"/{gateway.stage}"
                if not self.path.startswith(prefix + "/"):
                    self.send_error(403, "Missing Authentication Token")  # what API Gateway says
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else None
                event = api_gateway_event(
                    body,
                    dict(self.headers.items()),
                    self.path.removeprefix(prefix).split("?")[0],
                    gateway.stage,
                    self.command,
                )
                outcome = run_container(gateway.task_root, [event], gateway.env, isolated=True)
                gateway.logs.append(outcome["log"])
                result = outcome["results"][0]["result"] or {}
                raw = result.get("body") or ""
                data = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
                self.send_response(int(result.get("statusCode") or 502))
                for name, value in (result.get("headers") or {}).items():
                    if name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

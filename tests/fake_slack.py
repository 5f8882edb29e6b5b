"""A fake Slack, on a real local HTTP port, for tests that exercise the real protocol.

`FakeSlack` answers Web API calls (`/api/<method>`) and response_url posts (`/response/<id>`)
the way Slack does, and records every call so a test can assert what a user would have seen.
Failures are configurable: an error per method and channel (`channel_not_found`,
`not_in_channel`...) and HTTP 429 `ratelimited` with Retry-After for the next N calls of a method.

`SlackSigner` builds requests to our app exactly as Slack signs them (v0 HMAC-SHA256 over
``v0:{timestamp}:{body}``), and `WsgiClient` hands them to a WSGI callable with a real environ.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER_ID = "UTILBOT01"
BOT_ID = "BTILBOT01"
TEAM_ID = "T0TEAM001"


@dataclass
class Call:
    """One request Slack received: Web API method (or "response_url"), token, decoded body."""

    method: str
    token: str | None
    body: dict[str, Any]
    path: str
    status: int = 200
    ok: bool = True

    def blocks(self) -> list[dict[str, Any]]:
        raw = self.body.get("blocks") or []
        return json.loads(raw) if isinstance(raw, str) else raw

    def text(self) -> str:
        """Everything a user could read in this message: fallback text plus block texts."""
        return str(self.body.get("text", "")) + "\n" + block_text(self.blocks())


def block_text(blocks: list[dict[str, Any]]) -> str:
    """All human-visible strings inside Block Kit blocks, one per line."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"mrkdwn", "plain_text"} and "text" in node:
                out.append(str(node["text"]))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(out)


@dataclass
class _RateLimit:
    remaining: int
    retry_after: int


@dataclass
class _Slow:
    """The next `remaining` calls of a method wait `seconds` before answering; `accept` says
    whether Slack acts on the call first (a post that went out, answered late) or not at all
    (a hang that ends in HTTP 500)."""

    remaining: int
    seconds: float
    accept: bool
    channel: str | None = None


@dataclass
class FakeSlack:
    """Threaded fake of slack.com/api and response URLs on 127.0.0.1 (random port).

    Use as a context manager (``with FakeSlack() as slack``) or start()/stop().
    Point a WebClient at ``slack.url``; ``slack.calls("chat.postMessage")`` lists what was sent.
    """

    token: str = "xoxb-test"
    app_token: str = "xapp-test"  # Socket Mode's app-level token
    socket_url: str = ""  # what apps.connections.open hands out (a FakeSocketMode's url)
    records: list[Call] = field(default_factory=list)
    _failures: dict[tuple[str, str | None], str] = field(default_factory=dict)
    _rate_limits: dict[str, _RateLimit] = field(default_factory=dict)
    _slow: dict[str, _Slow] = field(default_factory=dict)
    _server_errors: dict[str, int] = field(default_factory=dict)
    # Messages posted per channel, newest last: what conversations.history reads back.
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Threads by (channel, parent ts), parent first: what conversations.replies reads back.
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    # Workspace members by id: what users.info answers (display name, real name).
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    # Channel names by id: what conversations.info answers.
    channels: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                self._send(*fake._handle(self.path, dict(self.headers.items()), raw))

            def do_GET(self) -> None:
                # Read methods (conversations.history) send their arguments in the query.
                path, _, query = self.path.partition("?")
                self._send(*fake._handle(path, dict(self.headers.items()), query, form=True))

            def _send(self, status: int, headers: dict[str, str], payload: str) -> None:
                data = payload.encode("utf-8")
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a test of timeouts)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self._server = serve_locally(Handler)
        return self

    def stop(self) -> None:
        stop_serving(self._server)
        self._server = None

    @property
    def base(self) -> str:
        assert self._server is not None, "FakeSlack is not started"
        host, port = self._server.server_address[:2]
        assert isinstance(host, str), host  # AF_INET: getsockname() gives a str host
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The Web API base URL (WebClient(base_url=...), SLACK_API_URL)."""
        return self.base + "/api/"

    def response_url(self, name: str = "hook") -> str:
        return f"{self.base}/response/{name}"

    # ------------------------------------------------------------------ configuration

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 0) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and Retry-After."""
        self._rate_limits[method] = _RateLimit(times, retry_after)

    def fail(self, method: str, error: str, channel: str | None = None) -> None:
        """Answer `method` (for `channel`, or any channel) with ok=false and `error`."""
        self._failures[(method, channel)] = error

    def slow(
        self,
        method: str,
        seconds: float,
        *,
        accept: bool = True,
        times: int = 1,
        channel: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (for `channel`) after `seconds`."""
        self._slow[method] = _Slow(times, seconds, accept, channel)

    def server_error(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 500, doing nothing."""
        self._server_errors[method] = times

    def clear_failures(self) -> None:
        self._failures.clear()
        self._rate_limits.clear()
        self._slow.clear()
        self._server_errors.clear()

    # ------------------------------------------------------------------ inspection

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Bodies of the calls received (of `method`), blocks decoded, oldest first."""
        with self._lock:
            chosen = [c for c in self.records if method is None or c.method == method]
        return [{**c.body, "blocks": c.blocks()} if "blocks" in c.body else c.body for c in chosen]

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.records if c.method == method]

    def posted(self) -> list[Call]:
        """Messages that reached Slack (accepted chat.postMessage and response_url posts)."""
        with self._lock:
            return [
                c
                for c in self.records
                if c.method in {"chat.postMessage", "response_url"} and c.status == 200 and c.ok
            ]

    # ------------------------------------------------------------------ protocol

    def _handle(
        self, path: str, headers: dict[str, str], raw: str, form: bool = False
    ) -> tuple[int, dict, str]:
        lower = {k.lower(): v for k, v in headers.items()}
        body = _decode("" if form else lower.get("content-type", ""), raw)
        if path.startswith("/response/"):
            self._record(Call("response_url", None, body, path))
            return 200, {"Content-Type": "text/html"}, "ok"
        method = path.removeprefix("/api/").split("?")[0]
        token = _token(lower.get("authorization", ""), body)
        limit = self._rate_limits.get(method)
        if limit and limit.remaining > 0:
            limit.remaining -= 1
            self._record(Call(method, token, body, path, status=429, ok=False))
            return (
                429,
                {"Content-Type": "application/json", "Retry-After": str(limit.retry_after)},
                json.dumps({"ok": False, "error": "ratelimited"}),
            )
        if self._server_errors.get(method, 0) > 0:
            self._server_errors[method] -= 1
            self._record(Call(method, token, body, path, status=500, ok=False))
            return 500, {"Content-Type": "text/plain"}, "internal server error"
        slow = self._slow.get(method)
        if slow and slow.remaining > 0 and slow.channel in {None, body.get("channel")}:
            slow.remaining -= 1
            if not slow.accept:
                time.sleep(slow.seconds)
                self._record(Call(method, token, body, path, status=500, ok=False))
                return 500, {"Content-Type": "text/plain"}, "internal server error"
            answer = self._answer(method, token, body)
            self._record(Call(method, token, body, path, ok=bool(answer["ok"])))
            time.sleep(slow.seconds)  # the client may have given up by now; the post is out
            return 200, {"Content-Type": "application/json"}, json.dumps(answer)
        answer = self._answer(method, token, body)
        self._record(Call(method, token, body, path, ok=bool(answer["ok"])))
        return 200, {"Content-Type": "application/json"}, json.dumps(answer)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.records.append(call)

    def _answer(self, method: str, token: str | None, body: dict[str, Any]) -> dict[str, Any]:
        if not token:
            return {"ok": False, "error": "not_authed"}
        if method == "apps.connections.open":
            if token != self.app_token or not self.socket_url:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket_url}
        if token != self.token:
            return {"ok": False, "error": "invalid_auth"}
        channel = str(body.get("channel", ""))
        error = self._failures.get((method, channel)) or self._failures.get((method, None))
        if error:
            return {"ok": False, "error": error}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "tilbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method == "chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            message = {"type": "message", "text": body.get("text", ""), "bot_id": BOT_ID, "ts": ts}
            if body.get("metadata"):
                metadata = body["metadata"]
                message["metadata"] = (
                    json.loads(metadata) if isinstance(metadata, str) else metadata
                )
            with self._lock:
                self.history.setdefault(channel, []).append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            oldest = float(body.get("oldest") or 0)
            with self._lock:
                found = [m for m in self.history.get(channel, []) if float(m["ts"]) > oldest]
            include = str(body.get("include_all_metadata", "")).lower() in {"1", "true"}
            messages = [
                m if include else {k: v for k, v in m.items() if k != "metadata"}
                for m in reversed(found)
            ]
            return {"ok": True, "messages": messages, "has_more": False}
        if method in {"views.open", "views.push", "views.publish"}:
            return self._view(method, body)
        if method == "conversations.replies":
            with self._lock:
                thread = self.threads.get((channel, str(body.get("ts", ""))))
            if thread is None:
                return {"ok": False, "error": "thread_not_found"}
            return {"ok": True, "messages": thread, "has_more": False}
        if method == "users.info":
            profile = self.users.get(str(body.get("user", "")))
            if profile is None:
                return {"ok": False, "error": "user_not_found"}
            return {
                "ok": True,
                "user": {"id": body["user"], "name": profile.get("name", ""), "profile": profile},
            }
        if method == "conversations.info":
            name = self.channels.get(channel)
            if name is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, "name": name}}
        if method == "chat.getPermalink":
            ts = str(body.get("message_ts", ""))
            if not channel or not ts:
                return {"ok": False, "error": "invalid_arguments"}
            link = f"https://example.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": link}
        return {"ok": True}

    def _view(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """views.open/push need a trigger_id, views.publish a user_id, all a view (as JSON)."""
        needed = "user_id" if method == "views.publish" else "trigger_id"
        raw = body.get("view")
        if not body.get(needed) or not raw:
            return {"ok": False, "error": "invalid_arguments"}
        view = json.loads(raw) if isinstance(raw, str) else raw
        kind = "home" if method == "views.publish" else "modal"
        if view.get("type") != kind or len(view.get("blocks") or []) > 100:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ts):08d}", **view}}

    def views(self, method: str) -> list[dict[str, Any]]:
        """The views sent with `method` (views.open, views.push, views.publish), decoded."""
        out = []
        for call in self.calls_to(method):
            raw = call.body.get("view")
            out.append({**call.body, "view": json.loads(raw) if isinstance(raw, str) else raw})
        return out


def serve_locally(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A threaded HTTP server on 127.0.0.1 (a free port), serving in a daemon thread: the
    fakes of the services the bot talks to (Slack, GitHub, Lambda) run on it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


def stop_serving(server: ThreadingHTTPServer | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()


def _decode(content_type: str, raw: str) -> dict[str, Any]:
    if "json" in content_type:
        return json.loads(raw or "{}")
    return {k: v[-1] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}


def _token(authorization: str, body: dict[str, Any]) -> str | None:
    if authorization.lower().startswith("bearer "):
        return authorization[7:]
    return body.get("token")


# --------------------------------------------------------------------------- the Slack side


@dataclass
class SlackSigner:
    """Signs requests the way Slack does, so our app's verification is tested for real."""

    secret: str

    def headers(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{ts}:{body}".encode()
        digest = hmac.new(self.secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def text(self) -> str:
        """The visible text of a JSON message response (text + blocks)."""
        data = self.json()
        return str(data.get("text", "")) + "\n" + block_text(data.get("blocks") or [])


class WsgiClient:
    """Calls a WSGI app with a proper PEP 3333 environ, as a WSGI server (or Zappa) would."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(
        self,
        method: str,
        path: str,
        body: str | bytes = "",
        headers: dict[str, str] | None = None,
        environ_overrides: dict[str, Any] | None = None,
    ) -> Response:
        data = body.encode("utf-8") if isinstance(body, str) else body
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            else:
                environ["HTTP_" + key] = value
        environ.update(environ_overrides or {})
        captured: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
            captured["status"] = int(status.split()[0])
            captured["headers"] = {k.lower(): v for k, v in response_headers}

        chunks = self.app(environ, start_response)
        payload = b"".join(chunks)
        return Response(captured["status"], captured["headers"], payload)


def mention_event(
    text: str, channel: str = "C0GENERAL", ts: str = "1700000000.000100"
) -> dict[str, Any]:
    return {"type": "app_mention", "user": "U0ALICE", "text": text, "ts": ts, "channel": channel}


class SlackSide:
    """Plays Slack towards our app: signed slash commands, events and button clicks."""

    def __init__(self, app: Any, signer: SlackSigner, fake: FakeSlack) -> None:
        self.client = WsgiClient(app)
        self.signer = signer
        self.fake = fake
        self._ids = itertools.count(1)

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        extra_headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> Response:
        headers = {"Content-Type": content_type}
        if signed:
            headers.update(self.signer.headers(body, timestamp))
        headers.update(extra_headers or {})
        return self.client.request("POST", "/slack/events", body, headers)

    def command(
        self,
        text: str,
        channel: str = "C0GENERAL",
        user: str = "U0ALICE",
        name: str = "/til",
        **kw: Any,
    ) -> Response:
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "alice",
            "command": name,
            "text": text,
            "api_app_id": "A0TILBOT",
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url("command"),
            "trigger_id": f"{next(self._ids)}.trigger",  # unique per user action, as Slack's
        }
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded", **kw)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        wait: bool = True,
        **kw: Any,
    ) -> Response:
        """Post an event; with `wait`, also wait for the answer the app sends after its ack."""
        body = self.envelope(event, event_id)
        headers = dict(kw.pop("extra_headers", None) or {})
        if retry_num is not None:
            headers.update(
                {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            )
        response = self.post(json.dumps(body), "application/json", extra_headers=headers, **kw)
        if wait:
            self.settle()
        return response

    def envelope(self, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
        """The Events API envelope Slack wraps an event in."""
        return {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0TILBOT",
            "event": {"event_ts": event.get("ts", ""), **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    def settle(self) -> None:
        """Wait for the answers our app sends after acking (bot.background)."""
        if hasattr(self.client.app, "wait_idle"):
            assert self.client.app.wait_idle(), "background answers still running"

    def mention(
        self, text: str, channel: str = "C0GENERAL", ts: str = "1700000000.000100", **kw: Any
    ) -> Response:
        event = mention_event(text, channel, ts)
        event.update(kw.pop("fields", {}))
        return self.event(event, **kw)

    def dm(self, text: str, channel: str = "D0ALICE", **kw: Any) -> Response:
        event = {
            "type": "message",
            "channel_type": "im",
            "user": "U0ALICE",
            "text": text,
            "ts": "1700000000.000200",
            "channel": channel,
        }
        event.update(kw.pop("fields", {}))
        return self.event(event, **kw)

    def click(self, action_id: str, value: str, **payload: Any) -> Response:
        """A user clicks a button (`payload`: action_payload's options)."""
        return self.post_action(self.action_payload(action_id, value, **payload))

    def click_in_view(
        self,
        action_id: str,
        value: str,
        *,
        view_type: str = "home",
        user: str = "U0ALICE",
        view: dict[str, Any] | None = None,
    ) -> Response:
        """A button clicked in the Home tab or a modal (`view`: the one the app sent, which
        Slack sends back with the click): no channel, no response_url."""
        payload = self.action_payload(action_id, value, user=user)
        view_id = f"V{next(self._ids):08d}"
        payload["container"] = {"type": "view", "view_id": view_id}
        shown = view or {"type": view_type, "blocks": []}
        payload["view"] = {**shown, "id": view_id, "hash": "1700000000.abcdef", "state": {}}
        for key in ("channel", "response_url"):
            payload.pop(key)
        return self.post_action(payload)

    def submit_view(
        self,
        callback_id: str,
        values: dict[str, str],
        user: str = "U0ALICE",
        *,
        private_metadata: str = "",
        view_id: str | None = None,
        wait: bool = True,
    ) -> Response:
        """A view_submission of a modal whose inputs (block id → text) hold `values`; with
        `wait`, also wait for what the app does after its answer (bot.background)."""
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "example"},
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "api_app_id": "A0TILBOT",
            "token": "legacy-verification-token",
            "trigger_id": f"{next(self._ids)}.trigger",
            "view": {
                "id": view_id or f"V{next(self._ids):08d}",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {
                    "values": {
                        block: {"value": {"type": "plain_text_input", "value": text}}
                        for block, text in values.items()
                    }
                },
            },
        }
        response = self.post_action(payload)
        if wait:
            self.settle()
        return response

    def submitted(self, view: dict[str, Any], values: dict[str, str], **kw: Any) -> Response:
        """Submit a modal the app opened (`view` as sent to views.open), inputs set to `values`
        (block id → text), its private_metadata as the app set it."""
        return self.submit_view(
            view["callback_id"], values, private_metadata=view.get("private_metadata", ""), **kw
        )

    def shortcut(
        self,
        callback_id: str,
        message: dict[str, Any],
        channel: str = "C0GENERAL",
        user: str = "U0ALICE",
    ) -> Response:
        """A message shortcut ("TIL로 저장") chosen on `message` (ts, text, thread fields)."""
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": f"{next(self._ids)}.trigger",
            "team": {"id": TEAM_ID, "domain": "example"},
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", **message},
            "message_ts": message.get("ts", ""),
            "response_url": self.fake.response_url("shortcut"),
            "token": "legacy-verification-token",
            "action_ts": "1700000002.000000",
        }
        return self.post_action(payload)

    def post_action(self, payload: dict[str, Any], **kw: Any) -> Response:
        """Post an interactivity payload the way Slack does (a form field holding JSON)."""
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(form, "application/x-www-form-urlencoded", **kw)

    def action_payload(
        self,
        action_id: str,
        value: str,
        *,
        ephemeral: bool = True,
        user: str = "U0ALICE",
        channel: str = "C0GENERAL",
        response_url: str | None = None,
    ) -> dict[str, Any]:
        """A block_actions payload for one button click."""
        return {
            "type": "block_actions",
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "api_app_id": "A0TILBOT",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000300",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"{next(self._ids)}.trigger",  # unique per user action, as Slack's
            "team": {"id": TEAM_ID, "domain": "example"},
            "channel": {"id": channel, "name": "general"},
            "response_url": response_url or self.fake.response_url("action"),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b1",
                    "text": {"type": "plain_text", "text": "button"},
                    "value": value,
                    "type": "button",
                    "action_ts": "1700000001.000000",
                }
            ],
        }

"""`python -m bot serve`: run the Slack app locally.

HTTP mode serves the very WSGI app Lambda runs (bot.wsgi.app), so what works here works there;
point a tunnel (ngrok, cloudflared) at http://localhost:PORT/slack/events.
Socket Mode (--socket) needs no public URL: Slack pushes requests over a WebSocket opened with
SLACK_APP_TOKEN (xapp-...), handy behind a firewall.
"""

from __future__ import annotations

import argparse
import logging
import sys
from socketserver import ThreadingMixIn
from threading import Event
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.settings import MissingSetting

if TYPE_CHECKING:
    from bot.wsgi import TilWsgi

log = logging.getLogger(__name__)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request: a slow Slack call must not hold up the next command."""

    daemon_threads = True
    # The default backlog of 5 reset connections at 50 concurrent clients.
    request_queue_size = 1024


IDLE_TIMEOUT_SECONDS = 10.0  # an idle or trickling client's thread is freed after this (Slack
# sends a request at once)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        # Access lines through logging, so --quiet/levels apply; no bodies, no headers.
        log.info("%s %s", self.address_string(), format % args)


def make_http_server(
    wsgi: TilWsgi, host: str, port: int, idle_timeout: float = IDLE_TIMEOUT_SECONDS
) -> WSGIServer:
    """A threaded local HTTP server for `wsgi` (port 0 picks a free port)."""
    handler = type("Handler", (QuietHandler,), {"timeout": idle_timeout})
    return make_server(host, port, wsgi, server_class=ThreadingWSGIServer, handler_class=handler)


def _port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535: argparse says what is wrong in one line."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is no port: ports are 0 to 65535")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot serve",
        description="Run the Slack app locally: HTTP on /slack/events, or Socket Mode.",
    )
    parser.add_argument("--port", type=_port, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP address (default 127.0.0.1)")
    parser.add_argument(
        "--socket", action="store_true", help="Socket Mode via SLACK_APP_TOKEN instead of HTTP"
    )
    return parser


def serve_http(host: str, port: int) -> int:
    from bot.wsgi import EVENTS_PATH
    from bot.wsgi import app as wsgi

    wsgi.handler()  # fail now, with the setting's name, rather than on Slack's first request
    try:
        server = make_http_server(wsgi, host, port)
    except OSError as exc:
        print(f"tilbot: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"tilbot listening on http://{host}:{server.server_port}{EVENTS_PATH}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def serve_socket_mode() -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    from bot.app import create_app
    from bot.runtime import runtime

    wired = runtime()
    settings = wired.settings
    settings.require("slack_app_token", "slack_bot_token")
    app = create_app(settings, wired.index, wired.store)
    handler = SocketModeHandler(app, settings.slack_app_token)
    try:
        handler.connect()
        print("tilbot connected over Socket Mode (Ctrl-C to stop)", flush=True)
        Event().wait()
    except KeyboardInterrupt:
        pass
    except SlackApiError as exc:
        error = exc.response.get("error", "error")
        print(f"tilbot: Slack refused SLACK_APP_TOKEN ({error}): it must be the app-level token "
              "(xapp-…) with the connections:write scope", file=sys.stderr)  # fmt: skip
        return 2
    except OSError as exc:  # URLError included: Slack (or SLACK_API_URL) is unreachable
        print(f"tilbot: cannot reach Slack at {settings.slack_api_url}: {exc}", file=sys.stderr)
        return 2
    finally:
        handler.close()
    return 0


def _state_problem() -> str | None:
    """Why the state store the settings name cannot work here: the DynamoDB store connects on
    first use (a cold Lambda must not wait for it), so a local server without AWS credentials
    would start and fail on each subscription, vote and retry's dedupe instead."""
    from bot.settings import load_settings

    if load_settings().til_state != "dynamodb":
        return None
    from bot.aws import CREDENTIALS_HINT, credentials_problem

    problem = credentials_problem()
    if problem is None:
        return None
    return (
        f"TIL_STATE=dynamodb, but {problem}: {CREDENTIALS_HINT}, or leave TIL_STATE unset for "
        "the local SQLite state"
    )


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        problem = _state_problem()
        if problem:
            print(f"tilbot: {problem}", file=sys.stderr)
            return 2
        return serve_socket_mode() if args.socket else serve_http(args.host, args.port)
    except MissingSetting as exc:
        print(f"tilbot: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:  # TIL_NOTES or TIL_KB pointing nowhere
        print(f"tilbot: {exc} (check TIL_NOTES / TIL_KB)", file=sys.stderr)
        return 2

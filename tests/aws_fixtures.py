"""AWS for tests: one moto server per test session, reached over HTTP like the real thing.

boto3 finds it through AWS_ENDPOINT_URL (nothing of ours is patched), so the code under test
runs exactly the requests it would send to AWS. Each test gets fresh resource names instead of
a server reset, so tests never see each other's data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from bot.dynamo_store import DynamoStore
from bot.package import LAMBDA_RUNTIME_PACKAGES

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

REGION = "ap-northeast-2"
_lock = threading.Lock()
_server: dict[str, str] = {}


def moto_endpoint() -> str:
    """Start the session's moto server on a random local port (once) and return its URL.

    moto's own app and request handler, served as moto.server.ThreadedMotoServer serves them,
    but with DynamoDB requests applied one at a time (see _AtomicDynamoDB), each answered after
    the delay add_latency set (none unless asked)."""
    with _lock:
        if "url" not in _server:
            app = _Delayed(_Timed(_AtomicDynamoDB(DomainDispatcherApplication(create_backend_app))))
            server = make_server(
                "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler
            )
            threading.Thread(target=server.serve_forever, daemon=True).start()
            _server["url"] = f"http://127.0.0.1:{server.server_port}"
        return _server["url"]


def moto_seconds() -> float:
    """Seconds moto has spent answering requests since the server started (all threads).

    A client waits that long for the fake's own Python code, a time real AWS does not share:
    bench/bench_coldstart.py takes it out of a cold start's handler time."""
    return _Timed.seconds


def add_latency(seconds: float) -> None:
    """Make every request to the fake wait `seconds` before moto answers it, as a request to
    real AWS waits for the network and the service (bench/bench_coldstart.py --aws-latency-ms).
    Requests wait side by side, outside _AtomicDynamoDB's lock: concurrent requests overlap
    their waits as they would on AWS, and moto_seconds() does not count the wait."""
    _Delayed.seconds = seconds


class _Delayed:
    seconds = 0.0

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if _Delayed.seconds:
            time.sleep(_Delayed.seconds)
        return self._app(environ, start_response)


class _Timed:
    seconds = 0.0

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        try:
            return list(self._app(environ, start_response))
        finally:
            with self._lock:
                _Timed.seconds += time.perf_counter() - started


class _AtomicDynamoDB:
    """DynamoDB applies each write and its condition atomically, which is what makes a
    conditional put a safe claim. moto reads the item, checks the condition and then writes,
    with no lock, so on its threaded server two concurrent claims of one event can both see it
    absent and both succeed: a race real DynamoDB does not have, which made the concurrent-claim
    test fail by chance under load. Serialising DynamoDB requests restores the atomicity (each
    request is still one HTTP call, so a check-then-write in our code still races here)."""

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app
        self._dynamodb = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self._app(environ, start_response)
        with self._dynamodb:
            return list(self._app(environ, start_response))


def use_moto(monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 (in this process and in child processes) at moto with dummy credentials."""
    url = moto_endpoint()
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    return url


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_table(name: str | None = None) -> str:
    """Create a fresh tilbot table with the same code `aws-setup` uses."""
    import boto3

    from bot.aws_setup import ensure_table

    table = name or unique("tilbot-test")
    ensure_table(boto3.client("dynamodb", region_name=REGION), table)
    return table


def dynamo_store(request: pytest.FixtureRequest, clock: Callable[[], float]) -> DynamoStore:
    """The DynamoDB store as deployed: bot.aws's signed requests, here to moto over HTTP."""
    from bot.aws import DynamoClient

    use_moto(request.getfixturevalue("monkeypatch"))
    table = new_table()
    return DynamoStore(table, DynamoClient(REGION), clock=clock)


# -- the Lambda side -------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).resolve().parent / "lambda_runner.py"
BIN = Path(sys.executable).parent


def write_zappa_settings(task_root: Path, stage: str = "dev", settings: Path | None = None) -> Path:
    """zappa_settings.py for `stage`, generated by Zappa itself from zappa_settings.json.

    `zappa save-python-settings-file` runs the same code `zappa package` uses to write the
    settings module into the zip; it needs no AWS (dummy credentials, unreachable endpoint).
    """
    task_root.mkdir(parents=True, exist_ok=True)
    out = task_root / "zappa_settings.py"
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "dummy",
        "AWS_SECRET_ACCESS_KEY": "dummy",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    subprocess.run(
        [
            str(BIN / "zappa"),
            "save-python-settings-file",
            stage,
            "-o",
            str(out),
            *(["-s", str(settings)] if settings else []),
        ],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    return out


def api_gateway_event(
    body: str | None,
    headers: dict[str, str],
    path: str = "/slack/events",
    stage: str = "dev",
    method: str = "POST",
) -> dict[str, Any]:
    """An API Gateway (REST, proxy integration) event as Lambda receives it."""
    all_headers = {
        "Host": "abc123.execute-api.ap-northeast-2.amazonaws.com",
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "X-Forwarded-For": "3.4.5.6, 130.176.0.1",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
        **headers,
    }
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "3.4.5.6", "userAgent": all_headers["User-Agent"]},
        },
        "body": body,
        "isBase64Encoded": False,
    }


def slash_command_event(text: str, signing_secret: str, response_url: str) -> dict[str, Any]:
    """A `/til <text>` slash command, signed with `signing_secret` as Slack signs it."""
    body = urllib.parse.urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": "T0TEAM001",
            "team_domain": "example",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": "U0ALICE",
            "user_name": "alice",
            "command": "/til",
            "text": text,
            "api_app_id": "A0TILBOT",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )
    return signed_event(body, "application/x-www-form-urlencoded", signing_secret)


def signed_event(body: str, content_type: str, signing_secret: str) -> dict[str, Any]:
    """An API Gateway event carrying `body` signed with `signing_secret` as Slack signs it."""
    ts = str(int(time.time()))
    digest = hmac.new(
        signing_secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256
    ).hexdigest()
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }
    return api_gateway_event(body, headers)


def scheduled_event(
    function: str, when: str, rule_prefix: str = "tilbot-dev-daily_tip"
) -> dict[str, Any]:
    """An EventBridge scheduled event for the rule Zappa names `<lambda>-<name>-<function>`."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": when,
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:123456789012:rule/{rule_prefix}-{function}"],
        "detail": {},
    }


def keep_warm_event() -> dict[str, Any]:
    return scheduled_event("handler.keep_warm_callback", "2024-09-02T00:04:00Z", "tilbot-dev")


def run_container(
    task_root: Path,
    events: list[dict[str, Any]],
    env: dict[str, str],
    timeout: float = 120,
    isolated: bool = False,
    wrapper: Sequence[str] = (),
) -> dict[str, Any]:
    """Feed `events` to Zappa's handler in one fresh process (one Lambda container).

    `isolated`: no site-packages (python -S), for a task root unpacked from a zip, so only what
    the zip and Lambda's runtime provide can be imported (see unpack_zip). `wrapper`: a command
    the process runs under (the cold-start bench counts instructions under valgrind).
    """
    events_path = Path(tempfile.mkdtemp(prefix="tilbot-events-")) / "events.json"
    out_path = events_path.with_suffix(".out.json")
    events_path.write_text(json.dumps(events))
    flags = ["-S"] if isolated else []
    runner = [str(RUNNER), str(task_root), str(events_path), str(out_path)]
    proc = subprocess.run(
        [*wrapper, sys.executable, *flags, *runner],
        cwd=task_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0 or not out_path.exists():
        raise RuntimeError(f"lambda runner failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    outcome = json.loads(out_path.read_text())
    outcome["log"] = proc.stdout + proc.stderr
    return outcome


def unpack_zip(zip_path: Path, workdir: Path) -> tuple[Path, str]:
    """A deployment zip unpacked as Lambda runs it: (task root, PYTHONPATH of the zip plus the
    boto3 family the runtime provides). Run it with run_container(..., isolated=True)."""
    import zipfile

    task = workdir / "var-task"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(task)
    runtime = workdir / "var-runtime"
    runtime.mkdir()
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    for name in LAMBDA_RUNTIME_PACKAGES:  # a package folder, or a single module (six.py)
        source = site / "site-packages" / name
        if not source.exists():
            source = source.with_suffix(".py")
        (runtime / source.name).symlink_to(source)
    return task, f"{task}{os.pathsep}{runtime}"


def lambda_env(extra: dict[str, str]) -> dict[str, str]:
    """The process environment of a Lambda container running our zip."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TIL_", "SLACK_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "PYTHONDONTWRITEBYTECODE": "1",  # /var/task is read-only on Lambda
            "AWS_LAMBDA_FUNCTION_NAME": "tilbot-dev",
            "TIL_KB_CACHE": str(Path(tempfile.mkdtemp(prefix="tilbot-tmp-"))),
            **extra,
        }
    )
    return env

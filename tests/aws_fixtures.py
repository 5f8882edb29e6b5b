"""AWS for tests: one moto server per test session, reached over HTTP like the real thing.

boto3 finds it through AWS_ENDPOINT_URL (nothing of ours is patched), so the code under test
runs exactly the requests it would send to AWS. Each test gets fresh resource names instead of
a server reset, so tests never see each other's data.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from moto.server import ThreadedMotoServer

from bot.dynamo_store import DynamoStore

REGION = "ap-northeast-2"
_lock = threading.Lock()
_server: dict[str, str] = {}


def moto_endpoint() -> str:
    """Start the session's moto server on a random local port (once) and return its URL."""
    with _lock:
        if "url" not in _server:
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            host, port = server.get_host_and_port()
            _server["url"] = f"http://{host}:{port}"
        return _server["url"]


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
    import boto3

    use_moto(request.getfixturevalue("monkeypatch"))
    table = new_table()
    return DynamoStore(table, boto3.client("dynamodb", region_name=REGION), clock=clock)

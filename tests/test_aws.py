"""Secrets Manager, the S3-published KB and `aws-setup`, against a moto server over HTTP."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import logging
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import HTTPSHandler

import boto3
import pytest

from bot import aws, runtime, tips
from bot.app import create_app
from bot.publish import publish_kb
from bot.settings import MissingSetting, Settings, load_settings
from bot.slack_api import web_client
from bot.sqlite_store import SQLiteStore
from bot.tls import shared_context
from bot.wsgi import TilWsgi
from knowledge import Index, artifact
from knowledge.loader import load_kb
from knowledge.models import Entry, KnowledgeBase
from tests.aws_fixtures import REGION, unique, use_moto
from tests.fake_slack import BOT_USER_ID, FakeSlack, SlackSide, SlackSigner, mention_event

ROOT = Path(__file__).resolve().parent.parent

PRUNE = (
    "docker-prune",
    "docker system prune",
    "Clean up unused images with `docker system prune`.",
)


@pytest.fixture(autouse=True)
def moto(monkeypatch: pytest.MonkeyPatch) -> str:
    return use_moto(monkeypatch)


def make_secret(values: dict[str, str]) -> str:
    name = unique("tilbot/test/slack")
    sm = boto3.client("secretsmanager", region_name=REGION)
    sm.create_secret(Name=name, SecretString=json.dumps(values))
    return name


def test_slack_secrets_come_from_secrets_manager_and_win_over_env() -> None:
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-from-sm", "SLACK_SIGNING_SECRET": "sig"})
    settings = Settings(slack_bot_token="xoxb-env", slack_secret_id=secret_id)
    resolved = aws.resolve_secrets(settings)
    assert resolved.slack_bot_token == "xoxb-from-sm"
    assert resolved.slack_signing_secret == "sig"
    assert resolved.til_table == settings.til_table


def test_the_github_token_can_come_from_the_same_secret() -> None:
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-sm", "TIL_GITHUB_TOKEN": "ghp-from-sm"})
    resolved = aws.resolve_secrets(Settings(til_github_token="", slack_secret_id=secret_id))
    assert resolved.til_github_token == "ghp-from-sm"


def test_secret_is_read_once_per_process() -> None:
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sig"})
    settings = Settings(slack_secret_id=secret_id)
    assert aws.resolve_secrets(settings).slack_bot_token == "xoxb-1"
    sm = boto3.client("secretsmanager", region_name=REGION)
    sm.put_secret_value(SecretId=secret_id, SecretString=json.dumps({"SLACK_BOT_TOKEN": "x2"}))
    assert aws.resolve_secrets(settings).slack_bot_token == "xoxb-1"  # the cold start's copy


def test_without_a_secret_id_the_environment_is_used_and_aws_is_not_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    settings = Settings(slack_bot_token="xoxb-env", slack_signing_secret="sig")
    assert aws.resolve_secrets(settings) is settings


def test_a_missing_secret_is_named_without_leaking_values() -> None:
    settings = Settings(slack_bot_token="xoxb-do-not-print", slack_secret_id="tilbot/nope")
    with pytest.raises(MissingSetting) as info:
        aws.resolve_secrets(settings)
    assert "tilbot/nope" in str(info.value)
    assert "xoxb-do-not-print" not in str(info.value)


def test_a_secret_that_is_not_json_is_refused_without_echoing_it() -> None:
    name = unique("tilbot/test/plain")
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=name, SecretString="xoxb-raw-token"
    )
    with pytest.raises(MissingSetting) as info:
        aws.resolve_secrets(Settings(slack_secret_id=name))
    assert "JSON object" in str(info.value)
    assert "xoxb-raw-token" not in str(info.value)


def test_the_secret_read_begun_as_the_app_module_loads_is_the_one_the_settings_get(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """bot.wsgi starts reading the secret before Bolt and pydantic import; the settings loaded
    later from the same environment take their Slack values from that read."""
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-early", "SLACK_SIGNING_SECRET": "sig"})
    monkeypatch.setenv("SLACK_SECRET_ID", secret_id)
    early = aws.start_reading_secret()
    assert early is not None
    early.join()
    boto3.client("secretsmanager", region_name=REGION).put_secret_value(
        SecretId=secret_id, SecretString=json.dumps({"SLACK_BOT_TOKEN": "xoxb-later"})
    )
    assert aws.resolve_secrets(load_settings()).slack_bot_token == "xoxb-early"


def test_an_early_read_of_another_secret_is_not_taken_for_the_one_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_SECRET_ID", make_secret({"SLACK_BOT_TOKEN": "xoxb-other"}))
    assert aws.start_reading_secret() is not None
    asked = make_secret({"SLACK_BOT_TOKEN": "xoxb-asked", "SLACK_SIGNING_SECRET": "sig"})
    assert aws.resolve_secrets(Settings(slack_secret_id=asked)).slack_bot_token == "xoxb-asked"


@pytest.mark.parametrize("problem", ["missing", "not JSON", "unreachable"])
def test_an_early_read_that_fails_is_the_same_clear_error_as_a_read_on_demand(
    problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_id = unique("tilbot/test/early")
    if problem == "not JSON":
        boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name=secret_id, SecretString="xoxb-raw-token"
        )
    if problem == "unreachable":
        monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("SLACK_SECRET_ID", secret_id)
    assert aws.start_reading_secret() is not None
    with pytest.raises(MissingSetting) as early:
        aws.resolve_secrets(load_settings())
    with pytest.raises(MissingSetting) as on_demand:  # the early read is used up: read now
        aws.resolve_secrets(load_settings())
    assert str(early.value) == str(on_demand.value)
    assert secret_id in str(early.value) and "xoxb-raw-token" not in str(early.value)


def test_published_kb_is_loaded_and_refetched_only_when_it_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    uri = f"s3://{bucket}/kb/dev.json"
    etag = publish_kb(kb_with(PRUNE), uri, REGION)
    assert etag

    caplog.set_level(logging.INFO, logger="bot.aws")
    first = aws.fetch_kb(uri, REGION, cache_dir=tmp_path)
    assert load_kb(first).entries[0].id == "docker-prune"
    assert "downloaded" in caplog.text

    caplog.clear()
    assert aws.fetch_kb(uri, REGION, cache_dir=tmp_path) == first
    assert "unchanged" in caplog.text and "downloaded" not in caplog.text

    publish_kb(kb_with(("docker-prune-v2", *PRUNE[1:])), uri, REGION)
    again = aws.fetch_kb(uri, REGION, cache_dir=tmp_path)
    assert load_kb(again).entries[0].id == "docker-prune-v2"


def test_index_from_an_s3_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIL_KB_CACHE", str(tmp_path))
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    publish_kb(kb_with(PRUNE), f"s3://{bucket}/kb.sqlite", REGION)
    index = runtime.load_index_for(Settings(til_kb_uri=f"s3://{bucket}/kb.sqlite"))
    assert [e.id for e in index.entries] == ["docker-prune"]


@pytest.mark.parametrize("uri", ["kb.sqlite", "s3://bucket-only", "s3:///key", "https://x/y"])
def test_bad_kb_uris_are_refused(uri: str) -> None:
    with pytest.raises(ValueError):
        aws.parse_s3_uri(uri)


def test_a_missing_kb_object_is_reported_by_its_uri(tmp_path: Path) -> None:
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    with pytest.raises(aws.AwsError) as info:
        aws.fetch_kb(f"s3://{bucket}/nope.json", REGION, cache_dir=tmp_path)
    assert f"s3://{bucket}/nope.json" in str(info.value)
    assert "NoSuchKey" in str(info.value)


def test_unreachable_aws_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(MissingSetting, match="unreachable"):
        aws.resolve_secrets(Settings(slack_secret_id="tilbot/dev/slack"))


def test_real_aws_endpoints_follow_boto3_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    assert (
        aws.endpoint("secretsmanager", "ap-northeast-2")
        == "https://secretsmanager.ap-northeast-2.amazonaws.com"
    )
    assert aws.object_url("tilbot-kb", "dev/kb 1.json", "ap-northeast-2") == (
        "https://tilbot-kb.s3.ap-northeast-2.amazonaws.com/dev/kb%201.json"
    )
    assert aws.object_url("my.kb", "kb.sqlite", "cn-north-1") == (
        "https://s3.cn-north-1.amazonaws.com.cn/my.kb/kb.sqlite"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://localhost:4566/")
    assert aws.object_url("b", "k.json", "us-east-1") == "http://localhost:4566/b/k.json"
    # botocore's partitions, not a rule of ours: an isolated region has its own domain.
    assert (
        aws.endpoint("secretsmanager", "us-iso-east-1")
        == "https://secretsmanager.us-iso-east-1.c2s.ic.gov"
    )


def test_the_bench_variant_through_boto3_clients_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bench_coldstart's ours+boto3 must do the same work as ours for its figure to mean
    anything: the same secret, the same KB, the same conditional GET."""
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-b3", "SLACK_SIGNING_SECRET": "sig-b3"})
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    uri = f"s3://{bucket}/kb.sqlite"
    publish_kb(kb_with(PRUNE), uri, REGION)
    monkeypatch.setenv("TIL_AWS_TRANSPORT", "boto3")
    assert aws.resolve_secrets(Settings(slack_secret_id=secret_id)).slack_bot_token == "xoxb-b3"
    first = aws.fetch_kb(uri, REGION, cache_dir=tmp_path)
    assert load_kb(first).entries[0].id == "docker-prune"
    etag = aws.cached_kb_etag(uri, tmp_path)
    assert etag and aws.fetch_kb(uri, REGION, cache_dir=tmp_path) == first
    assert aws.cached_kb_etag(uri, tmp_path) == etag
    with pytest.raises(aws.AwsError, match="NoSuchKey"):
        aws.fetch_kb(f"s3://{bucket}/nope.json", REGION, cache_dir=tmp_path)


def test_an_unpublished_kb_falls_back_to_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TIL_KB_CACHE", str(tmp_path))
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    index = runtime.load_index_for(Settings(til_kb_uri=f"s3://{bucket}/never-published.json"))
    best = index.search("도커").best
    assert best is not None and best.entry.source == "TIL-9-1-9-15.md"
    assert "answering from the bundled KB" in caplog.text


def kb_with(*entries: tuple[str, str, str]) -> bytes:
    """A KB artifact of (id, title, body) entries, as `python -m bot publish` uploads."""
    return artifact.dumps(
        KnowledgeBase(
            entries=[
                Entry(id=i, title=t, body=b, summary=b, source="n.md", line=n + 1)
                for n, (i, t, b) in enumerate(entries)
            ]
        )
    )


def test_a_running_bot_answers_from_a_newly_published_kb(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    store: SQLiteStore,
    signer: SlackSigner,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("TIL_KB_CACHE", str(tmp_path))
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    uri = f"s3://{bucket}/dev/kb.sqlite"
    publish_kb(kb_with(("prune", "docker system prune", "Clean up unused images.")), uri, REGION)
    live = settings.model_copy(update={"til_kb_uri": uri, "til_kb_refresh_seconds": 300})
    now = [1000.0]
    source = runtime.PublishedIndex(live, runtime.load_index_for(live), clock=lambda: now[0])
    slack = SlackSide(TilWsgi(lambda: create_app(live, source, store)), signer, fake_slack)
    assert "docker system prune" in slack.command("docker prune").text()

    publish_kb(
        kb_with(
            ("prune", "docker system prune", "Clean up unused images."),
            ("rollout", "Kubernetes 롤백", "kubectl rollout undo"),
        ),
        uri,
        REGION,
    )
    now[0] += 60  # within the refresh interval: S3 is not asked on every request
    assert "찾지 못했어요" in slack.command("kubectl rollout").text()
    now[0] += 300
    assert "Kubernetes 롤백" in slack.command("kubectl rollout").text()

    # A broken upload is logged and the bot keeps answering from the KB it has.
    publish_kb(b"{not json", uri, REGION)
    now[0] += 300
    assert "Kubernetes 롤백" in slack.command("kubectl rollout").text()
    assert "is unreadable (" in caplog.text and "keeping the current one" in caplog.text
    assert "Traceback" not in caplog.text


def test_a_warm_container_tips_from_the_kb_published_since_yesterday(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack
) -> None:
    bucket = unique("tilbot-kb")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    uri = f"s3://{bucket}/dev/kb.sqlite"
    publish_kb(kb_with(("old", "yesterday's only note", "old news")), uri, REGION)
    for name, value in {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_API_URL": fake_slack.url,
        "SLACK_SECRET_ID": "",
        "TIL_KB_URI": uri,
        "TIL_KB_CACHE": str(tmp_path),
        "TIL_KB_REFRESH_SECONDS": "0.01",
        "TIL_STATE": "sqlite",
        "TIL_SQLITE_PATH": str(tmp_path / "state.sqlite3"),
        "TIL_DAILY_CHANNELS": "C0DAILY",
    }.items():
        monkeypatch.setenv(name, value)
    # One container: conftest's new_process starts each test with no runtime built.
    tips.daily({"time": "2026-11-23T00:00:00Z"})
    publish_kb(kb_with(("new", "today's only note", "fresh")), uri, REGION)
    time.sleep(0.05)  # past TIL_KB_REFRESH_SECONDS
    tips.daily({"time": "2026-11-24T00:00:00Z"})  # the same container, the next day
    titles = [post.text() for post in fake_slack.posted()]
    assert len(titles) == 2
    assert "yesterday's only note" in titles[0] and "today's only note" in titles[1]


def test_dynamodb_errors_come_back_as_a_boto3_client_would_raise_them(moto: str) -> None:
    from botocore.exceptions import ClientError

    client = aws.DynamoClient(REGION)
    with pytest.raises(ClientError) as missing:
        client.get_item(TableName=unique("no-such-table"), Key={"pk": {"S": "x"}, "sk": {"S": "-"}})
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert missing.value.operation_name == "GetItem"


def relay(
    handler: http.server.BaseHTTPRequestHandler, status: int, content_type: str, data: bytes
) -> None:
    """Answer the client what the server behind a front or proxy answered."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextlib.contextmanager
def tls_front(target: str, folder: Path) -> Iterator[tuple[str, Path]]:
    """A TLS front on localhost, with a certificate of its own, forwarding POSTs to the plain
    HTTP server at `target`: (URL, cert file)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Forward(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = urllib.request.Request(
                target + self.path, data=body, headers=dict(self.headers.items()), method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as reply:
                    status, data, headers = reply.status, reply.read(), reply.headers
            except urllib.error.HTTPError as exc:
                status, data, headers = exc.code, exc.read(), exc.headers
            relay(self, status, headers.get("Content-Type", "application/json"), data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://localhost:{server.server_port}", cert
    finally:
        server.shutdown()


def test_aws_requests_go_through_the_proxy_the_environment_names(
    moto: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a proxy (HTTP_PROXY), the secret and the DynamoDB calls are sent through it."""
    through: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            through.append(self.path)  # a proxy is asked for the whole URL
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            host = urllib.parse.urlsplit(self.path).netloc
            upstream = http.client.HTTPConnection(host, timeout=10)
            upstream.request("POST", self.path, body, dict(self.headers.items()))
            reply = upstream.getresponse()
            relay(self, reply.status, reply.headers.get("Content-Type", ""), reply.read())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-proxied", "SLACK_SIGNING_SECRET": "s"})
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_port}")
    aws._proxies.cache_clear()
    try:
        settings = aws.resolve_secrets(Settings(slack_secret_id=secret_id))
        assert settings.slack_bot_token == "xoxb-proxied"
        assert "TableNames" in aws.DynamoClient(REGION).list_tables()
    finally:
        server.shutdown()
        aws._proxies.cache_clear()
    assert through == [moto + "/", moto + "/"]


@pytest.fixture
def moto_over_tls(moto: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """moto behind a TLS front: (URL, cert file)."""
    with tls_front(moto, tmp_path) as front:
        yield front


@pytest.fixture
def new_tls_context() -> Iterator[None]:
    """The process's TLS context is made afresh, from the trust the test sets up."""
    aws._https_opener.cache_clear()
    shared_context.cache_clear()
    yield
    aws._https_opener.cache_clear()
    shared_context.cache_clear()


def test_aws_over_https_verifies_the_certificate(
    moto_over_tls: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, new_tls_context: None
) -> None:
    """The AWS requests share one TLS context (read once per process, not once per request);
    it still verifies the server against the trusted CAs."""
    url, cert = moto_over_tls
    secret_id = make_secret({"SLACK_BOT_TOKEN": "xoxb-tls", "SLACK_SIGNING_SECRET": "s"})
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the front's certificate
    assert aws.resolve_secrets(Settings(slack_secret_id=secret_id)).slack_bot_token == "xoxb-tls"
    assert "TableNames" in aws.DynamoClient(REGION).list_tables()
    monkeypatch.delenv("SSL_CERT_FILE")  # the system's CAs never signed that certificate
    aws._https_opener.cache_clear()
    shared_context.cache_clear()
    with pytest.raises(aws.AwsError, match="CERTIFICATE_VERIFY_FAILED"):
        aws.DynamoClient(REGION).list_tables()


def test_slack_over_https_shares_the_process_context_and_verifies_it(
    fake_slack: FakeSlack,
    index: Index,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    new_tls_context: None,
) -> None:
    """Every Slack client the bot makes (the runtime's, the Bolt app's and so each request's
    client and respond()) uses the process's one TLS context, the AWS requests' too; a mention is
    answered over HTTPS (Bolt copies the request, client and context, for the answer it sends
    after the ack); a Slack whose certificate the system does not trust is still refused."""
    with tls_front(fake_slack.base, tmp_path) as (url, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        settings = Settings(
            slack_bot_token=fake_slack.token, slack_signing_secret="s", slack_api_url=url + "/api/"
        )
        app = create_app(settings, index, SQLiteStore(":memory:"))
        client = web_client(settings.slack_api_url, settings.slack_bot_token)
        assert app.client.ssl is client.ssl is shared_context()
        opener: Any = aws._https_opener()
        [aws_https] = [h for h in opener.handlers if isinstance(h, HTTPSHandler)]
        assert aws_https._context is client.ssl  # type: ignore[attr-defined]

        slack = SlackSide(TilWsgi(lambda: app), SlackSigner("s"), fake_slack)
        assert slack.event(mention_event(f"<@{BOT_USER_ID}> docker")).status == 200
        [answer] = fake_slack.posted()
        assert answer.path == "/api/chat.postMessage" and "Docker" in answer.text()

        monkeypatch.delenv("SSL_CERT_FILE")  # the system's CAs never signed that certificate
        shared_context.cache_clear()
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            web_client(settings.slack_api_url, settings.slack_bot_token).auth_test()
        assert fake_slack.calls_to("auth.test") == []

"""The deployable surface: bot.wsgi.app as Zappa runs it, and `python -m bot serve`."""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import doctor
from bot.app import TilApp, create_app
from bot.server import make_http_server
from bot.settings import Settings
from bot.sqlite_store import SQLiteStore
from bot.stages import load_stage
from bot.wsgi import TilWsgi, build_from_environment
from knowledge import Index
from tests.conftest import SIGNING_SECRET
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner, WsgiClient

REPO = Path(__file__).resolve().parents[1]


def test_module_app_builds_from_the_environment_once(
    slack_env: None, fake_slack: FakeSlack, signer: SlackSigner
) -> None:
    builds: list[int] = []

    def counted() -> TilApp:
        builds.append(1)
        return build_from_environment()

    wsgi = TilWsgi(counted)
    side = SlackSide(wsgi, signer, fake_slack)
    assert side.command("docker").status == 200
    assert side.command("zappa").status == 200
    assert WsgiClient(wsgi).request("GET", "/health").status == 200
    assert builds == [1]


def test_module_level_app_is_a_lazy_wsgi_callable() -> None:
    import bot.wsgi

    assert isinstance(bot.wsgi.app, TilWsgi)
    assert callable(bot.wsgi.app)


@pytest.mark.parametrize("collecting", [True, False])
def test_import_and_first_build_leave_the_garbage_collector_as_they_found_it(
    collecting: bool, tmp_path: Path
) -> None:
    # The import and the process's first app build pause the collector (a cold start's
    # objects outlive its requests) and freeze what they made; left paused, a long-running bot
    # would never free a reference cycle again. Later builds leave it alone.
    probe = (
        "import gc, sys\n"
        f"{'' if collecting else 'gc.disable()'}\n"
        "import bot.wsgi\n"
        "frozen = [gc.get_freeze_count()]\n"
        "bot.wsgi.app.handler()\n"
        "frozen.append(gc.get_freeze_count())\n"
        "bot.wsgi.TilWsgi(bot.wsgi.build_from_environment).handler()\n"
        "frozen.append(gc.get_freeze_count())\n"
        "print(gc.isenabled(), frozen[0] > 0, frozen[1] > frozen[0], frozen[2] == frozen[1])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_"))}
    env.update(
        SLACK_SIGNING_SECRET="s",
        SLACK_BOT_TOKEN="xoxb-1",
        TIL_SQLITE_PATH=str(tmp_path / "state.sqlite3"),
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == [str(collecting), "True", "True", "True"], out.stderr


def test_health_reports_ready(wsgi: TilWsgi) -> None:
    r = WsgiClient(wsgi).request("GET", "/health")
    assert r.status == 200
    assert r.json() == {"ok": True}


def test_unknown_path_is_not_found(wsgi: TilWsgi) -> None:
    assert WsgiClient(wsgi).request("GET", "/admin").status == 404


@pytest.mark.parametrize("missing", ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"])
def test_missing_setting_is_named_not_a_traceback(
    slack_env: None, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.delenv(missing)
    client = WsgiClient(TilWsgi(build_from_environment))
    health = client.request("GET", "/health")
    assert health.status == 503
    assert missing in health.json()["error"]
    events = client.request("POST", "/slack/events", "{}", {"Content-Type": "application/json"})
    assert events.status == 503
    assert missing in events.json()["error"]


def run_serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_without_secrets_names_the_variable(tmp_path: Path) -> None:
    done = run_serve({"TIL_SQLITE_PATH": str(tmp_path / "s.sqlite3")}, "--port", "0")
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET" in done.stderr and "SLACK_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_with_dynamodb_state_and_no_aws_credentials_says_so(tmp_path: Path) -> None:
    no_aws = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TIL_", "AWS_"))}
    no_aws.update(
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
        SLACK_BOT_TOKEN="xoxb-x",
        SLACK_SIGNING_SECRET="s",
        TIL_STATE="dynamodb",
    )
    for extra, said in (({}, "no AWS credentials"), ({"AWS_PROFILE": "nope"}, "(nope)")):
        done = subprocess.run(
            [sys.executable, "-m", "bot", "serve", "--port", "0"],
            cwd=REPO, env={**no_aws, **extra}, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2
        assert "TIL_STATE=dynamodb" in done.stderr and said in done.stderr
        assert "Traceback" not in done.stderr


def test_socket_mode_without_app_token_names_the_variable(tmp_path: Path) -> None:
    done = run_serve(
        {"SLACK_BOT_TOKEN": "xoxb-x", "TIL_SQLITE_PATH": str(tmp_path / "s")}, "--socket"
    )
    assert done.returncode == 2
    assert "SLACK_APP_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def http_server(wsgi: TilWsgi) -> Iterator[str]:
    server = make_http_server(wsgi, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_local_http_server_serves_the_same_app(http_server: str, signer: SlackSigner) -> None:
    body = urllib.parse.urlencode(
        {"command": "/til", "text": "docker", "channel_id": "C0GENERAL", "user_id": "U0ALICE"}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signer.headers(body)}
    request = urllib.request.Request(
        http_server + "/slack/events", data=body.encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        reply = json.loads(response.read())
    assert any(b.get("text", {}).get("text") == "Docker" for b in reply["blocks"])
    with urllib.request.urlopen(http_server + "/health", timeout=10) as response:
        assert json.loads(response.read()) == {"ok": True}
    forged = urllib.request.Request(
        http_server + "/slack/events",
        data=body.encode(),
        headers={**headers, "X-Slack-Signature": "v0=" + "0" * 64},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as rejected:
        urllib.request.urlopen(forged, timeout=10)
    assert rejected.value.code == 401


def test_doctor_asks_a_deployed_app_by_the_command_its_stage_declares(
    settings: Settings, index: Index, store: SQLiteStore, tmp_path: Path
) -> None:
    # A dev stage with TIL_COMMAND=/til-dev: the doctor's signed help goes to that command
    # (the stage's settings say so), as the app answers only it.
    dev = settings.model_copy(update={"til_command": "/til-dev"})
    server = make_http_server(TilWsgi(lambda: create_app(dev, index, store)), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    zappa = tmp_path / "zappa_settings.json"
    env = {"TIL_TABLE": "t", "SLACK_SECRET_ID": "s", "TIL_KB_URI": "s3://b/kb.sqlite"}
    stage = {"aws_region": "ap-northeast-2", "project_name": "tilbot", "s3_bucket": "zips"}
    zappa.write_text(
        json.dumps({"dev": {**stage, "environment_variables": {**env, "TIL_COMMAND": "/til-dev"}},
                    "prod": {**stage, "environment_variables": env}}),
        encoding="utf-8",
    )  # fmt: skip
    try:
        command = load_stage("dev", zappa).command
        assert command == "/til-dev" and load_stage("prod", zappa).command == "/til"
        checks = doctor.check_command(base, SIGNING_SECRET, command)
        assert [c.status for c in checks] == ["ok", "ok"], checks
        assert "a signed /til-dev help" in checks[0].text
        assert doctor.check_command(base, SIGNING_SECRET, "/til")[0].status == "FAIL"
    finally:
        server.shutdown()
        server.server_close()


def test_serve_on_a_busy_port_or_without_notes_says_so_in_one_line(tmp_path: Path) -> None:
    secrets = {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s"}
    state = {"TIL_SQLITE_PATH": str(tmp_path / "s.sqlite3")}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        done = run_serve({**secrets, **state}, "--port", port)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr

    done = run_serve({**secrets, **state}, "--port", "70000")
    assert done.returncode == 2
    assert "70000 is no port" in done.stderr and "Traceback" not in done.stderr

    done = run_serve({**secrets, **state, "TIL_NOTES": str(tmp_path / "nope")}, "--port", "0")
    assert done.returncode == 2
    assert "nope" in done.stderr and "TIL_NOTES" in done.stderr
    assert "Traceback" not in done.stderr


def corrupt(path: Path) -> Path:
    path.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    return path


@pytest.mark.parametrize("broken", ["corrupt", "unwritable", "directory"])
def test_a_broken_state_database_still_answers_questions(
    slack_env: None,
    monkeypatch: pytest.MonkeyPatch,
    fake_slack: FakeSlack,
    signer: SlackSigner,
    tmp_path: Path,
    broken: str,
    caplog,
) -> None:
    path = {
        "corrupt": corrupt(tmp_path / "state.sqlite3"),
        "unwritable": Path("/proc/no-such-dir/state.sqlite3"),
        "directory": tmp_path,
    }[broken]
    monkeypatch.setenv("TIL_SQLITE_PATH", str(path))
    side = SlackSide(TilWsgi(build_from_environment), signer, fake_slack)
    with caplog.at_level(logging.ERROR):
        answer = side.command("docker")
    assert answer.status == 200 and "Docker" in answer.text()
    assert any("cannot open the state database" in r.getMessage() for r in caplog.records)
    refused = side.command("subscribe")
    assert refused.status == 200 and "문제가 생겼어요" in refused.text()
    assert "Traceback" not in refused.body.decode()


def test_a_locked_database_cannot_hold_a_command_past_slacks_deadline(
    slack_env: None, fake_slack: FakeSlack, signer: SlackSigner, tmp_path: Path
) -> None:
    side = SlackSide(TilWsgi(build_from_environment), signer, fake_slack)
    assert side.command("docker").status == 200  # the app and its database are up
    other = sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.monotonic()
        r = side.command("subscribe")
        assert time.monotonic() - started < 2.5
        assert r.status == 200 and "문제가 생겼어요" in r.text()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "매일 TIL 팁" in side.command("subscribe").text()  # and it works again


def test_an_idle_connection_is_closed_instead_of_holding_a_thread(wsgi: TilWsgi) -> None:
    # No sleeps and no thread counts: each idle client just waits for the server to hang up,
    # with a client-side limit far beyond the idle timeout that only a server which never
    # hangs up reaches, however slowly a loaded machine schedules the handler threads.
    server = make_http_server(wsgi, "127.0.0.1", 0, idle_timeout=0.5)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    idle = [socket.create_connection(("127.0.0.1", server.server_port)) for _ in range(20)]
    try:
        for conn in idle:
            conn.settimeout(30)
            assert conn.recv(1) == b""  # the server hung up
        health = f"http://127.0.0.1:{server.server_port}/health"
        with urllib.request.urlopen(health, timeout=30) as response:
            assert response.status == 200  # and still serves a client that does send
    finally:
        for conn in idle:
            conn.close()
        server.shutdown()
        server.server_close()

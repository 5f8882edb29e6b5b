"""Fixtures: a fake Slack on a local port, Slack-style request signing, and our app behind WSGI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import runtime
from bot.app import create_app
from bot.settings import Settings, load_settings
from bot.sqlite_store import SQLiteStore
from bot.store import Store
from bot.wsgi import TilWsgi
from knowledge import Index, load_index
from tests.fake_slack import FakeSlack, SlackSide, SlackSigner

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture(autouse=True)
def new_process() -> Iterator[None]:
    """Each test starts like a new process (a new Lambda container): no runtime built yet."""
    runtime.runtime.cache_clear()
    yield
    runtime.runtime.cache_clear()


@pytest.fixture(scope="session")
def index() -> Index:
    """The real knowledge index over knowledge/notes: answers are checked against real notes."""
    return load_index()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def signer() -> SlackSigner:
    return SlackSigner(SIGNING_SECRET)


@pytest.fixture
def settings(fake_slack: FakeSlack) -> Settings:
    return load_settings(
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.url,
        til_lang="ko",
        slack_secret_id="",
    )


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack, tmp_path: Path) -> None:
    """The environment a deployment sets, pointed at the fake Slack and a scratch database."""
    for name in ("SLACK_SECRET_ID", "TIL_KB_URI", "TIL_KB", "TIL_NOTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("TIL_STATE", "sqlite")
    monkeypatch.setenv("TIL_SQLITE_PATH", str(tmp_path / "state.sqlite3"))


@pytest.fixture
def store() -> SQLiteStore:
    return SQLiteStore(":memory:")


@pytest.fixture(params=["sqlite", "dynamodb"])
def both_stores(request: pytest.FixtureRequest) -> Iterator[Store]:
    """Each test that asks for it runs twice: on SQLite, and on DynamoDB (moto)."""
    if request.param == "sqlite":
        s = SQLiteStore(":memory:")
        yield s
        s.close()
    else:
        import time

        from tests.aws_fixtures import dynamo_store

        yield dynamo_store(request, time.time)


@pytest.fixture
def wsgi(settings: Settings, index: Index, store: SQLiteStore) -> TilWsgi:
    return TilWsgi(lambda: create_app(settings, index, store))


@pytest.fixture
def slack(wsgi: TilWsgi, signer: SlackSigner, fake_slack: FakeSlack) -> SlackSide:
    """Slack's side of the conversation, talking to our WSGI app."""
    return SlackSide(wsgi, signer, fake_slack)

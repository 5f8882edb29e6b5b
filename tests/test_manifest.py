"""manifest.json is what a workspace installs: every command, shortcut and event it declares
reaches a listener of the app, and it asks for the scopes the README lists."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.fake_slack import BOT_USER_ID, FakeSlack, SlackSide

ROOT = Path(__file__).resolve().parent.parent


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    return data


def test_every_declared_command_shortcut_and_event_is_answered(
    slack: SlackSide, fake_slack: FakeSlack
) -> None:
    features = manifest()["features"]
    for command in features["slash_commands"]:
        assert command["command"] == "/til"  # SlackSide posts /til
        assert "찾지 못했어요" in slack.command("kubernetes helm chart").text()
    for shortcut in features["shortcuts"]:
        message = {
            "ts": "1700000000.000100",
            "text": "도커 볼륨은 지워지지 않는다",
            "user": "U0BOB",
        }
        assert slack.shortcut(shortcut["callback_id"], message).status == 200
    assert fake_slack.calls("views.open"), "the save shortcut opened no form"
    events = {
        "app_mention": {"type": "app_mention", "text": f"<@{BOT_USER_ID}> 도커", "user": "U0ALICE",
                        "channel": "C0GENERAL", "ts": "1700000001.000100"},
        "message.im": {"type": "message", "channel_type": "im", "text": "도커", "user": "U0ALICE",
                       "channel": "D0ALICE", "ts": "1700000002.000100"},
        "app_home_opened": {"type": "app_home_opened", "user": "U0ALICE", "tab": "home",
                            "channel": "D0ALICE"},
    }  # fmt: skip
    declared = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert set(declared) == set(events)
    for name in declared:
        before = len(fake_slack.calls())
        assert slack.event(events[name]).status == 200, name
        assert len(fake_slack.calls()) > before, f"{name} reached no listener"


def test_the_scopes_are_the_ones_the_readme_lists() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # Step 1 of "Create the app" names each scope in backticks after "only the scopes".
    start = readme.index("only the scopes", readme.index("### Create the app"))
    step = readme[start : readme.index("2. Replace the three", start)]
    listed = set(re.findall(r"`([a-z_.]+(?::[a-z_.]+)?)`", step))
    assert scopes == listed

"""The baseline for bench_coldstart.py: a bare Bolt app behind Zappa that only acks /til.

It pays the same fixed costs as ours (Python, Zappa's handler, werkzeug, Bolt, boto3 import)
and nothing else, so the difference to our app is exactly what our code adds to a cold start.
Like ours it authorizes statically: no auth.test round trip to Slack.
"""

from __future__ import annotations

import os
from typing import Any

import boto3  # noqa: F401  # both apps pay for importing boto3, as on Lambda
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult


def _authorize(enterprise_id: str | None, team_id: str | None, **_: Any) -> AuthorizeResult:
    return AuthorizeResult(
        enterprise_id=enterprise_id, team_id=team_id, bot_token=os.environ["SLACK_BOT_TOKEN"]
    )


if os.environ.get("BARE_LOAD") == "pydantic":
    # "bare + pydantic": what importing pydantic and validating one model costs any app that
    # uses it, before pydantic-settings or any of our code (bench_coldstart.py prints it too).
    from pydantic import BaseModel

    class _Probe(BaseModel):
        name: str

    _Probe(name="bare")
elif os.environ.get("BARE_LOAD") == "settings":
    # "bare + settings": the floor for our app, which must read its configuration through the
    # project's one pydantic-settings object.
    from bot.settings import load_settings

    load_settings()

bolt = App(
    # Named, as ours is: without a name Bolt takes one from inspect.stack(), which reads the
    # source of every calling module (~45 ms of CPU at a cold start) that ours never pays.
    # BARE_NAME=inspect leaves it to Bolt, as this baseline did before (for comparison only).
    name=None if os.environ.get("BARE_NAME") == "inspect" else "bare",
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    authorize=_authorize,
    token_verification_enabled=False,
    process_before_response=True,
)


@bolt.command("/til")
def til(ack: Ack) -> None:
    ack()


app = SlackRequestHandler(bolt, path="/slack/events")

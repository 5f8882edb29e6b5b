"""The README's deploy guide, followed as a newcomer would, for dev and for prod.

A fresh copy of the repository; the account-specific values edited in zappa_settings.json only;
an AWS profile whose default region is neither stage's; then the guide's commands in the
README's order, as subprocesses: iam --write, aws-setup, publish, package, (deploy), doctor.
`zappa deploy` needs real AWS, so the zip `package` built is served instead by a local API
Gateway (tests/fake_api_gateway.py) that feeds Zappa's handler from the unzipped zip alone.
AWS is moto over HTTP, each stage's Slack workspace a fake Slack. The bot must then answer a
signed /til and post the scheduled tip, each stage with its own resources in its own region.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from bot.dynamo_store import DynamoStore
from tests.aws_fixtures import (
    lambda_env,
    moto_endpoint,
    run_container,
    scheduled_event,
    unique,
    unpack_zip,
)
from tests.fake_api_gateway import FakeApiGateway
from tests.fake_slack import FakeSlack, SlackSigner
from tests.repo_copy import REPO, fresh_clone

PROFILE_REGION = "us-east-1"  # `aws configure`'s default: the stages must not end up here
REGIONS = {"dev": "ap-northeast-2", "prod": "eu-west-1"}
CHANNELS = {"dev": "C0DEVTEAM", "prod": "C0PRODTEAM"}
# The guide's commands, in the order the README gives them ({stage} filled in per stage).
GUIDE = [
    "python -m bot iam --write",
    "python -m bot aws-setup --stage {stage} --with-secret",
    "python -m bot publish --stage {stage}",
    "python -m bot package --stage {stage}",
    "zappa deploy {stage} --zip build/tilbot-{stage}.zip",
    "python -m bot doctor --stage {stage}",
]


def edit_account_values(clone: Path) -> dict[str, dict[str, str]]:
    """What the guide asks a newcomer to change in zappa_settings.json, and nothing else."""
    path = clone / "zappa_settings.json"
    settings = json.loads(path.read_text())
    names: dict[str, dict[str, str]] = {}
    for stage in ("dev", "prod"):
        names[stage] = {
            "table": unique(f"team-til-{stage}"),
            "secret": f"team-til/{stage}/{unique('slack')}",
            "bucket": unique(f"team-til-kb-{stage}"),
        }
        settings[stage]["aws_region"] = REGIONS[stage]
        settings[stage]["s3_bucket"] = unique(f"team-zappa-{stage}")
        env = settings[stage]["environment_variables"]
        env["TIL_TABLE"] = names[stage]["table"]
        env["SLACK_SECRET_ID"] = names[stage]["secret"]
        env["TIL_KB_URI"] = f"s3://{names[stage]['bucket']}/kb.sqlite"
    path.write_text(json.dumps(settings, indent=4))
    return names


def run(clone: Path, command: str, env: dict[str, str]) -> str:
    args = command.split()
    done = subprocess.run(
        [sys.executable, *args[1:]], cwd=clone, env=env, capture_output=True, text=True,
        timeout=400,
    )  # fmt: skip
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def post_command(url: str, signer: SlackSigner, text: str, channel: str) -> dict:
    body = urllib.parse.urlencode(
        {"command": "/til", "text": text, "team_id": "T0TEAM001", "channel_id": channel,
         "user_id": "U0ALICE", "user_name": "alice", "trigger_id": "1.2",
         "response_url": "https://hooks.slack.invalid/x"}
    )  # fmt: skip
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signer.headers(body)}
    request = urllib.request.Request(url + "/slack/events", data=body.encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture
def slack_workspaces() -> Iterator[dict[str, FakeSlack]]:
    """Each stage is its own Slack app (a dev workspace, the team's real one)."""
    fakes = {stage: FakeSlack(token=f"xoxb-{stage}-{unique('t')}").start() for stage in REGIONS}
    yield fakes
    for fake in fakes.values():
        fake.stop()


def test_the_readme_lists_the_guide_commands_in_order() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Deploy to AWS") :]
    positions = [section.find(c.format(stage="dev")) for c in GUIDE]
    assert -1 not in positions, [c for c, p in zip(GUIDE, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert "read -rs" in section  # tokens typed at a hidden prompt, never into shell history


def test_a_newcomer_deploys_dev_and_prod_by_following_the_guide(
    tmp_path: Path, slack_workspaces: dict[str, FakeSlack]
) -> None:
    clone = fresh_clone(tmp_path / "tilbot")
    # The newcomer's own virtualenv and dotenv in the folder must stay out of every zip.
    (clone / "venv" / "lib").mkdir(parents=True)
    (clone / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (clone / ".env").write_text("SLACK_BOT_TOKEN=xoxb-local-only\n")
    names = edit_account_values(clone)
    endpoint = moto_endpoint()
    profile = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SLACK_", "TIL_"))}
    profile.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="newcomer",
        AWS_SECRET_ACCESS_KEY="newcomer",
        AWS_DEFAULT_REGION=PROFILE_REGION,
    )
    run(clone, GUIDE[0], profile)
    assert REGIONS["prod"] in (clone / "deploy" / "iam-prod.json").read_text()

    for stage, region in REGIONS.items():
        slack = slack_workspaces[stage]
        signing_secret = f"signing-{stage}-{unique('s')}"
        secrets = {"SLACK_BOT_TOKEN": slack.token, "SLACK_SIGNING_SECRET": signing_secret}
        setup = run(clone, GUIDE[1].format(stage=stage), {**profile, **secrets})
        assert f"region {region}" in setup and slack.token not in setup
        assert "published" in run(clone, GUIDE[2].format(stage=stage), profile)
        run(clone, GUIDE[3].format(stage=stage), profile)

        # `zappa deploy`, played locally: Lambda runs the zip with AWS_REGION set to its region.
        task, pythonpath = unpack_zip(clone / "build" / f"tilbot-{stage}.zip", tmp_path / stage)
        assert not (task / "venv").exists() and not (task / ".env").exists()
        container = lambda_env(
            {"PYTHONPATH": pythonpath, "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": region,
             "AWS_DEFAULT_REGION": region, "AWS_ACCESS_KEY_ID": "lambda-role",
             "AWS_SECRET_ACCESS_KEY": "lambda-role", "SLACK_API_URL": slack.url,
             "AWS_LAMBDA_FUNCTION_NAME": f"tilbot-{stage}"}
        )  # fmt: skip
        with FakeApiGateway(task, container, stage) as gateway:
            # The URL pasted into the Slack app, then the post-deploy check.
            doctor = run(
                clone,
                f"{GUIDE[5].format(stage=stage)} --url {gateway.url}/slack/events",
                {**profile, "SLACK_API_URL": slack.url},
            )
            assert "[FAIL]" not in doctor and "[warn]" not in doctor, doctor
            assert "all checks passed" in doctor

            signer = SlackSigner(signing_secret)
            answer = post_command(gateway.url, signer, "도커", CHANNELS[stage])
            assert "Docker" in json.dumps(answer, ensure_ascii=False), gateway.logs[-1][-2000:]
            post_command(gateway.url, signer, "subscribe", CHANNELS[stage])

        tick = scheduled_event("bot.tips.daily", "2026-11-23T00:00:00Z", f"tilbot-{stage}-daily")
        outcome = run_container(task, [tick], container, isolated=True)
        assert outcome["results"][0]["result"][CHANNELS[stage]].startswith("posted:")
        tips = slack.calls_to("chat.postMessage")
        assert [t.body["channel"] for t in tips] == [CHANNELS[stage]]
        assert tips[0].token == slack.token

    def client(service: str, region: str) -> Any:
        return boto3.client(
            service, region_name=region, endpoint_url=endpoint,
            aws_access_key_id="newcomer", aws_secret_access_key="newcomer",
        )  # fmt: skip

    for stage, region in REGIONS.items():
        other = "prod" if stage == "dev" else "dev"
        ddb = client("dynamodb", region)
        tables = ddb.list_tables()["TableNames"]
        assert names[stage]["table"] in tables and names[other]["table"] not in tables
        store = DynamoStore(names[stage]["table"], ddb)
        assert store.subscriptions() == [CHANNELS[stage]]
        s3 = client("s3", region)
        location = s3.get_bucket_location(Bucket=names[stage]["bucket"])["LocationConstraint"]
        assert location == region
        assert s3.get_bucket_versioning(Bucket=names[stage]["bucket"])["Status"] == "Enabled"
    # Nothing landed in the profile's default region.
    default = client("dynamodb", PROFILE_REGION)
    ours = {n["table"] for n in names.values()}
    assert not ours & set(default.list_tables()["TableNames"])
    secrets = client("secretsmanager", PROFILE_REGION)
    listed = {s["Name"] for s in secrets.list_secrets()["SecretList"]}
    assert not {n["secret"] for n in names.values()} & listed
    assert not re.search(r"xoxb-(dev|prod)-", (clone / "zappa_settings.json").read_text())

"""`python -m bot aws-setup --stage dev [--with-secret]`: create what a stage needs in AWS.

Idempotent: run it again and it only reports what already exists. The table and secret names
come from the stage's environment_variables in zappa_settings.json, so the deployed function
and this command cannot disagree about them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.dynamo_store import TTL_ATTRIBUTE

ZAPPA_SETTINGS = Path(__file__).resolve().parent.parent / "zappa_settings.json"
SECRET_KEYS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")


def stage_environment(stage: str, path: Path = ZAPPA_SETTINGS) -> dict[str, str]:
    """The environment variables zappa_settings.json gives `stage` ({} if there is none)."""
    if not path.exists():
        return {}
    stages = json.loads(path.read_text())
    if stage not in stages:
        raise SystemExit(f"stage {stage!r} is not in {path.name} (stages: {', '.join(stages)})")
    return dict(stages[stage].get("environment_variables", {}))


def ensure_table(client: Any, name: str) -> list[str]:
    """Create the on-demand table with its TTL attribute; returns what was done, one per line."""
    done: list[str] = []
    try:
        client.create_table(
            TableName=name,
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        done.append(f"created table {name} (on-demand)")
    except client.exceptions.ResourceInUseException:
        done.append(f"table {name} already exists")
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") in {"ENABLED", "ENABLING"}:
        done.append(f"TTL on {ttl.get('AttributeName')} already enabled")
    else:
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
        done.append(f"enabled TTL on {TTL_ATTRIBUTE}")
    return done


def ensure_secret(client: Any, secret_id: str, values: dict[str, str]) -> list[str]:
    """Create the Slack secret from `values`, or store them as a new version if they changed.

    Never prints or logs the values themselves, only which keys were written.
    """
    payload = json.dumps(values, sort_keys=True)
    keys = ", ".join(sorted(values))
    try:
        current = client.get_secret_value(SecretId=secret_id).get("SecretString", "")
    except client.exceptions.ResourceNotFoundException:
        client.create_secret(
            Name=secret_id,
            Description="tilbot Slack credentials (JSON)",
            SecretString=payload,
        )
        return [f"created secret {secret_id} with {keys}"]
    try:
        same = json.loads(current) == values
    except ValueError:
        same = False
    if same:
        return [f"secret {secret_id} already up to date"]
    client.put_secret_value(SecretId=secret_id, SecretString=payload)
    return [f"updated secret {secret_id} with {keys}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot aws-setup",
        description="Create the DynamoDB table (TTL on) and, with --with-secret, the Slack secret "
        "from SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET in the environment. Safe to re-run.",
    )
    parser.add_argument("--stage", default="dev", help="zappa_settings.json stage (default dev)")
    parser.add_argument("--table", help="table name (default: the stage's TIL_TABLE)")
    parser.add_argument("--secret-id", help="secret name (default: the stage's SLACK_SECRET_ID)")
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the stage's)")
    parser.add_argument("--with-secret", action="store_true", help="also create the secret")
    args = parser.parse_args(argv)

    env = stage_environment(args.stage)
    table = args.table or env.get("TIL_TABLE") or f"tilbot-{args.stage}"
    secret_id = args.secret_id or env.get("SLACK_SECRET_ID") or f"tilbot/{args.stage}/slack"
    region = args.region or os.environ.get("AWS_REGION") or env.get("AWS_REGION")

    values = {k: os.environ[k] for k in SECRET_KEYS if os.environ.get(k)}
    if args.with_secret and set(values) != set(SECRET_KEYS):
        missing = ", ".join(k for k in SECRET_KEYS if k not in values)
        print(f"--with-secret needs {missing} in the environment", file=sys.stderr)
        return 2

    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        for line in ensure_table(boto3.client("dynamodb", region_name=region), table):
            print(line)
        if args.with_secret:
            secrets = boto3.client("secretsmanager", region_name=region)
            for line in ensure_secret(secrets, secret_id, values):
                print(line)
    except (BotoCoreError, ClientError) as exc:
        print(f"aws-setup failed: {exc}", file=sys.stderr)
        return 1
    return 0

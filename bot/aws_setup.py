"""`python -m bot aws-setup --stage dev [--with-secret]`: create what a stage needs in AWS.

The state table, the Slack secret and the bucket the KB is published to, all in the stage's
region with the stage's names (bot.stages, from zappa_settings.json), whatever region the AWS
CLI profile defaults to. Idempotent: run it again and it only reports what already exists.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from bot.dynamo_store import TTL_ATTRIBUTE
from bot.stages import Stage, StageError, chosen_stage, stage_parser

SECRET_KEYS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
# Stored too when set: Socket Mode's app token, and the token that turns saved TILs into pull
# requests (bot.github).
OPTIONAL_SECRET_KEYS = ("SLACK_APP_TOKEN", "TIL_GITHUB_TOKEN")
# Slack's token prefixes: a newcomer who pastes the wrong one hears it now, not from a 401 later.
# How each Slack token starts, and where the Slack app page shows it.
TOKEN_PREFIXES = {
    "SLACK_BOT_TOKEN": ("xoxb-", "the Bot User OAuth Token under OAuth & Permissions"),
    "SLACK_APP_TOKEN": ("xapp-", "an App-Level Token under Basic Information"),
}
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


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
    Keys already stored and not in `values` are kept: adding TIL_GITHUB_TOKEN later (with only
    it in the environment), or rotating one Slack token, loses nothing. A secret that does not
    exist yet needs both Slack values.

    Never prints or logs the values themselves, only which keys were written.
    """
    keys = ", ".join(sorted(values))
    try:
        current = client.get_secret_value(SecretId=secret_id).get("SecretString", "")
    except client.exceptions.ResourceNotFoundException:
        missing = [k for k in SECRET_KEYS if k not in values]
        if missing:
            raise StageError(
                f"secret {secret_id} does not exist yet: creating it needs {', '.join(missing)} "
                "in the environment"
            ) from None
        client.create_secret(
            Name=secret_id,
            Description="tilbot Slack credentials (JSON)",
            SecretString=json.dumps(values, sort_keys=True),
        )
        return [f"created secret {secret_id} with {keys}"]
    try:
        stored = json.loads(current)
    except ValueError:
        stored = None
    if not isinstance(stored, dict):
        stored = {}  # not the JSON object the bot reads: replaced whole
    merged = {**stored, **values}
    if merged == stored:
        return [f"secret {secret_id} already up to date"]
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps(merged, sort_keys=True))
    return [f"updated secret {secret_id} with {keys}"]


def ensure_kb_bucket(client: Any, bucket: str, region: str) -> list[str]:
    """The bucket the KB is published to: in `region`, versioned (an overwritten KB can be
    restored), and closed to the public whatever a later bucket policy says."""
    done: list[str] = []
    create: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":  # S3 refuses us-east-1 as an explicit location constraint
        create["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        client.create_bucket(**create)
        done.append(f"created bucket {bucket} in {region}")
    except client.exceptions.BucketAlreadyOwnedByYou:
        where = client.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"
        if where != region:
            raise StageError(
                f"bucket {bucket} already exists in {where}, not in the stage's {region}: "
                "choose another KB bucket name in TIL_KB_URI"
            ) from None
        done.append(f"bucket {bucket} already exists in {region}")
    except client.exceptions.BucketAlreadyExists:
        raise StageError(
            f"bucket name {bucket} belongs to another AWS account (S3 names are global): "
            "choose another KB bucket name in TIL_KB_URI"
        ) from None
    if client.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled":
        done.append(f"versioning on {bucket} already enabled")
    else:
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        done.append(f"enabled versioning on {bucket}")
    try:
        current = client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except client.exceptions.ClientError:  # NoSuchPublicAccessBlockConfiguration
        current = {}
    if current == PUBLIC_ACCESS_BLOCK:
        done.append(f"public access to {bucket} already blocked")
    else:
        client.put_public_access_block(
            Bucket=bucket, PublicAccessBlockConfiguration=PUBLIC_ACCESS_BLOCK
        )
        done.append(f"blocked public access to {bucket}")
    return done


def secret_values_from_environment() -> tuple[dict[str, str], str]:
    """The Slack secrets from the environment, or ({}, what is wrong with them)."""
    values = {
        k: os.environ[k].strip()
        for k in (*SECRET_KEYS, *OPTIONAL_SECRET_KEYS)
        if os.environ.get(k, "").strip()
    }
    if not values:
        return {}, (
            f"--with-secret needs {' and '.join(SECRET_KEYS)} in the environment (or, for a "
            f"secret that exists, the keys to change: {', '.join(OPTIONAL_SECRET_KEYS)}, …)"
        )
    for key, (prefix, where) in TOKEN_PREFIXES.items():
        if key in values and not values[key].startswith(prefix):
            return {}, f"{key} must start with {prefix} ({where}); it does not"
    return values, ""


def set_up(stage: Stage, values: dict[str, str] | None) -> list[str]:
    """Create the stage's table, KB bucket and (with `values`) secret in the stage's region."""
    import boto3

    region = stage.region
    done = [f"stage {stage.name}: region {region}"]
    done += ensure_table(boto3.client("dynamodb", region_name=region), stage.table)
    done += ensure_kb_bucket(boto3.client("s3", region_name=region), stage.kb_bucket, region)
    if values is not None:
        secrets = boto3.client("secretsmanager", region_name=region)
        done += ensure_secret(secrets, stage.secret_id, values)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = stage_parser(
        "aws-setup",
        "Create the stage's DynamoDB table (TTL on) and KB bucket (versioned, no public access) "
        "in the stage's region and, with --with-secret, the Slack secret from SLACK_BOT_TOKEN / "
        "SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN / TIL_GITHUB_TOKEN when set) in the "
        "environment. Safe to re-run: keys already in the secret are kept.",
    )
    parser.add_argument("--with-secret", action="store_true", help="also create the secret")
    args = parser.parse_args(argv)

    values: dict[str, str] | None = None
    if args.with_secret:
        values, problem = secret_values_from_environment()
        if problem:
            print(problem, file=sys.stderr)
            return 2
    from botocore.exceptions import BotoCoreError, ClientError

    stage = chosen_stage(parser, args)
    try:
        for line in set_up(stage, values):
            print(line, flush=True)
    except StageError as exc:
        print(f"aws-setup: {exc}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as exc:
        print(f"aws-setup failed: {exc}", file=sys.stderr)
        return 1
    return 0

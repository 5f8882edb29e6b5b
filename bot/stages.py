"""The deploy stages, read from zappa_settings.json: the one place account-specific values live.

Each stage names its region (`aws_region`), Zappa's upload bucket (`s3_bucket`) and, in its
`environment_variables`, the state table (TIL_TABLE), the Slack secret (SLACK_SECRET_ID) and
the published KB (TIL_KB_URI). Zappa deploys from this file, so `aws-setup`, `package`,
`publish`, `doctor` and the IAM policy files (`deploy/iam-<stage>.json`, generated from it by
`python -m bot iam --write`) read the same values and cannot disagree with the deployed
function about them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ZAPPA_SETTINGS = ROOT / "zappa_settings.json"
DEPLOY_DIR = ROOT / "deploy"


class StageError(ValueError):
    """The settings file or a stage in it is unusable; the message says what to fix."""


@dataclass(frozen=True)
class Stage:
    name: str
    region: str
    function_name: str  # what Zappa names the Lambda function: <project_name>-<stage>
    deploy_bucket: str  # where Zappa uploads the zip
    table: str
    secret_id: str
    kb_uri: str
    policy_file: str  # attach_policy, relative to the settings file
    command: str = "/til"  # TIL_COMMAND: the slash command the stage's Slack app declares

    @property
    def kb_bucket(self) -> str:
        return self.kb_uri.removeprefix("s3://").partition("/")[0]

    @property
    def kb_key(self) -> str:
        return self.kb_uri.removeprefix("s3://").partition("/")[2]


def read_settings(path: Path = ZAPPA_SETTINGS) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StageError(f"no {path.name} at {path}") from None
    except ValueError as exc:
        raise StageError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise StageError(f"{path} must map stage names to settings objects")
    return data


def _resolved(
    settings: dict[str, dict[str, Any]], name: str, seen: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A stage's settings with `extends` applied the way Zappa applies it (a shallow update)."""
    if name in seen:
        raise StageError(f"stage {name!r} extends itself ({' -> '.join((*seen, name))})")
    if name not in settings:
        raise StageError(f"no stage {name!r} (stages: {', '.join(settings)})")
    own = settings[name]
    parent = own.get("extends")
    merged = dict(_resolved(settings, parent, (*seen, name))) if parent else {}
    merged.update(own)
    return merged


def stage_settings(name: str, path: Path = ZAPPA_SETTINGS) -> dict[str, Any]:
    """The stage's settings as Zappa sees them (`extends` applied)."""
    return _resolved(read_settings(path), name)


def load_stage(name: str, path: Path = ZAPPA_SETTINGS) -> Stage:
    """The stage `name` of the settings file; StageError names whatever is missing."""
    settings = read_settings(path)
    raw = _resolved(settings, name)
    env = raw.get("environment_variables") or {}
    values = {
        "aws_region": raw.get("aws_region", ""),
        "project_name": raw.get("project_name", ""),
        "s3_bucket": raw.get("s3_bucket", ""),
        "environment_variables.TIL_TABLE": env.get("TIL_TABLE", ""),
        "environment_variables.SLACK_SECRET_ID": env.get("SLACK_SECRET_ID", ""),
        "environment_variables.TIL_KB_URI": env.get("TIL_KB_URI", ""),
    }
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise StageError(f"stage {name!r} in {path.name} needs {', '.join(missing)}")
    secrets = [key for key in env if _is_secret(key)]
    if secrets:
        # Zappa writes environment_variables into the zip and the Lambda's configuration, in
        # plain text for anyone who can read either.
        raise StageError(
            f"stage {name!r} in {path.name}: {', '.join(secrets)} is a secret, not a setting: "
            f"remove it from environment_variables and store it in the stage's Secrets Manager "
            f"secret (python -m bot aws-setup --stage {name} --with-secret)"
        )
    kb_uri = values["environment_variables.TIL_KB_URI"]
    bucket, _, key = kb_uri.removeprefix("s3://").partition("/")
    if not kb_uri.startswith("s3://") or not bucket or not key:
        raise StageError(f"stage {name!r}: TIL_KB_URI must be s3://bucket/key, not {kb_uri!r}")
    return Stage(
        name=name,
        region=values["aws_region"],
        function_name=_slug(f"{values['project_name']}-{name}"),
        deploy_bucket=values["s3_bucket"],
        table=values["environment_variables.TIL_TABLE"],
        secret_id=values["environment_variables.SLACK_SECRET_ID"],
        kb_uri=kb_uri,
        policy_file=str(raw.get("attach_policy") or f"deploy/iam-{name}.json"),
        command=str(env.get("TIL_COMMAND") or "/til"),
    )


# The settings that hold credentials (bot.settings reads them from SLACK_SECRET_ID's secret on
# Lambda), and the names any other credential goes by.
_SECRETS = frozenset(
    {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TIL_GITHUB_TOKEN"}
)
_SECRET_WORDS = ("TOKEN", "PASSWORD", "SECRET_ACCESS_KEY", "PRIVATE_KEY")


def _is_secret(key: str) -> bool:
    upper = key.upper()
    return upper in _SECRETS or any(word in upper for word in _SECRET_WORDS)


def stage_names(path: Path = ZAPPA_SETTINGS) -> list[str]:
    return list(read_settings(path))


def _slug(text: str) -> str:
    # Zappa slugifies "<project_name>-<stage>" (python-slugify) for the function's name.
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _partition(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else "aws"


def function_policy(stage: Stage) -> dict[str, Any]:
    """Least privilege for the deployed function: its logs, table, secret, KB object, and
    invoking itself."""
    arn, region = _partition(stage.region), stage.region
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OwnLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"arn:{arn}:logs:{region}:*:log-group:/aws/lambda/"
                f"{stage.function_name}:*",
            },
            {
                "Sid": "StateTable",
                "Effect": "Allow",
                "Action": [
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query",
                    "dynamodb:ConditionCheckItem",
                ],
                "Resource": f"arn:{arn}:dynamodb:{region}:*:table/{stage.table}",
            },
            {
                "Sid": "SlackSecret",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                # Secrets Manager appends six random characters to a secret's ARN.
                "Resource": f"arn:{arn}:secretsmanager:{region}:*:secret:{stage.secret_id}-??????",
            },
            {
                "Sid": "PublishedKnowledgeBase",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"arn:{arn}:s3:::{stage.kb_bucket}/{stage.kb_key}",
            },
            {
                # Mentions and DMs are answered by an asynchronous invocation of the function
                # itself (bot.background through zappa.asynchronous).
                "Sid": "OwnBackgroundAnswers",
                "Effect": "Allow",
                "Action": "lambda:InvokeFunction",
                "Resource": f"arn:{arn}:lambda:{region}:*:function:{stage.function_name}",
            },
        ],
    }


def deployer_policy(stage: Stage) -> dict[str, Any]:
    """What the person (or CI role) deploying `stage` needs: aws-setup, publish, Zappa, doctor.

    Zappa creates the function's role, the API Gateway (through CloudFormation), the schedule
    rules and the log group, so those services are granted on their own resource names where
    AWS allows it and on "*" where it does not (API Gateway and CloudFormation ids are random).
    """
    arn, region = _partition(stage.region), stage.region
    name = stage.function_name
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AwsSetupTable",
                "Effect": "Allow",
                "Action": [
                    "dynamodb:CreateTable",
                    "dynamodb:DescribeTable",
                    "dynamodb:DescribeTimeToLive",
                    "dynamodb:UpdateTimeToLive",
                ],
                "Resource": f"arn:{arn}:dynamodb:{region}:*:table/{stage.table}",
            },
            {
                "Sid": "AwsSetupSecret",
                "Effect": "Allow",
                "Action": [
                    "secretsmanager:CreateSecret",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue",
                ],
                "Resource": f"arn:{arn}:secretsmanager:{region}:*:secret:{stage.secret_id}-*",
            },
            {
                "Sid": "KnowledgeBaseBucket",
                "Effect": "Allow",
                "Action": [
                    "s3:CreateBucket",
                    "s3:GetBucketLocation",
                    "s3:GetBucketVersioning",
                    "s3:PutBucketVersioning",
                    "s3:GetBucketPublicAccessBlock",
                    "s3:PutBucketPublicAccessBlock",
                ],
                "Resource": f"arn:{arn}:s3:::{stage.kb_bucket}",
            },
            {
                "Sid": "PublishKnowledgeBase",
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject"],
                "Resource": f"arn:{arn}:s3:::{stage.kb_bucket}/{stage.kb_key}",
            },
            {
                "Sid": "ZappaUploads",
                "Effect": "Allow",
                "Action": [
                    "s3:CreateBucket",
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:PutObject",
                    "s3:GetObject",
                    "s3:DeleteObject",
                ],
                "Resource": [
                    f"arn:{arn}:s3:::{stage.deploy_bucket}",
                    f"arn:{arn}:s3:::{stage.deploy_bucket}/*",
                ],
            },
            {
                "Sid": "ZappaFunctionRole",
                "Effect": "Allow",
                "Action": [
                    "iam:GetRole",
                    "iam:CreateRole",
                    "iam:PassRole",
                    "iam:PutRolePolicy",
                    "iam:AttachRolePolicy",
                    "iam:GetRolePolicy",
                    "iam:DeleteRolePolicy",
                    "iam:DeleteRole",
                ],
                "Resource": f"arn:{arn}:iam::*:role/{name}-ZappaLambdaExecutionRole",
            },
            {
                "Sid": "ZappaFunction",
                "Effect": "Allow",
                "Action": "lambda:*",
                "Resource": f"arn:{arn}:lambda:{region}:*:function:{name}*",
            },
            {
                "Sid": "ZappaScheduleAndLogs",
                "Effect": "Allow",
                "Action": [
                    "events:PutRule",
                    "events:PutTargets",
                    "events:DescribeRule",
                    "events:ListRules",
                    "events:ListTargetsByRule",
                    "events:ListRuleNamesByTarget",
                    "events:RemoveTargets",
                    "events:DeleteRule",
                    "logs:DescribeLogStreams",
                    "logs:FilterLogEvents",
                    "logs:DeleteLogGroup",
                ],
                "Resource": "*",
            },
            {
                "Sid": "ZappaApiGateway",
                "Effect": "Allow",
                "Action": ["apigateway:*", "cloudformation:*"],
                "Resource": "*",
            },
        ],
    }


def publisher_policy(stage: Stage) -> dict[str, Any]:
    """What the notes repository's workflow needs to publish: writing the stage's KB object."""
    arn = _partition(stage.region)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublishKnowledgeBase",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"arn:{arn}:s3:::{stage.kb_bucket}/{stage.kb_key}",
            }
        ],
    }


def policy_text(policy: dict[str, Any]) -> str:
    return json.dumps(policy, indent=4) + "\n"


def stage_parser(command: str, description: str) -> argparse.ArgumentParser:
    """The parser of a deploy command, `python -m bot <command>`, with --stage and --settings."""
    parser = argparse.ArgumentParser(prog=f"python -m bot {command}", description=description)
    parser.add_argument("--stage", default="dev", help="stage in the settings file (default dev)")
    parser.add_argument(
        "--settings",
        type=Path,
        default=ZAPPA_SETTINGS,
        help="Zappa settings file (default: zappa_settings.json beside bot/)",
    )
    return parser


def chosen_stage(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Stage:
    """The stage the arguments name; a bad one ends the command with one plain line (exit 2)."""
    try:
        return load_stage(args.stage, args.settings)
    except StageError as exc:
        parser.exit(2, f"{parser.prog}: {exc}\n")


def iam_main(argv: list[str]) -> int:
    parser = stage_parser(
        "iam",
        "Print a stage's IAM policies, generated from the settings file; --write rewrites the "
        "function policy files (deploy/iam-<stage>.json) for every stage.",
    )
    # One of: print the function's policy (the default), print another role's, or write the
    # function policy files; --deployer --write had written and silently not printed.
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--deployer", action="store_true", help="the policy the deploying user or role needs"
    )
    what.add_argument(
        "--publisher", action="store_true", help="the policy the notes-publishing role needs"
    )
    what.add_argument(
        "--write", action="store_true", help="rewrite every stage's attach_policy file"
    )
    args = parser.parse_args(argv)
    if args.write:
        try:
            stages = [load_stage(name, args.settings) for name in stage_names(args.settings)]
        except StageError as exc:
            parser.exit(2, f"{parser.prog}: {exc}\n")
        for stage in stages:
            target = args.settings.resolve().parent / stage.policy_file
            target.write_text(policy_text(function_policy(stage)), encoding="utf-8")
            print(f"wrote {target}")
        return 0
    stage = chosen_stage(parser, args)
    make = deployer_policy if args.deployer else function_policy
    sys.stdout.write(policy_text((publisher_policy if args.publisher else make)(stage)))
    return 0


def stage_main(argv: list[str]) -> int:
    parser = stage_parser(
        "stage",
        "Print a stage's values as name=value lines (a GitHub Actions step can append them "
        "to $GITHUB_OUTPUT).",
    )
    stage = chosen_stage(parser, parser.parse_args(argv))
    for name, value in vars(stage).items():
        print(f"{name}={value}")
    return 0

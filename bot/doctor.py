"""`python -m bot doctor --stage dev [--url URL]`: is the deployed stage really working?

Run after `zappa deploy` (and after pasting the URL into the Slack app). It checks, in order,
what a broken deployment usually gets wrong, and prints one line per check:

    [ok]   secret tilbot/dev/slack in ap-northeast-2 has SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET
    [FAIL] table tilbot-dev in ap-northeast-2: ResourceNotFoundException ...

The URL is the one `zappa deploy` printed (with or without /slack/events); without --url it is
looked up in API Gateway under the function's name, as Zappa created it. Exit status 1 when a
check failed, 0 when all passed (warnings included).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.stages import Stage, chosen_stage, stage_parser

TIMEOUT_SECONDS = 15.0  # a cold Lambda answers in well under this
EVENTS_PATH = "/slack/events"


@dataclass
class Check:
    status: str  # "ok", "warn" or "FAIL"
    text: str

    def line(self) -> str:
        return f"[{self.status}]{' ' * (5 - len(self.status))}{self.text}"


def _aws_error(exc: Exception) -> str:
    return f"{_code(exc)}: {_error(exc).get('Message', exc)}"


def _code(exc: Exception) -> str:
    return str(_error(exc).get("Code", type(exc).__name__))


def _error(exc: Exception) -> dict[str, Any]:
    """The Error part of an AWS error response ({} for errors raised before any response)."""
    response = getattr(exc, "response", None) or {}
    return response.get("Error") or {}


# What AWS answers for a resource that was never created: only then is aws-setup the fix
# (a missing credential or a denied right is not).
_MISSING = {"ResourceNotFoundException", "NoSuchBucket", "NoSuchKey", "404", "NotFound"}


def check_credentials() -> Check | None:
    """A FAIL when this shell has no usable AWS credentials (none, or an AWS_PROFILE naming no
    profile): every other check would fail with the same error and a misleading hint."""
    from bot.aws import CREDENTIALS_HINT, NO_CREDENTIALS, credentials_problem

    problem = credentials_problem()
    if problem is None:
        return None
    why = "" if problem == NO_CREDENTIALS else f" ({problem})"
    return Check("FAIL", f"no AWS credentials in this shell{why}: {CREDENTIALS_HINT}")


def check_secret(stage: Stage, clients: dict[str, Any]) -> tuple[Check, dict[str, str]]:
    where = f"secret {stage.secret_id} in {stage.region}"
    try:
        raw = clients["secretsmanager"].get_secret_value(SecretId=stage.secret_id)
        values = json.loads(raw.get("SecretString") or "")
    except ValueError:
        return Check("FAIL", f"{where} is not a JSON object"), {}
    except Exception as exc:
        hint = ""
        if _code(exc) in _MISSING:
            hint = f" (create it: `python -m bot aws-setup --stage {stage.name} --with-secret`)"
        return Check("FAIL", f"{where}: {_aws_error(exc)}{hint}"), {}
    needed = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    missing = [k for k in needed if not (isinstance(values, dict) and values.get(k))]
    if missing:
        return Check("FAIL", f"{where} lacks {', '.join(missing)} (re-run aws-setup)"), {}
    return Check("ok", f"{where} has {', '.join(needed)}"), values


def check_table(stage: Stage, clients: dict[str, Any]) -> Check:
    where = f"table {stage.table} in {stage.region}"
    try:
        table = clients["dynamodb"].describe_table(TableName=stage.table)["Table"]
    except Exception as exc:
        hint = " (run aws-setup)" if _code(exc) in _MISSING else ""
        return Check("FAIL", f"{where}: {_aws_error(exc)}{hint}")
    status = table.get("TableStatus")
    return Check("ok" if status == "ACTIVE" else "FAIL", f"{where} is {status}")


def check_kb(stage: Stage, clients: dict[str, Any]) -> Check:
    try:
        head = clients["s3"].head_object(Bucket=stage.kb_bucket, Key=stage.kb_key)
    except Exception as exc:
        if _code(exc) not in _MISSING:
            return Check("FAIL", f"cannot read {stage.kb_uri}: {_aws_error(exc)}")
        return Check(
            "warn",
            f"no KB published at {stage.kb_uri} ({_aws_error(exc)}): the bot answers from the "
            f"notes bundled in the zip until `python -m bot publish --stage {stage.name}`",
        )
    return Check("ok", f"KB published at {stage.kb_uri} ({head.get('ContentLength', 0)} bytes)")


def check_slack_token(token: str) -> Check:
    from bot.settings import load_settings
    from bot.slack_api import web_client

    try:
        found = web_client(load_settings().slack_api_url, token).auth_test()
    except Exception as exc:
        response = getattr(exc, "response", None)
        if response is None:
            # No answer at all (DNS, a proxy, a firewall): the token was never judged, so
            # rewriting the secret would not help.
            return Check(
                "FAIL",
                f"could not reach Slack to check the bot token ({_reason(exc)}): check this "
                "machine's network (or SLACK_API_URL) and run doctor again",
            )
        return Check(
            "FAIL", f"Slack refused the bot token ({response.get('error')}): re-run aws-setup"
        )
    return Check(
        "ok", f"Slack accepts the bot token (bot {found.get('user')}, {found.get('team')})"
    )


def _reason(exc: BaseException) -> str:
    """What went wrong with a request that got no answer, without urllib's wrapping."""
    return str(getattr(exc, "reason", None) or exc)


def _request(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    """(status, body text) of one HTTP request; (0, reason) when nothing answered."""
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        return 0, _reason(exc)


def check_health(base: str) -> Check:
    status, text = _request(base + "/health")
    if status == 200:
        return Check("ok", f"GET {base}/health answers 200")
    detail = text if status == 0 else f"HTTP {status}: {text[:200]}"
    return Check("FAIL", f"GET {base}/health: {detail}")


def signed_command(
    text: str, signing_secret: str, command: str = "/til"
) -> tuple[bytes, dict[str, str]]:
    """A slash command (`/til`) body and headers, signed as Slack signs them."""
    body = urllib.parse.urlencode(
        {
            "command": command,
            "text": text,
            "team_id": "T0DOCTOR",
            "channel_id": "C0DOCTOR",
            "user_id": "U0DOCTOR",
            "user_name": "tilbot-doctor",
            "response_url": "https://hooks.slack.com/commands/doctor",
            "trigger_id": "doctor",
        }
    ).encode()
    ts = str(int(time.time()))
    digest = hmac.new(signing_secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }
    return body, headers


def check_command(base: str, signing_secret: str, command: str = "/til") -> list[Check]:
    url = base + EVENTS_PATH
    body, headers = signed_command("help", signing_secret, command)
    status, text = _request(url, body, headers)
    try:
        answered = status == 200 and bool(json.loads(text).get("blocks") or command in text)
    except ValueError:
        answered = False
    checks = [
        Check("ok", f"a signed {command} help to {url} is answered")
        if answered
        else Check("FAIL", f"a signed {command} help to {url}: HTTP {status}: {text[:200]}")
    ]
    forged_body, forged_headers = signed_command("help", "not-the-signing-secret", command)
    status, _ = _request(url, forged_body, forged_headers)
    checks.append(
        Check("ok", "a request with a wrong signature is refused (401)")
        if status == 401
        else Check("FAIL", f"a request with a wrong signature got HTTP {status}, not 401")
    )
    return checks


def discover_url(stage: Stage, clients: dict[str, Any]) -> str:
    """The stage's URL from the REST API Zappa named after the function ('' if none)."""
    apis = clients["apigateway"].get_rest_apis(limit=500).get("items", [])
    for api in apis:
        if api.get("name") == stage.function_name:
            suffix = "amazonaws.com.cn" if stage.region.startswith("cn-") else "amazonaws.com"
            return f"https://{api['id']}.execute-api.{stage.region}.{suffix}/{stage.name}"
    return ""


def run(stage: Stage, url: str) -> list[Check]:
    import boto3

    no_credentials = check_credentials()
    if no_credentials:
        return [no_credentials]
    clients = {
        name: boto3.client(name, region_name=stage.region)
        for name in ("secretsmanager", "dynamodb", "s3", "apigateway")
    }
    secret_check, values = check_secret(stage, clients)
    checks = [secret_check, check_table(stage, clients), check_kb(stage, clients)]
    if values:
        checks.append(check_slack_token(values["SLACK_BOT_TOKEN"]))
    else:
        checks.append(
            Check(
                "warn", "the Slack token and a signed /til were not checked: they need the secret"
            )
        )
    if not url:
        try:
            url = discover_url(stage, clients)
        except Exception as exc:
            checks.append(Check("FAIL", f"cannot list API Gateway APIs: {_aws_error(exc)}"))
            return checks
        if not url:
            checks.append(
                Check(
                    "FAIL",
                    f"no API named {stage.function_name} in {stage.region}: run "
                    f"`zappa deploy {stage.name}` or pass --url",
                )
            )
            return checks
    base = url.rstrip("/").removesuffix(EVENTS_PATH)
    checks.append(check_health(base))
    if values:
        checks += check_command(base, values["SLACK_SIGNING_SECRET"], stage.command)
    return checks


def _url(text: str) -> str:
    if text and not text.startswith(("https://", "http://")):
        raise argparse.ArgumentTypeError(
            f"{text!r} is no URL: give it whole, as zappa deploy printed it (https://…)"
        )
    return text


def main(argv: list[str]) -> int:
    parser = stage_parser(
        "doctor",
        "Check a deployed stage: secret, table, KB, Slack token, /health and a signed /til "
        "request. Exit status 1 when a check fails.",
    )
    parser.add_argument(
        "--url", type=_url, default="", help="the URL zappa deploy printed (default: ask AWS)"
    )
    args = parser.parse_args(argv)
    stage = chosen_stage(parser, args)
    print(f"stage {stage.name} ({stage.region}):")
    checks = run(stage, args.url)
    for check in checks:
        print(check.line(), flush=True)
    failed = sum(c.status == "FAIL" for c in checks)
    print("all checks passed" if not failed else f"{failed} check(s) failed")
    return 1 if failed else 0

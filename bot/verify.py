"""Verify, then parse: the gate every HTTP request from Slack passes before Bolt sees it.

Bolt parses a request body (JSON, form, nested payload JSON) when it builds its request object,
before its own signature check; and slack_sdk's check raises on a timestamp that is not a whole
number, which Bolt then hands to our error handler together with the unverified body. So the
HTTP entry point (bot.wsgi) reads a bounded body, checks the timestamp's form and the signature
with slack_sdk's SignatureVerifier, and only then parses, once, to reject payloads whose shape
would crash Bolt or a listener. Nothing here logs a value taken from an unverified request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

# Slack's own requests are a few kB (a block_actions payload carries the message, at most 50
# blocks): a megabyte is generous, and anything larger is refused without being read whole.
MAX_BODY_BYTES = 1 << 20
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # seconds since the epoch, as Slack sends them
# Headers Bolt trusts to mean "run only this lazy listener": they come from our own background
# invocation, never from the internet.
INTERNAL_HEADERS = ("x-slack-bolt-lazy-only", "x-slack-bolt-lazy-function-name")


class TooLarge(Exception):
    """The body is over MAX_BODY_BYTES."""


def read_body(stream: IO[bytes], declared_length: str | None, limit: int = MAX_BODY_BYTES) -> bytes:
    """At most `limit` bytes of a request body; TooLarge past that, without reading the rest."""
    try:
        declared = int(declared_length or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise TooLarge
    # A missing or lying Content-Length: read one byte past the limit to notice.
    data = stream.read(declared if declared > 0 else limit + 1)
    if len(data) > limit:
        raise TooLarge
    return data


def is_signed_by_slack(
    verifier: SignatureVerifier, body: bytes, timestamp: str | None, signature: str | None
) -> bool:
    """True when the body is valid UTF-8, the timestamp is recent and the signature is Slack's."""
    if not timestamp or not signature or not _TIMESTAMP.fullmatch(timestamp):
        return False
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return verifier.is_valid(body=text, timestamp=timestamp, signature=signature)


def payload_problem(body: str, content_type: str | None) -> str | None:
    """Why a verified body cannot be handled (None when it can): parsed the way Bolt will."""
    try:
        payload = parse_body(body, content_type)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        return f"unparsable body ({type(exc).__name__})"
    if not isinstance(payload, dict):
        return f"payload is a JSON {type(payload).__name__}, not an object"
    return shape_problem(payload)


# Fields Bolt or our listeners index into, and the JSON types they must have when present.
_OBJECT_OR_STRING = ("user", "team", "channel", "enterprise")
_OBJECT = ("event", "container", "view", "message", "state")


def shape_problem(payload: Mapping[str, Any]) -> str | None:
    for name in _OBJECT:
        if name in payload and not isinstance(payload[name], dict):
            return f"'{name}' is not an object"
    for name in _OBJECT_OR_STRING:
        value = payload.get(name)
        if value is not None and not isinstance(value, (dict, str)):
            return f"'{name}' is neither an object nor a string"
    event = payload.get("event")
    if isinstance(event, dict) and not isinstance(event.get("type", ""), str):
        return "'event.type' is not a string"
    if "authorizations" in payload and not _list_of_objects(payload["authorizations"]):
        return "'authorizations' is not a list of objects"
    if payload.get("type") == "block_actions" or "actions" in payload:
        actions = payload.get("actions")
        if not _list_of_objects(actions) or not actions:
            return "'actions' is not a non-empty list of objects"
    return None


def _list_of_objects(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def loggable(value: object, limit: int = 80) -> str:
    """A value from a request, safe for a log line: no newlines or control characters, short."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= limit else escaped[:limit] + "…"

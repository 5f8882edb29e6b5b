"""Reading a Slack request body: who acted, where, on what kind of surface, and a log line.

Every listener reads bodies the same way, from here: slash commands, events and interactivity
payloads name the same things differently (`user_id` or `user.id`, `channel_id` or `channel`).
"""

from __future__ import annotations

from typing import Any

from bot.verify import loggable


def is_ephemeral(body: dict[str, Any]) -> bool:
    return bool(body.get("container", {}).get("is_ephemeral"))


def in_view(body: dict[str, Any]) -> bool:
    """A click in the Home tab or a modal (no response_url to answer with)."""
    return body.get("container", {}).get("type") == "view" or not body.get("response_url")


def channel_of(body: dict[str, Any]) -> str:
    channel = body.get("channel")
    if isinstance(channel, dict):
        return str(channel.get("id") or "")
    return str(body.get("channel_id") or channel or "")


def user_of(body: dict[str, Any]) -> str:
    """The acting user's id: `user.id` in interactivity payloads, `user_id` in slash commands."""
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(body.get("user_id") or user or "")


def check_sent(response: Any) -> None:
    """response_url calls do not raise on failure; make them, so the error handler sees it."""
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise RuntimeError(f"response_url answered {status}: {getattr(response, 'body', '')!r}")


# Subtypes a person's own new message has: a question sent with a screenshot (file_share), or
# a thread reply also sent to the channel (thread_broadcast).
_ASKED = frozenset({"file_share", "thread_broadcast"})


def ignorable(event: dict[str, Any]) -> bool:
    """Bots (ourselves included), edits, joins and other subtypes never get an answer."""
    subtype = event.get("subtype")
    return bool(
        event.get("bot_id") or (subtype and subtype not in _ASKED) or event.get("bot_profile")
    )


def describe(body: object) -> str:
    """Identifiers of a request for logs: what, who, where — no message text, no tokens, each
    value escaped (a newline in a field must not forge a log line) and cut short."""
    if not isinstance(body, dict):
        return "body=?"
    event: dict[str, Any] = body["event"] if isinstance(body.get("event"), dict) else {}
    actions: list[Any] = body["actions"] if isinstance(body.get("actions"), list) else []
    parts = {
        "type": body.get("type") or ("slash_command" if body.get("command") else None),
        "command": body.get("command"),
        "event": event.get("type"),
        "event_id": body.get("event_id"),
        "action": ",".join(str(a.get("action_id", "")) for a in actions if isinstance(a, dict)),
        "team": body.get("team_id") or _nested_id(body.get("team")),
        "user": body.get("user_id") or event.get("user") or user_of(body) or None,
        "channel": body.get("channel_id")
        or event.get("channel")
        or _nested_id(body.get("channel")),
    }
    return " ".join(f"{k}={loggable(v, 40)}" for k, v in parts.items() if v)


def _nested_id(value: object) -> str | None:
    return value.get("id") if isinstance(value, dict) else None

"""The Store on one DynamoDB table (on-demand): what the bot remembers on Lambda.

Single-table layout, keys `pk` / `sk` (both strings):

    pk                  sk            attributes
    EVENT#<event id>    -             expires_at (the table's TTL attribute)
    SUBSCRIPTION        <channel>     created_at
    CHANNEL#<channel>   STATE         cycle, shown (list), day, day_state, claimed_at
    ENTRY#<entry id>    VOTE#<user>   vote (+1 / -1)
    ENTRY#<entry id>    COUNTS        up, down

Every check-then-write is one conditional write, so two Lambda invocations racing on the same
event or the same channel-day cannot both win. The low-level client (not boto3.resource) keeps
cold starts short. The endpoint comes from boto3 itself (AWS_ENDPOINT_URL), never from here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from bot.store import CLAIM_LEASE_SECONDS, Claim, Rotation
from bot.verify import loggable

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

TTL_ATTRIBUTE = "expires_at"
_VOTE_TRIES = 5
_SUBSCRIPTIONS = "SUBSCRIPTION"
_STATE = "STATE"
_COUNTS = "COUNTS"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float) -> dict[str, str]:
    return {"N": str(int(value)) if float(value).is_integer() else repr(value)}


class DynamoStore:
    def __init__(
        self,
        table: str,
        client: Any = None,
        clock: Callable[[], float] = time.time,
        region: str | None = None,
    ) -> None:
        self.table = table
        self._client = client
        self._region = region
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> DynamoStore:
        return cls(settings.til_table, region=settings.aws_region or None)

    @property
    def _db(self) -> Any:
        # Created on first use: a /til answer never touches the store, so a cold start that
        # only answers a question does not pay for building a DynamoDB client.
        if self._client is None:
            import boto3

            self._client = boto3.client("dynamodb", region_name=self._region)
        return self._client

    @staticmethod
    def _failed_condition(exc: Exception, code: str = "ConditionalCheckFailedException") -> bool:
        response = getattr(exc, "response", None) or {}
        return response.get("Error", {}).get("Code") == code

    def _put_new(self, item: dict[str, Any], condition: str, values: dict[str, Any]) -> bool:
        try:
            self._db.put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression=condition,
                **({"ExpressionAttributeValues": values} if values else {}),
            )
        except ClientError as exc:
            if self._failed_condition(exc):
                return False
            raise
        return True

    # -- Slack event dedupe ------------------------------------------------------------------

    def claim_event(self, event_id: str, ttl_seconds: int = 3600) -> bool:
        now = self._clock()
        # DynamoDB deletes expired items lazily (up to days later), so an expired item that is
        # still there must count as absent.
        return self._put_new(
            {
                "pk": _s(f"EVENT#{event_id}"),
                "sk": _s("-"),
                TTL_ATTRIBUTE: _n(int(now + ttl_seconds)),
            },
            f"attribute_not_exists(pk) OR {TTL_ATTRIBUTE} <= :now",
            {":now": _n(int(now))},
        )

    def release_event(self, event_id: str) -> None:
        self._db.delete_item(
            TableName=self.table, Key={"pk": _s(f"EVENT#{event_id}"), "sk": _s("-")}
        )

    # -- daily-tip subscriptions -------------------------------------------------------------

    def subscribe(self, channel: str) -> bool:
        return self._put_new(
            {"pk": _s(_SUBSCRIPTIONS), "sk": _s(channel), "created_at": _n(int(self._clock()))},
            "attribute_not_exists(pk)",
            {},
        )

    def unsubscribe(self, channel: str) -> bool:
        old = self._db.delete_item(
            TableName=self.table,
            Key={"pk": _s(_SUBSCRIPTIONS), "sk": _s(channel)},
            ReturnValues="ALL_OLD",
        )
        return bool(old.get("Attributes"))

    def subscriptions(self) -> list[str]:
        channels: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": _s(_SUBSCRIPTIONS)},
            "ProjectionExpression": "sk",
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            channels.extend(item["sk"]["S"] for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return channels
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # -- per-channel rotation and posted day -------------------------------------------------

    @staticmethod
    def _channel_key(channel: str) -> dict[str, Any]:
        return {"pk": _s(f"CHANNEL#{channel}"), "sk": _s(_STATE)}

    def get_rotation(self, channel: str) -> Rotation:
        item = self._db.get_item(
            TableName=self.table, Key=self._channel_key(channel), ConsistentRead=True
        ).get("Item")
        if not item or "cycle" not in item:
            return Rotation()
        return Rotation(
            cycle=int(item["cycle"]["N"]),
            shown=[v["S"] for v in item.get("shown", {}).get("L", [])],
        )

    @staticmethod
    def _rotation_values(rotation: Rotation) -> dict[str, Any]:
        return {
            ":cycle": _n(rotation.cycle),
            ":shown": {"L": [_s(entry_id) for entry_id in rotation.shown]},
        }

    def save_rotation(self, channel: str, rotation: Rotation) -> None:
        self._db.update_item(
            TableName=self.table,
            Key=self._channel_key(channel),
            UpdateExpression="SET #cycle = :cycle, shown = :shown",
            ExpressionAttributeNames={"#cycle": "cycle"},
            ExpressionAttributeValues=self._rotation_values(rotation),
        )

    def claim_day(self, channel: str, day: str) -> Claim:
        now = self._clock()
        try:
            old = self._db.update_item(
                TableName=self.table,
                Key=self._channel_key(channel),
                UpdateExpression="SET #day = :day, day_state = :pending, claimed_at = :now",
                ConditionExpression=(
                    "attribute_not_exists(#day) OR #day <> :day OR day_state = :unsure"
                    " OR (day_state = :pending AND claimed_at < :stale)"
                ),
                ExpressionAttributeNames={"#day": "day"},
                ExpressionAttributeValues={
                    ":day": _s(day),
                    ":pending": _s("pending"),
                    ":unsure": _s("unsure"),
                    ":now": _n(now),
                    ":stale": _n(now - CLAIM_LEASE_SECONDS),
                },
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if self._failed_condition(exc):
                return Claim.TAKEN
            raise
        before = old.get("Attributes", {}).get("day", {}).get("S")
        return Claim.RECHECK if before == day else Claim.FRESH

    def release_day(self, channel: str, day: str, *, unsure: bool = False) -> None:
        try:
            self._db.update_item(
                TableName=self.table,
                Key=self._channel_key(channel),
                UpdateExpression=(
                    "SET day_state = :unsure" if unsure else "REMOVE #day, day_state, claimed_at"
                ),
                ConditionExpression="#day = :day AND day_state = :pending",
                ExpressionAttributeNames={"#day": "day"},
                ExpressionAttributeValues={
                    ":day": _s(day),
                    ":pending": _s("pending"),
                    **({":unsure": _s("unsure")} if unsure else {}),
                },
            )
        except ClientError as exc:
            if not self._failed_condition(exc):
                raise
            # Already confirmed, or taken over by a later run: not ours to undo.

    def confirm_day(self, channel: str, day: str, rotation: Rotation) -> None:
        self._db.update_item(
            TableName=self.table,
            Key=self._channel_key(channel),
            UpdateExpression=(
                "SET #cycle = :cycle, shown = :shown, #day = :day, day_state = :posted"
            ),
            ExpressionAttributeNames={"#cycle": "cycle", "#day": "day"},
            ExpressionAttributeValues={
                **self._rotation_values(rotation),
                ":day": _s(day),
                ":posted": _s("posted"),
            },
        )

    # -- feedback ----------------------------------------------------------------------------

    def add_feedback(self, entry_id: str, user: str, vote: int) -> tuple[int, int]:
        vote = 1 if vote > 0 else -1
        pk = _s(f"ENTRY#{entry_id}")
        vote_key = {"pk": pk, "sk": _s(f"VOTE#{user}")}
        # The vote and the counts change in one transaction, conditional on the vote read just
        # before; a concurrent click by the same user cancels it and we re-read and retry.
        for _ in range(_VOTE_TRIES):
            old_item = self._db.get_item(
                TableName=self.table, Key=vote_key, ConsistentRead=True
            ).get("Item")
            old = int(old_item["vote"]["N"]) if old_item else 0
            if old == vote:
                break
            up = (vote > 0) - (old > 0)
            down = (vote < 0) - (old < 0)
            if old_item:
                condition = {
                    "ConditionExpression": "vote = :old",
                    "ExpressionAttributeValues": {":old": _n(old)},
                }
            else:
                condition = {"ConditionExpression": "attribute_not_exists(pk)"}
            try:
                self._db.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": self.table,
                                "Item": {**vote_key, "vote": _n(vote)},
                                **condition,
                            }
                        },
                        {
                            "Update": {
                                "TableName": self.table,
                                "Key": {"pk": pk, "sk": _s(_COUNTS)},
                                "UpdateExpression": "ADD up :up, down :down",
                                "ExpressionAttributeValues": {":up": _n(up), ":down": _n(down)},
                            }
                        },
                    ]
                )
                break
            except ClientError as exc:
                if self._failed_condition(exc, "TransactionCanceledException"):
                    continue
                raise
        else:
            log.warning(
                "vote on %s by %s not recorded: %d concurrent changes in a row",
                loggable(entry_id),
                loggable(user),
                _VOTE_TRIES,
            )
        return self.feedback(entry_id)

    def feedback(self, entry_id: str) -> tuple[int, int]:
        item = self._db.get_item(
            TableName=self.table,
            Key={"pk": _s(f"ENTRY#{entry_id}"), "sk": _s(_COUNTS)},
            ConsistentRead=True,
        ).get("Item")
        if not item:
            return (0, 0)
        return int(item.get("up", {"N": "0"})["N"]), int(item.get("down", {"N": "0"})["N"])

"""The Store on one DynamoDB table (on-demand): what the bot remembers on Lambda.

Single-table layout, keys `pk` / `sk` (both strings):

    pk                  sk            attributes
    EVENT#<event id>    -             expires_at (the table's TTL attribute)
    SUBSCRIPTION        <channel>     created_at
    CHANNEL#<channel>   STATE         cycle, shown (list), day, day_state, claimed_at
    CHANNEL#random:<user>   STATE     cycle, shown: the tips /til random has shown that user
    ENTRY#<entry id>    VOTE#<user>   vote (+1 / -1)
    ENTRY#<entry id>    COUNTS        up, down
    QUESTION#<yyyy-mm>  <day>#<dedupe>   at, query, normalized, channel, outcome, entry_id,
                                         expires_at (TTL: 90 days)
    WEEK#<week>         TOTALS        asked, answered, up, down, expires_at (TTL)
    WEEK#<week>         QUERY#<normalized query>   n, asked, answered, example, expires_at (TTL)
    CHOICE#<normalized query>   <voter>#<entry id>   entry_id, vote (+1 picked / -1 voted down)
    SAVED               <note id>     title, body, author, tags (list), author_name, channel, ts,
                                      permalink, created_at, updated_at, pull_request
    SAVED_VERSION       -             n (bumped in the same transaction as every note change)
    SAVE_QUOTA#<user>   <window>      n, expires_at (TTL: the window's end)

A question is counted in one write: a logged one in its query's item (n, and asked / answered,
which the week's numbers add to TOTALS'), one without text (the question log off) in TOTALS.
Query items written before that change have no asked / answered: those questions were counted
in TOTALS as well, so nothing is counted twice.

Questions are partitioned by month (UTC) so that no partition grows without bound and "the last
30 days" is one or two queries. A dedupe key and day in the sort key make logging idempotent.

Every check-then-write is one conditional write, so two Lambda invocations racing on the same
event or the same channel-day cannot both win. Calls go through bot.aws.DynamoClient (signed
requests in the low-level client's shapes; a boto3 client would cost a cold /til ~90 ms), or any
boto3 DynamoDB client passed in. The endpoint follows botocore's rules (AWS_ENDPOINT_URL).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from bot.store import (
    CLAIM_LEASE_SECONDS,
    QUESTION_TTL_SECONDS,
    ChoiceCounts,
    Claim,
    Outcome,
    Question,
    Rotation,
    SavedNote,
    WeekStats,
    utc_day,
)
from bot.verify import loggable

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

TTL_ATTRIBUTE = "expires_at"
_VOTE_TRIES = 5
_SUBSCRIPTIONS = "SUBSCRIPTION"
_STATE = "STATE"
_COUNTS = "COUNTS"
_TOTALS = "TOTALS"
_QUERY = "QUERY#"
_SAVED = "SAVED"
_SAVED_VERSION = {"pk": {"S": "SAVED_VERSION"}, "sk": {"S": "-"}}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float) -> dict[str, str]:
    return {"N": str(int(value)) if float(value).is_integer() else repr(value)}


def _month(at: float) -> tuple[int, int]:
    t = time.gmtime(at)
    return t.tm_year, t.tm_mon


def _months(since: float, until: float) -> list[str]:
    """The question partitions covering [since, until]: one per UTC month."""
    (year, month), last = _month(since), _month(until)
    out = []
    while (year, month) <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class DynamoStore:
    remote = True

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
        # Created on first use, and not a boto3 client: see bot.aws.DynamoClient.
        if self._client is None:
            from bot.aws import dynamodb_client

            self._client = dynamodb_client(self._region or "")
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

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs = {"TableName": self.table, "ConsistentRead": True, **kwargs}
        while True:
            page = self._db.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # -- the question log and the week's numbers ---------------------------------------------

    def log_question(self, question: Question, dedupe: str) -> bool:
        day = utc_day(question.at)
        return self._put_new(
            {
                "pk": _s(f"QUESTION#{day[:7]}"),
                "sk": _s(f"{day}#{dedupe}"),
                "at": _n(question.at),
                "query": _s(question.query),
                "normalized": _s(question.normalized),
                "channel": _s(question.channel),
                "outcome": _s(str(question.outcome)),
                "entry_id": _s(question.entry_id),
                TTL_ATTRIBUTE: _n(int(self._clock() + QUESTION_TTL_SECONDS)),
            },
            "attribute_not_exists(pk)",
            {},
        )

    def questions(self, since: float) -> list[Question]:
        now = self._clock()
        found: list[Question] = []
        for month in _months(since, now):
            for item in self._query_all(
                KeyConditionExpression="pk = :pk AND sk >= :day",
                ExpressionAttributeValues={
                    ":pk": _s(f"QUESTION#{month}"),
                    ":day": _s(utc_day(since)),
                },
            ):
                at = float(item["at"]["N"])
                # TTL deletes lazily (up to days late): an expired item counts as gone.
                if at < since or float(item[TTL_ATTRIBUTE]["N"]) <= now:
                    continue
                found.append(
                    Question(
                        query=item["query"]["S"],
                        normalized=item["normalized"]["S"],
                        channel=item["channel"]["S"],
                        at=at,
                        outcome=Outcome(item["outcome"]["S"]),
                        entry_id=item["entry_id"]["S"],
                    )
                )
        return sorted(found, key=lambda q: q.at)

    def _add(self, pk: str, sk: str, counters: dict[str, int], **fixed: str) -> None:
        """ADD to counters on one item, setting the TTL (and `fixed` strings) on first write."""
        names = {f"#c{i}": name for i, name in enumerate(counters)}
        values: dict[str, Any] = {f":c{i}": _n(v) for i, v in enumerate(counters.values())}
        sets = [f"{TTL_ATTRIBUTE} = if_not_exists({TTL_ATTRIBUTE}, :expires)"]
        values[":expires"] = _n(int(self._clock() + QUESTION_TTL_SECONDS))
        for i, (name, value) in enumerate(fixed.items()):
            names[f"#f{i}"] = name
            values[f":f{i}"] = _s(value)
            sets.append(f"#f{i} = if_not_exists(#f{i}, :f{i})")
        adds = ", ".join(f"#c{i} :c{i}" for i in range(len(counters)))
        self._db.update_item(
            TableName=self.table,
            Key={"pk": _s(pk), "sk": _s(sk)},
            UpdateExpression=f"ADD {adds} SET {', '.join(sets)}",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def count_question(
        self, week: str, *, answered: bool, normalized: str = "", query: str = ""
    ) -> None:
        # One request per question, on the /til path (see the module's summary).
        counted = {"asked": 1, "answered": int(answered)}
        if normalized:
            self._add(f"WEEK#{week}", _QUERY + normalized, {"n": 1, **counted}, example=query)
        else:
            self._add(f"WEEK#{week}", _TOTALS, counted)

    def count_vote(self, week: str, vote: int) -> None:
        self._add(f"WEEK#{week}", _TOTALS, {"up" if vote > 0 else "down": 1})

    def week_stats(self, week: str, top: int = 5) -> WeekStats:
        now = self._clock()
        items = self._query_all(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(f"WEEK#{week}")},
        )
        stats = WeekStats()
        queries: list[tuple[int, str, str]] = []
        for item in items:
            if float(item.get(TTL_ATTRIBUTE, {"N": "inf"})["N"]) <= now:
                continue

            def number(name: str, item: dict[str, Any] = item) -> int:
                return int(item.get(name, {"N": "0"})["N"])

            stats.asked += number("asked")
            stats.answered += number("answered")
            if item["sk"]["S"] == _TOTALS:
                stats.up, stats.down = number("up"), number("down")
            else:
                normalized = item["sk"]["S"].removeprefix(_QUERY)
                queries.append((-number("n"), normalized, item["example"]["S"]))
        stats.top_queries = [(example, -n) for n, _, example in sorted(queries)[:top]]
        return stats

    # -- learned choices ---------------------------------------------------------------------

    def record_choice(self, normalized: str, entry_id: str, voter: str, vote: int) -> None:
        self._db.put_item(
            TableName=self.table,
            Item={
                "pk": _s(f"CHOICE#{normalized}"),
                "sk": _s(f"{voter}#{entry_id}"),
                "entry_id": _s(entry_id),
                "vote": _n(1 if vote > 0 else -1),
            },
        )

    def choices(self, normalized: str) -> dict[str, ChoiceCounts]:
        counts: dict[str, ChoiceCounts] = {}
        for item in self._query_all(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(f"CHOICE#{normalized}")},
        ):
            entry = counts.setdefault(item["entry_id"]["S"], ChoiceCounts())
            if int(item["vote"]["N"]) > 0:
                entry.picked += 1
            else:
                entry.lowered += 1
        return counts

    # -- notes saved from Slack --------------------------------------------------------------

    def _note_change(self, change: dict[str, Any]) -> None:
        """A note written or deleted together with the version bump, in one transaction."""
        self._db.transact_write_items(
            TransactItems=[
                change,
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": _SAVED_VERSION,
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": _n(1)},
                    }
                },
            ]
        )

    def put_note(self, note: SavedNote) -> None:
        item = {
            "pk": _s(_SAVED),
            "sk": _s(note.id),
            "title": _s(note.title),
            "body": _s(note.body),
            "author": _s(note.author),
            "tags": {"L": [_s(t) for t in note.tags]},
            "author_name": _s(note.author_name),
            "channel": _s(note.channel),
            "ts": _s(note.ts),
            "permalink": _s(note.permalink),
            "created_at": _n(note.created_at),
            "updated_at": _n(note.updated_at),
            "pull_request": _s(note.pull_request),
        }
        self._note_change({"Put": {"TableName": self.table, "Item": item}})

    @staticmethod
    def _note(item: dict[str, Any]) -> SavedNote:
        def text(name: str) -> str:
            return str(item.get(name, {}).get("S", ""))

        return SavedNote(
            id=item["sk"]["S"],
            title=text("title"),
            body=text("body"),
            author=text("author"),
            tags=[t["S"] for t in item.get("tags", {}).get("L", [])],
            author_name=text("author_name"),
            channel=text("channel"),
            ts=text("ts"),
            permalink=text("permalink"),
            created_at=float(item.get("created_at", {"N": "0"})["N"]),
            updated_at=float(item.get("updated_at", {"N": "0"})["N"]),
            pull_request=text("pull_request"),
        )

    def get_note(self, note_id: str) -> SavedNote | None:
        item = self._db.get_item(
            TableName=self.table,
            Key={"pk": _s(_SAVED), "sk": _s(note_id)},
            ConsistentRead=True,
        ).get("Item")
        return self._note(item) if item else None

    def saved_notes(self) -> list[SavedNote]:
        notes = [
            self._note(item)
            for item in self._query_all(
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": _s(_SAVED)},
            )
        ]
        return sorted(notes, key=lambda n: (n.created_at, n.id))

    def delete_note(self, note_id: str) -> bool:
        try:
            self._note_change(
                {
                    "Delete": {
                        "TableName": self.table,
                        "Key": {"pk": _s(_SAVED), "sk": _s(note_id)},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                }
            )
        except ClientError as exc:
            if self._failed_condition(exc, "TransactionCanceledException"):
                return False
            raise
        return True

    def notes_version(self) -> int:
        item = self._db.get_item(TableName=self.table, Key=_SAVED_VERSION, ConsistentRead=True).get(
            "Item"
        )
        return int(item["n"]["N"]) if item else 0

    def claim_save(self, user: str, limit: int, window_seconds: int) -> bool:
        now = self._clock()
        slot = int(now // window_seconds)
        try:
            self._db.update_item(
                TableName=self.table,
                Key={"pk": _s(f"SAVE_QUOTA#{user}"), "sk": _s(str(slot))},
                UpdateExpression="ADD n :one SET #ttl = :expires",
                # An item of an earlier window that TTL has not deleted yet is another key.
                ConditionExpression="attribute_not_exists(n) OR n < :limit",
                ExpressionAttributeNames={"#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":one": _n(1),
                    ":limit": _n(limit),
                    ":expires": _n((slot + 1) * window_seconds),
                },
            )
        except ClientError as exc:
            if self._failed_condition(exc):
                return False
            raise
        return True

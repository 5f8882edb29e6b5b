"""The deployed path, end to end: API Gateway / EventBridge event → Zappa's handler → our app.

Each "container" is a fresh Python process running `zappa.handler.lambda_handler` with the
zappa_settings.py Zappa generates for the dev stage, so the stage's environment (TIL_STATE=
dynamodb, TIL_TABLE, SLACK_SECRET_ID, TIL_KB_URI) is exactly what gets deployed. AWS is a moto
server reached over HTTP (AWS_ENDPOINT_URL), Slack the fake Slack server (SLACK_API_URL).
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from bot import learning, messages
from bot.aws_setup import set_up
from bot.dynamo_store import DynamoStore
from bot.publish import publish_kb
from bot.stages import load_stage
from bot.store import Outcome, Question, SavedNote
from knowledge import artifact, load_index
from knowledge.loader import build_kb
from tests.aws_fixtures import (
    api_gateway_event,
    keep_warm_event,
    lambda_env,
    run_container,
    scheduled_event,
    signed_event,
    slash_command_event,
    use_moto,
    write_zappa_settings,
)
from tests.fake_lambda import FakeLambda
from tests.fake_slack import BOT_USER_ID, FakeSlack, SlackSide, SlackSigner, mention_event

SIGNING_SECRET = "lambda-test-signing-secret"
STAGE = load_stage("dev")
DAILY = "2024-09-02T00:00:00Z"  # Monday 09:00 in Seoul


@pytest.fixture(scope="module")
def task_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("var-task")
    write_zappa_settings(root, "dev")
    return root


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack) -> Iterator[dict[str, str]]:
    """The dev stage's AWS resources, created fresh in moto under the names the stage uses."""
    endpoint = use_moto(monkeypatch)
    ddb = boto3.client("dynamodb", region_name=STAGE.region)
    if STAGE.table in ddb.list_tables()["TableNames"]:
        ddb.delete_table(TableName=STAGE.table)
    set_up(STAGE, {"SLACK_BOT_TOKEN": fake_slack.token, "SLACK_SIGNING_SECRET": SIGNING_SECRET})
    publish_kb(artifact.dumps(build_kb()), STAGE.kb_uri, STAGE.region)
    yield lambda_env({"AWS_ENDPOINT_URL": endpoint, "SLACK_API_URL": fake_slack.url})


def dynamo() -> DynamoStore:
    return DynamoStore(STAGE.table, boto3.client("dynamodb", region_name=STAGE.region))


def test_til_command_through_api_gateway_is_answered_in_the_response(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    event = slash_command_event("docker", SIGNING_SECRET, fake_slack.response_url("cmd"))
    outcome = run_container(task_root, [event], deployed)
    response = outcome["results"][0]["result"]
    assert response["statusCode"] == 200, outcome["log"][-3000:]
    reply = json.loads(response["body"])
    header = next(b for b in reply["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "Docker"
    assert "컨테이너" in json.dumps(reply, ensure_ascii=False)
    assert fake_slack.records == []  # answered inside the HTTP response, no extra Slack call


def test_a_cold_til_answers_with_what_people_chose_and_saved_and_is_counted_before_it_returns(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    """A question's store calls (the saved notes, people's choices, the week's count) travel
    side by side; each shows in the answers, and the count is in the table once the handler
    returns (the runner exits at once, as a container is frozen after the response)."""
    store = dynamo()
    found = load_index().search("docker", limit=3)  # the notes the stage's KB is built from
    chosen = found.matches[1].entry
    for voter in ("U0CAROL", "U0DAVE"):  # two people picked it: it comes first
        store.record_choice(
            learning.normalised(found.terms), chosen.id, learning.voter_key(voter), 1
        )
    title = "docker buildx로 멀티 아키텍처 이미지 만들기"  # saved from Slack, not in the KB yet
    store.put_note(
        SavedNote("n1", title, "`docker buildx build --platform linux/amd64,linux/arm64`", "U0BOB")
    )
    weeks = {learning.week_of(time.time())}
    questions = ["docker", "buildx 멀티 아키텍처"]
    events = [slash_command_event(q, SIGNING_SECRET, fake_slack.response_url()) for q in questions]
    outcome = run_container(task_root, events, deployed)
    weeks.add(learning.week_of(time.time()))

    replies = [json.loads(r["result"]["body"]) for r in outcome["results"]]
    headers = [next(b for b in r["blocks"] if b["type"] == "header") for r in replies]
    assert [h["text"]["text"] for h in headers] == [chosen.title, title], outcome["log"][-3000:]
    assert messages.get("ko").learned_choice in json.dumps(replies[0], ensure_ascii=False)
    counted = [store.week_stats(week) for week in weeks]
    assert sum(s.asked for s in counted) == 2 and sum(s.answered for s in counted) == 2


@pytest.mark.parametrize("problem", ["missing", "not JSON", "unreachable"])
def test_a_cold_til_whose_secret_cannot_be_read_gets_a_clear_503_and_so_does_the_next(
    problem: str, task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    """The secret is read while the modules import; when that read fails, the request gets
    what it got before that: 503 naming the secret and why, no traceback, nothing sent."""
    sm = boto3.client("secretsmanager", region_name=STAGE.region)
    env = dict(deployed)
    if problem == "missing":
        sm.delete_secret(SecretId=STAGE.secret_id, ForceDeleteWithoutRecovery=True)
    elif problem == "not JSON":
        sm.put_secret_value(SecretId=STAGE.secret_id, SecretString=SIGNING_SECRET)
    else:
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"  # nothing listens there
    event = slash_command_event("docker", SIGNING_SECRET, fake_slack.response_url())
    outcome = run_container(task_root, [event, event], env)
    for result in outcome["results"]:
        response = result["result"]
        assert response["statusCode"] == 503, outcome["log"][-3000:]
        error = json.loads(response["body"])["error"]
        assert STAGE.secret_id in error
        assert {"missing": "ResourceNotFound", "not JSON": "JSON object"}.get(
            problem, "unreachable"
        ) in error
        assert SIGNING_SECRET not in error
    assert "Traceback" not in outcome["log"]
    assert fake_slack.records == []


@pytest.mark.parametrize("damage", ["truncated", "old JSON"])
def test_a_broken_published_kb_is_one_log_line_and_the_bundled_kb_answers(
    damage: str, task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    good = artifact.dumps(build_kb())
    broken = good[: len(good) // 2] if damage == "truncated" else build_kb().to_json().encode()
    publish_kb(broken, STAGE.kb_uri, STAGE.region)
    event = slash_command_event("docker", SIGNING_SECRET, fake_slack.response_url("cmd"))
    outcome = run_container(task_root, [event], deployed)
    response = outcome["results"][0]["result"]
    assert response["statusCode"] == 200, outcome["log"][-3000:]
    header = next(b for b in json.loads(response["body"])["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "Docker"
    said = [line for line in outcome["log"].splitlines() if "answering from the bundled" in line]
    assert len(said) == 1 and STAGE.kb_uri in said[0], outcome["log"][-3000:]
    assert "Traceback" not in outcome["log"]


def test_a_forged_request_is_rejected(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    event = slash_command_event("docker", "not-the-signing-secret", fake_slack.response_url())
    outcome = run_container(task_root, [event], deployed)
    response = outcome["results"][0]["result"]
    assert response["statusCode"] == 401
    assert "Docker" not in (response.get("body") or "")


def test_a_malformed_timestamp_gets_401_through_zappa_and_the_bot_sends_nothing(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    side = SlackSide(None, SlackSigner(SIGNING_SECRET), fake_slack)
    payload = side.action_payload("til_vote_up", "x", response_url=fake_slack.response_url("evil"))
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": "abc",
        "X-Slack-Signature": "v0=x",
    }
    outcome = run_container(task_root, [api_gateway_event(body, headers)], deployed)
    assert outcome["results"][0]["result"]["statusCode"] == 401
    assert fake_slack.records == []


def test_scheduled_tip_is_posted_once_however_often_the_event_arrives(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    dynamo().subscribe("C0DAILY")
    tick = scheduled_event("bot.tips.daily", DAILY)

    # One container gets the event twice (EventBridge redelivery), plus a keep-warm ping.
    first = run_container(task_root, [tick, keep_warm_event(), tick], deployed)
    assert [r["error"] for r in first["results"]] == [None, None, None], first["log"][-3000:]
    assert first["results"][0]["result"]["C0DAILY"].startswith("posted:")
    assert first["results"][2]["result"] == {"C0DAILY": "already-posted"}

    # A Lambda retry lands on a fresh container: still nothing new.
    retry = run_container(task_root, [tick], deployed)
    assert retry["results"][0]["result"] == {"C0DAILY": "already-posted"}

    tips = [c for c in fake_slack.posted() if c.method == "chat.postMessage"]
    assert len(tips) == 1
    assert tips[0].body["channel"] == "C0DAILY"
    assert tips[0].token == fake_slack.token  # the token came from Secrets Manager
    assert "오늘의 TIL" in tips[0].text()  # the stage speaks Korean (TIL_LANG=ko)

    # The next weekday brings the next tip.
    tuesday = scheduled_event("bot.tips.daily", "2024-09-03T00:00:00Z")
    run_container(task_root, [tuesday], deployed)
    tips = [c for c in fake_slack.posted() if c.method == "chat.postMessage"]
    assert len(tips) == 2 and tips[0].body["text"] != tips[1].body["text"]


def test_a_tip_run_that_could_not_post_fails_so_lambda_retries_it(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    dynamo().subscribe("C0DAILY")
    tick = scheduled_event("bot.tips.daily", DAILY)
    fake_slack.fail("chat.postMessage", "internal_error")
    failed = run_container(task_root, [tick], deployed)
    assert (failed["results"][0]["error"] or "").startswith("DailyTipIncomplete")

    fake_slack.clear_failures()  # Lambda retries the asynchronous invocation
    retried = run_container(task_root, [tick, tick], deployed)
    assert [r["error"] for r in retried["results"]] == [None, None]
    assert retried["results"][0]["result"]["C0DAILY"].startswith("posted:")
    assert retried["results"][1]["result"] == {"C0DAILY": "already-posted"}
    assert len([c for c in fake_slack.posted() if c.method == "chat.postMessage"]) == 1


def test_weekly_digest_runs_on_its_own_schedule_once_a_week(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack
) -> None:
    store = dynamo()
    store.subscribe("C0DAILY")
    monday = "2024-09-02T00:00:00Z"
    for user in ("U1", "U2"):
        question = Question("주말 날씨", "주말 날씨", "C0DEV", time.time(), Outcome.UNANSWERED)
        store.log_question(question, user)
    digest = scheduled_event("bot.digest.weekly", monday, "tilbot-dev-weekly_digest")
    tip = scheduled_event("bot.tips.daily", monday)
    outcome = run_container(task_root, [digest, tip, digest], deployed)
    results = [r["result"] for r in outcome["results"]]
    assert [r["error"] for r in outcome["results"]] == [None] * 3, outcome["log"][-3000:]
    assert results[0] == {"C0DAILY": "posted"}
    assert results[1]["C0DAILY"].startswith("posted:")  # the day's tip is not the week's claim
    assert results[2] == {"C0DAILY": "already-posted"}
    posted = [c.text() for c in fake_slack.posted() if c.method == "chat.postMessage"]
    assert len(posted) == 2 and "주말 날씨* — 2번" in posted[0]


@pytest.fixture
def fake_lambda() -> Iterator[FakeLambda]:
    fake = FakeLambda()
    yield fake
    fake.stop()


def signed_mention(fake_slack: FakeSlack) -> dict:
    """A signed @tilbot mention as API Gateway hands it to the function."""
    side = SlackSide(None, SlackSigner(SIGNING_SECRET), fake_slack)
    body = side.envelope(mention_event(f"<@{BOT_USER_ID}> docker"), "Ev0LAMBDA01")
    return signed_event(json.dumps(body), "application/json", SIGNING_SECRET)


def test_a_mention_is_acked_at_once_and_answered_by_an_asynchronous_invocation(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack, fake_lambda: FakeLambda
) -> None:
    env = {**deployed, "AWS_ENDPOINT_URL_LAMBDA": fake_lambda.url}
    fake_slack.server_error("chat.postMessage", times=1)  # the first answer will not get through
    acked = run_container(task_root, [signed_mention(fake_slack)], env)
    assert acked["results"][0]["result"]["statusCode"] == 200, acked["log"][-3000:]
    assert fake_slack.calls_to("chat.postMessage") == []  # nothing sent before the ack
    [invocation] = fake_lambda.invocations
    assert invocation["type"] == "Event" and invocation["function"] == "tilbot-dev"
    background = invocation["payload"]

    # Lambda runs the invocation; Slack fails the post, so it raises and Lambda retries it.
    failed = run_container(task_root, [background], env)
    assert (failed["results"][0]["error"] or "").startswith("Undelivered"), failed["log"][-3000:]
    retried = run_container(task_root, [background, background], env)
    assert [r["error"] for r in retried["results"]] == [None, None], retried["log"][-3000:]
    [post] = fake_slack.posted()  # delivered once, in the mention's thread
    assert post.body["thread_ts"] == "1700000000.000100"
    assert "Docker" in post.text()


class Captured:
    """Stands where the app would be: keeps the request SlackSide builds instead of sending it."""

    def __init__(self) -> None:
        self.body = ""
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, body: str, headers: dict[str, str]) -> None:
        self.body, self.headers = body, headers


def test_a_til_saved_from_slack_is_stored_at_once_and_announced_by_an_asynchronous_invocation(
    task_root: Path, deployed: dict[str, str], fake_slack: FakeSlack, fake_lambda: FakeLambda
) -> None:
    env = {**deployed, "AWS_ENDPOINT_URL_LAMBDA": fake_lambda.url}
    side = SlackSide(None, SlackSigner(SIGNING_SECRET), fake_slack)
    captured = Captured()
    side.client = captured  # type: ignore[assignment]
    metadata = json.dumps({"c": "C0DEV", "ts": "1700000000.000900", "th": "1700000000.000900"})
    side.submit_view(
        "til_write_modal",
        {
            "title": "kubectl rollout restart",
            "body": "파드를 무중단으로 다시 띄워요.",
            "tags": "k8s",
        },
        private_metadata=metadata,
        wait=False,
    )
    submission = signed_event(captured.body, captured.headers["Content-Type"], SIGNING_SECRET)
    saved = run_container(task_root, [submission], env)
    assert saved["results"][0]["result"]["statusCode"] == 200, saved["log"][-3000:]
    [note] = dynamo().saved_notes()  # stored before the modal closed
    assert note.title == "kubectl rollout restart"
    assert fake_slack.calls_to("chat.postMessage") == []

    [invocation] = fake_lambda.invocations
    done = run_container(task_root, [invocation["payload"]], env)
    assert done["results"][0]["error"] is None, done["log"][-3000:]
    [reply] = fake_slack.posted()
    assert reply.body["thread_ts"] == "1700000000.000900"
    assert "kubectl rollout restart" in reply.text()


def test_zappa_settings_carry_no_secrets(task_root: Path) -> None:
    generated = (task_root / "zappa_settings.py").read_text()
    assert "ENVIRONMENT_VARIABLES" in generated
    for needle in ("xoxb-", "xapp-", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", SIGNING_SECRET):
        assert needle not in generated
    assert "'TIL_STATE': 'dynamodb'" in generated

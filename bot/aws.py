"""The AWS edges of the bot: Slack secrets from Secrets Manager, the knowledge base on S3.

Both reads sit on the cold-start path of the first Slack request, which Slack gives 3 seconds.
A boto3 client costs 30-50 ms to create (it loads the service's JSON model and endpoint rules)
before it sends anything, so these two reads are single SigV4-signed HTTPS requests instead,
signed by botocore (already loaded by Zappa's handler), sent to the endpoint botocore's own
rules resolve. bench/bench_coldstart.py measures what this saves against boto3 clients created
once per container (TIL_AWS_TRANSPORT=boto3 selects them, for that comparison): the README
records the figure that justifies keeping this module. The DynamoDB calls of a /til (learned
choices, the week's counters) go the same way (DynamoClient). Everything that is not on that
path (bot.publish, aws-setup) uses ordinary boto3 clients.
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import json
import logging
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    # Not at run time: bot.wsgi imports this module first, before pydantic (start_reading_secret).
    from bot.settings import Settings

log = logging.getLogger(__name__)

# Keys a Slack secret may carry, mapped to the Settings fields they fill.
SECRET_FIELDS = {
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_APP_TOKEN": "slack_app_token",
    "TIL_GITHUB_TOKEN": "til_github_token",  # saved TILs become pull requests (bot.github)
}
TIMEOUT_SECONDS = 5.0
ATTEMPTS = 3

_secret_cache: dict[tuple[str, str], dict[str, str]] = {}


class AwsError(RuntimeError):
    """An AWS request failed; the message names the resource and AWS's error, never a value."""


# -- signed requests -------------------------------------------------------------------------


class _Reply(NamedTuple):  # not a dataclass: see bot.listeners.Request
    status: int
    headers: dict[str, str]
    body: bytes

    def error(self) -> str:
        """AWS's error code and message from a JSON or XML error body."""
        text = self.body.decode("utf-8", "replace")
        try:
            data = json.loads(text)
            kind = str(data.get("__type", "")).rsplit("#", 1)[-1]
            return f"{kind}: {data.get('message') or data.get('Message') or ''}".strip(": ")
        except ValueError:
            pass
        code = text.partition("<Code>")[2].partition("</Code>")[0]
        return code or f"HTTP {self.status}"


@functools.cache
def _endpoint_provider(service: str) -> Any:
    """botocore's own endpoint rules for `service` (the ones a boto3 client would follow)."""
    from botocore.endpoint_provider import EndpointProvider

    loader = _loader()
    # The rules file by its path, as Loader.load_service_model finds it, without that method's
    # check that `service` is one of the ~400 services botocore knows: that check lists every
    # service folder, ~25 ms of CPU per cold start, for a name that is always one of ours.
    kind = "endpoint-rule-set-1"
    version = loader.determine_latest_version(service, kind)
    return EndpointProvider(
        loader.load_data(f"{service}/{version}/{kind}"), loader.load_data("partitions")
    )


@functools.cache
def _loader() -> Any:
    """One botocore data loader for every service (it caches what it has read)."""
    from botocore.loaders import create_loader

    return create_loader()


def endpoint(service: str, region: str, **parameters: str) -> str:
    """The URL boto3 would send `service` requests to: botocore's endpoint rules (partitions,
    FIPS, S3 bucket addressing), given AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL first."""
    configured = os.environ.get(f"AWS_ENDPOINT_URL_{_ENV_NAMES[service]}") or os.environ.get(
        "AWS_ENDPOINT_URL"
    )
    extra = {"Endpoint": configured} if configured else {}
    found = _endpoint_provider(service).resolve_endpoint(Region=region, **parameters, **extra)
    return str(found.url).rstrip("/")


_ENV_NAMES = {"s3": "S3", "secretsmanager": "SECRETS_MANAGER", "dynamodb": "DYNAMODB"}

NO_CREDENTIALS = "no AWS credentials found (environment, profile or instance role)"
# What to do about `credentials_problem`, said alike by every command that checks.
CREDENTIALS_HINT = (
    "set AWS_PROFILE (a profile of ~/.aws/credentials), or AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY"
)


def _credentials() -> Any:
    """Lambda puts the role's credentials in the environment; elsewhere botocore finds them."""
    from botocore.credentials import Credentials

    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key and secret:
        return Credentials(key, secret, os.environ.get("AWS_SESSION_TOKEN") or None)
    import botocore.exceptions
    import botocore.session

    try:
        found = botocore.session.get_session().get_credentials()
    except botocore.exceptions.BotoCoreError as exc:  # AWS_PROFILE naming no profile, a bad file
        raise AwsError(f"AWS credentials unreadable: {exc}") from None
    if found is None:
        raise AwsError(NO_CREDENTIALS)
    return found.get_frozen_credentials()


def credentials_problem() -> str | None:
    """Why this process could sign no AWS request (None when it has credentials); no network."""
    try:
        _credentials()
    except AwsError as exc:
        return str(exc)
    return None


def _region(region: str) -> str:
    found = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not found:
        raise AwsError("no AWS region: set AWS_REGION")
    return found


def _signed(
    service: str,
    region: str,
    method: str,
    url: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> _Reply:
    """Send one SigV4-signed request; connection errors and 5xx are retried, briefly."""
    from botocore.auth import S3SigV4Auth, SigV4Auth
    from botocore.awsrequest import AWSRequest

    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    creds = _credentials()
    for attempt in range(1, ATTEMPTS + 1):
        # Signed per attempt: the signature carries a timestamp.
        request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
        signer(creds, service, region).add_auth(request)
        try:
            reply = _send(method, url, body, dict(request.headers.items()))
        except (OSError, http.client.HTTPException) as exc:
            if attempt == ATTEMPTS:
                raise AwsError(f"{service} unreachable at {url.split('?')[0]}: {exc}") from None
        else:
            if reply.status < 500 or attempt == ATTEMPTS:
                return reply
        time.sleep(0.1 * 2**attempt)
    raise AssertionError("unreachable")


def _send(method: str, url: str, body: bytes, headers: dict[str, str]) -> _Reply:
    """One request and its reply, whatever its status: through http.client, or through urllib
    when the environment names a proxy for the URL's scheme (urllib knows proxies).

    Not urllib otherwise: its opener, built at the first request, was ~3 M instructions of a
    cold /til (callgrind), and http.client is what it sends with anyway."""
    scheme, netloc, path, query, _ = urllib.parse.urlsplit(url)
    if scheme in _proxies():
        return _send_by_proxy(method, url, body, headers)
    connection: http.client.HTTPConnection
    if scheme == "https":
        from bot.tls import shared_context

        connection = _TlsConnection(netloc, timeout=TIMEOUT_SECONDS, context=shared_context())
    else:
        connection = _Connection(netloc, timeout=TIMEOUT_SECONDS)
    try:
        target = (path or "/") + ("?" + query if query else "")
        connection.request(method, target, body or None, headers)
        response = connection.getresponse()
        return _Reply(response.status, dict(response.headers.items()), response.read())
    finally:
        connection.close()


def _connect(
    address: tuple[str, int], timeout: float | None, source_address: Any = None
) -> socket.socket:
    """socket.create_connection, with an ASCII host (every AWS endpoint's) given as bytes: a str
    host goes through the idna codec, which for an ASCII name only checks label lengths but
    whose first use imports encodings.idna and stringprep, ~5 M instructions of a cold /til
    (callgrind). bot.tls gives TLS the server name as bytes for the same reason."""
    host, port = address
    name = host.encode() if host.isascii() else host
    return socket.create_connection((name, port), timeout, source_address)  # type: ignore[arg-type]


class _Connection(http.client.HTTPConnection):
    def __init__(self, host: str, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = _connect  # http.client's hook, set to the socket's by __init__


class _TlsConnection(_Connection, http.client.HTTPSConnection):
    """With the process's one TLS context (bot.tls): left to itself, http.client would read the
    system's CA bundle again for each of a /til's AWS requests."""


@functools.cache
def _proxies() -> dict[str, str]:
    return urllib.request.getproxies()


def _send_by_proxy(method: str, url: str, body: bytes, headers: dict[str, str]) -> _Reply:
    request = urllib.request.Request(url, data=body or None, headers=headers, method=method)
    opener = _https_opener() if request.type == "https" else urllib.request.build_opener()
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return _Reply(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as exc:  # urllib's word for a reply that is no success
        return _Reply(exc.code, dict(exc.headers.items()), exc.read())


@functools.cache
def _https_opener() -> urllib.request.OpenerDirector:
    from bot.tls import shared_context

    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=shared_context()))


_boto3_clients: dict[tuple[str, str], Any] = {}


def _boto3_reply(service: str, region: str, operation: str, **params: Any) -> _Reply:
    """The bench variant (TIL_AWS_TRANSPORT=boto3): the same read through a boto3 client,
    created once per container."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = _boto3_clients.get((service, region))
    if client is None:
        client = _boto3_clients[(service, region)] = boto3.client(service, region_name=region)
    try:
        result = getattr(client, operation)(**params)
    except BotoCoreError as exc:
        raise AwsError(f"{service} unreachable: {exc}") from None
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        error = exc.response.get("Error", {})
        body = json.dumps({"__type": error.get("Code", ""), "message": error.get("Message", "")})
        return _Reply(status, {}, body.encode())
    if "Body" in result:
        return _Reply(200, {"ETag": result.get("ETag", "")}, result["Body"].read())
    return _Reply(200, {}, json.dumps({"SecretString": result.get("SecretString")}).encode())


# -- DynamoDB -----------------------------------------------------------------------------------


class DynamoClient:
    """The few DynamoDB calls bot.dynamo_store makes, as signed JSON requests.

    Since the knowledge loop, a /til question reads learned choices and counts itself in the
    store: a boto3 DynamoDB client created for that cost ~90 ms of CPU on a cold container. The
    DynamoDB wire protocol takes and returns exactly the low-level client's parameter and result
    shapes (typed attribute values), so `client.get_item(TableName=..., Key=...)` works the same;
    an error raises botocore's ClientError with the same Error.Code a boto3 client would give.
    """

    def __init__(self, region: str) -> None:
        self.region = _region(region)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        operation = "".join(part.title() for part in name.split("_"))

        def call(**params: Any) -> dict[str, Any]:
            return self._call(operation, params)

        return call

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        reply = _signed(
            "dynamodb",
            self.region,
            "POST",
            endpoint("dynamodb", self.region) + "/",
            json.dumps(params).encode(),
            {
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": f"DynamoDB_20120810.{operation}",
            },
        )
        data = json.loads(reply.body or b"{}")
        if reply.status != 200:
            code = str(data.get("__type", "")).rsplit("#", 1)[-1] or f"HTTP{reply.status}"
            error = {"Code": code, "Message": data.get("message") or data.get("Message") or ""}
            response: Any = {"Error": error, "ResponseMetadata": {"HTTPStatusCode": reply.status}}
            if "CancellationReasons" in data:
                response["CancellationReasons"] = data["CancellationReasons"]
            raise ClientError(response, operation)
        return dict(data)


def dynamodb_client(region: str) -> Any:
    """The DynamoDB client bot.dynamo_store uses: signed requests, or a boto3 client for the
    cold-start bench's comparison (TIL_AWS_TRANSPORT=boto3)."""
    if os.environ.get("TIL_AWS_TRANSPORT") == "boto3":
        import boto3

        return boto3.client("dynamodb", region_name=_region(region))
    return DynamoClient(region)


# -- Slack secrets -----------------------------------------------------------------------------

# The environment variables of Settings.slack_secret_id and Settings.aws_region, read before
# bot.settings (pydantic) is imported: see start_reading_secret.
SECRET_ID_VARIABLE = "SLACK_SECRET_ID"
REGION_VARIABLE = "AWS_REGION"


class _Unreadable(Exception):
    """The secret could not be read: the message for MissingSetting (names, never values)."""


class _EarlyRead(threading.Thread):
    """A secret read begun before anything needs it; what it got or raised waits in it."""

    def __init__(self, secret_id: str, region: str) -> None:
        super().__init__(name="tilbot-secret", daemon=True)
        self.key = (secret_id, region)
        self._values: dict[str, str] | None = None
        self._failure: BaseException | None = None

    def run(self) -> None:
        try:
            self._values = _read_secret(*self.key)
        except BaseException as exc:  # raised again where the secret is needed, not here
            self._failure = exc

    def result(self) -> dict[str, str]:
        """The secret's values once the read is over; what the read raised, raised here."""
        self.join()
        if self._failure is not None:
            raise self._failure
        assert self._values is not None  # run() sets one of the two
        return self._values


_early: list[_EarlyRead] = []  # at most one, taken by the first _secret_values


def start_reading_secret() -> threading.Thread | None:
    """Begin reading the Slack secret in a daemon thread, when the environment names one.

    A cold container (bot.wsgi calls this first) would otherwise wait for Secrets Manager after
    importing Bolt and pydantic and opening the KB; this way the request travels while they
    load. Only the two variables are read here, without bot.settings: when AWS_REGION is unset
    nothing starts and resolve_secrets reads the secret as it always did. The first
    resolve_secrets waits for this read (bounded as every AWS request here: TIMEOUT_SECONDS,
    ATTEMPTS) and uses it when it asks for the same secret, failures included.
    """
    secret_id, region = os.environ.get(SECRET_ID_VARIABLE), os.environ.get(REGION_VARIABLE)
    if not (secret_id and region) or _early or (secret_id, region) in _secret_cache:
        return None
    read = _EarlyRead(secret_id, region)
    _early.append(read)
    read.start()
    return read


def settle_secret_read() -> None:
    """Wait for the early read, if one is still travelling (what it got stays for
    resolve_secrets). bot.wsgi calls this once its imports are done, which the read usually
    beat: Lambda may freeze the process as soon as the import returns (Zappa answers a
    keep-warm ping without a request), and a read paused mid-flight could cost the next
    question a timeout, past Slack's 3 seconds."""
    for read in list(_early):
        read.join()


def resolve_secrets(settings: Settings) -> Settings:
    """`settings` with the Slack secrets filled from SLACK_SECRET_ID when it is set.

    The secret is a JSON object with SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET (/ SLACK_APP_TOKEN,
    TIL_GITHUB_TOKEN); its values win over the environment. Fetched once per process (= per Lambda cold start).
    Error messages name the secret, never a value.
    """
    if not settings.slack_secret_id:
        return settings
    values = _secret_values(settings.slack_secret_id, settings.aws_region)
    return settings.model_copy(
        update={field: values[key] for key, field in SECRET_FIELDS.items() if values.get(key)}
    )


def _secret_values(secret_id: str, region: str) -> dict[str, str]:
    cached = _secret_cache.get((secret_id, region))
    if cached is not None:
        return cached
    # An early read is waited for even when it read another secret: nothing of a request may
    # still run once its response is sent (Lambda freezes the process then).
    try:
        early: _EarlyRead | None = _early.pop()
    except IndexError:  # none was started, or another thread took it
        early = None
    try:
        if early is not None and early.key == (secret_id, region):
            values = early.result()
        else:
            if early is not None:
                early.join()
            values = _read_secret(secret_id, region)
    except _Unreadable as exc:
        from bot.settings import MissingSetting

        raise MissingSetting(str(exc)) from None
    _secret_cache[(secret_id, region)] = values
    return values


def _read_secret(secret_id: str, region: str) -> dict[str, str]:
    """The secret's Slack values, one request; _Unreadable says why not. Runs in the early
    read's thread too, so it imports nothing heavy (no pydantic)."""
    where = f"SLACK_SECRET_ID={secret_id}"
    try:
        region = _region(region)
        if os.environ.get("TIL_AWS_TRANSPORT") == "boto3":
            reply = _boto3_reply("secretsmanager", region, "get_secret_value", SecretId=secret_id)
        else:
            reply = _signed(
                "secretsmanager",
                region,
                "POST",
                endpoint("secretsmanager", region) + "/",
                json.dumps({"SecretId": secret_id}).encode(),
                {
                    "Content-Type": "application/x-amz-json-1.1",
                    "X-Amz-Target": "secretsmanager.GetSecretValue",
                },
            )
    except AwsError as exc:
        raise _Unreadable(f"cannot read secret {where}: {exc}") from None
    if reply.status != 200:
        raise _Unreadable(f"cannot read secret {where}: {reply.error()}")
    try:
        data = json.loads(json.loads(reply.body).get("SecretString") or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise _Unreadable(
            f"secret {secret_id} must be a JSON object with keys {', '.join(SECRET_FIELDS)}"
        )
    return {k: str(v) for k, v in data.items() if k in SECRET_FIELDS and v}


# -- the knowledge base on S3 ----------------------------------------------------------------


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """("bucket", "key") from "s3://bucket/key"; ValueError for anything else."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket or not key:
        raise ValueError(f"an S3 KB URI needs a bucket and a key: {uri!r}")
    return bucket, key


def object_url(bucket: str, key: str, region: str) -> str:
    """The GET URL of an S3 object, virtual-hosted or path-style as botocore's rules decide."""
    return f"{endpoint('s3', region, Bucket=bucket)}/{urllib.parse.quote(key, safe='/~')}"


def fetch_kb(uri: str, region: str = "", cache_dir: Path | None = None) -> Path:
    """A local copy of the KB object at `uri`, downloaded only when its ETag changed.

    The copy lives in /tmp, which survives between invocations of a warm Lambda container (and
    sometimes across a container's restarts), so an unchanged KB costs one conditional GET.
    """
    bucket, key = parse_s3_uri(uri)
    data_path, etag_path = _cache_paths(uri, cache_dir)
    data_path.parent.mkdir(parents=True, exist_ok=True)
    cached_etag = cached_kb_etag(uri, cache_dir)

    region = _region(region)
    headers = {"If-None-Match": cached_etag} if cached_etag else {}
    if os.environ.get("TIL_AWS_TRANSPORT") == "boto3":
        extra = {"IfNoneMatch": cached_etag} if cached_etag else {}
        reply = _boto3_reply("s3", region, "get_object", Bucket=bucket, Key=key, **extra)
    else:
        reply = _signed("s3", region, "GET", object_url(bucket, key, region), headers=headers)
    if reply.status == 304 and cached_etag:
        log.info("KB %s unchanged (ETag %s), using the cached copy", uri, cached_etag)
        return data_path
    if reply.status != 200:
        raise AwsError(f"cannot read the KB at {uri}: {reply.error()}")
    etag = next((v for k, v in reply.headers.items() if k.lower() == "etag"), "")
    # Write then rename: a concurrent reader never sees half a file.
    tmp = data_path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(reply.body)
    tmp.replace(data_path)
    etag_path.write_text(etag)
    log.info("KB %s downloaded (%d bytes, ETag %s)", uri, len(reply.body), etag)
    return data_path


def _cache_paths(uri: str, cache_dir: Path | None = None) -> tuple[Path, Path]:
    """Where fetch_kb keeps the copy of `uri` and its ETag."""
    # TIL_KB_CACHE: where the copy goes (tests and benchmarks give each "container" its own).
    folder = cache_dir or Path(
        os.environ.get("TIL_KB_CACHE") or Path(tempfile.gettempdir()) / "tilbot-kb"
    )
    stem = hashlib.sha256(uri.encode()).hexdigest()[:16]
    return folder / f"{stem}.sqlite", folder / f"{stem}.etag"


def cached_kb_etag(uri: str, cache_dir: Path | None = None) -> str:
    """The ETag of the local copy of `uri`, or "" when there is none."""
    data_path, etag_path = _cache_paths(uri, cache_dir)
    return etag_path.read_text() if data_path.exists() and etag_path.exists() else ""

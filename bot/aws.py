"""The AWS edges of the bot: Slack secrets from Secrets Manager, the knowledge base on S3.

boto3 is imported inside the functions that need it, so local runs without AWS settings never
pay for it, and on Lambda each AWS call happens once per cold start.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.settings import MissingSetting, Settings

if TYPE_CHECKING:
    from knowledge import Index

log = logging.getLogger(__name__)

# Keys a Slack secret may carry, mapped to the Settings fields they fill.
SECRET_FIELDS = {
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_APP_TOKEN": "slack_app_token",
}
KB_CACHE_DIR = Path(os.environ.get("TIL_KB_CACHE", Path(tempfile.gettempdir()) / "tilbot-kb"))

_secret_cache: dict[tuple[str, str], dict[str, str]] = {}


def resolve_secrets(settings: Settings) -> Settings:
    """`settings` with the Slack secrets filled from SLACK_SECRET_ID when it is set.

    The secret is a JSON object with SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET (/ SLACK_APP_TOKEN);
    its values win over the environment. Fetched once per process (= per Lambda cold start).
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
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client = boto3.client("secretsmanager", region_name=region or None)
        text = client.get_secret_value(SecretId=secret_id).get("SecretString") or ""
    except (BotoCoreError, ClientError) as exc:
        raise MissingSetting(f"cannot read secret SLACK_SECRET_ID={secret_id}: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise MissingSetting(
            f"secret {secret_id} must be a JSON object with keys {', '.join(SECRET_FIELDS)}"
        )
    values = {k: str(v) for k, v in data.items() if k in SECRET_FIELDS and v}
    _secret_cache[(secret_id, region)] = values
    return values


# -- the knowledge base on S3 ----------------------------------------------------------------


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """("bucket", "key") from "s3://bucket/key"; ValueError for anything else."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket or not key:
        raise ValueError(f"an S3 KB URI needs a bucket and a key: {uri!r}")
    return bucket, key


def fetch_kb(uri: str, region: str = "", cache_dir: Path | None = None) -> Path:
    """A local copy of the KB object at `uri`, downloaded only when its ETag changed.

    The copy lives in /tmp, which survives between invocations of a warm Lambda container (and
    sometimes across a container's restarts), so an unchanged KB costs one conditional GET.
    """
    import boto3
    from botocore.exceptions import ClientError

    bucket, key = parse_s3_uri(uri)
    folder = cache_dir or KB_CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = hashlib.sha256(uri.encode()).hexdigest()[:16]
    data_path, etag_path = folder / f"{stem}.json", folder / f"{stem}.etag"
    cached_etag = etag_path.read_text() if data_path.exists() and etag_path.exists() else ""

    s3 = boto3.client("s3", region_name=region or None)
    kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if cached_etag:
        kwargs["IfNoneMatch"] = cached_etag
    try:
        obj = s3.get_object(**kwargs)
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if cached_etag and (status == 304 or exc.response["Error"].get("Code") == "304"):
            log.info("KB %s unchanged (ETag %s), using the cached copy", uri, cached_etag)
            return data_path
        raise
    body = obj["Body"].read()
    # Write then rename: a concurrent reader never sees half a file.
    tmp = data_path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(body)
    tmp.replace(data_path)
    etag_path.write_text(obj.get("ETag", ""))
    log.info("KB %s downloaded (%d bytes, ETag %s)", uri, len(body), obj.get("ETag"))
    return data_path


def load_index_for(settings: Settings) -> Index:
    """The search index the settings ask for: S3 KB, a local KB or notes, or the bundled one."""
    from knowledge import load_index

    if settings.til_kb_uri:
        return load_index(kb=fetch_kb(settings.til_kb_uri, settings.aws_region))
    if settings.til_notes is not None:
        return load_index(notes=settings.til_notes)
    if settings.til_kb is not None:
        return load_index(kb=settings.til_kb)
    return load_index()


def publish_kb(json_text: str, uri: str, region: str = "") -> str:
    """Upload a built KB JSON to `uri` (s3://bucket/key); returns the new object's ETag.

    For `python -m knowledge build --out s3://...` (knowledge/ itself never imports boto3).
    """
    import boto3

    bucket, key = parse_s3_uri(uri)
    s3 = boto3.client("s3", region_name=region or os.environ.get("AWS_REGION") or None)
    result = s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=json_text.encode("utf-8"),
        ContentType="application/json; charset=utf-8",
    )
    return str(result.get("ETag", ""))

"""`python -m bot publish --stage dev [--notes PATH | --kb FILE]`: put a KB where a stage reads it.

Builds the KB from the notes (or takes one `python -m knowledge build` wrote) and uploads it to
the stage's TIL_KB_URI, in the stage's region. A running bot picks it up within
TIL_KB_REFRESH_SECONDS, without a redeploy. Publishing lives here, not in knowledge/, because
knowledge/ knows nothing of AWS.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.aws import parse_s3_uri
from bot.stages import chosen_stage, stage_parser


def publish_kb(artifact: bytes, uri: str, region: str) -> str:
    """Upload a built KB artifact to `uri` (s3://bucket/key) in `region`; returns the new ETag."""
    import boto3

    bucket, key = parse_s3_uri(uri)
    result = boto3.client("s3", region_name=region).put_object(
        Bucket=bucket,
        Key=key,
        Body=artifact,
        ContentType="application/vnd.sqlite3",
    )
    return str(result.get("ETag", ""))


def _kb_bytes(notes: Path | None, kb: Path | None) -> tuple[bytes, int]:
    """The KB artifact to publish and its entry count; problems in the notes go to stderr."""
    from knowledge import artifact
    from knowledge.loader import NOTES_DIR, build_kb

    if kb is not None:
        # Only an artifact this version opens is uploaded: a bot would refuse anything else.
        return kb.read_bytes(), artifact.open_store(kb).size
    built = build_kb(notes or NOTES_DIR)
    for problem in built.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return artifact.dumps(built), len(built.entries)


def main(argv: list[str]) -> int:
    parser = stage_parser(
        "publish", "Build the KB from the notes and upload it to the stage's TIL_KB_URI."
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--notes", type=Path, help="notes file or folder (default: bundled)")
    source.add_argument("--kb", type=Path, help="a KB built by `python -m knowledge build`")
    args = parser.parse_args(argv)
    stage = chosen_stage(parser, args)
    try:
        body, count = _kb_bytes(args.notes, args.kb)
    except FileNotFoundError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # knowledge.artifact.ArtifactError: not a KB this version reads
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        etag = publish_kb(body, stage.kb_uri, stage.region)
    except (BotoCoreError, ClientError) as exc:
        hint = f" (run `python -m bot aws-setup --stage {stage.name}` first)"
        missing = "NoSuchBucket" in str(exc)
        print(f"publish: could not upload to {stage.kb_uri}: {exc}{hint if missing else ''}",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"published {count} entries to {stage.kb_uri} ({stage.region}, ETag {etag})")
    return 0

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


def publish_kb(json_text: str, uri: str, region: str) -> str:
    """Upload a built KB JSON to `uri` (s3://bucket/key) in `region`; returns the new ETag."""
    import boto3

    bucket, key = parse_s3_uri(uri)
    result = boto3.client("s3", region_name=region).put_object(
        Bucket=bucket,
        Key=key,
        Body=json_text.encode("utf-8"),
        ContentType="application/json; charset=utf-8",
    )
    return str(result.get("ETag", ""))


def _kb_text(notes: Path | None, kb: Path | None) -> tuple[str, int]:
    """The KB JSON to publish and its entry count; problems in the notes go to stderr."""
    from knowledge.loader import NOTES_DIR, build_kb, load_kb

    if kb is not None:
        built = load_kb(kb)
    else:
        built = build_kb(notes or NOTES_DIR)
        for problem in built.problems:
            print(f"warning: {problem}", file=sys.stderr)
    return built.to_json(), len(built.entries)


def main(argv: list[str]) -> int:
    parser = stage_parser(
        "publish", "Build the KB from the notes and upload it to the stage's TIL_KB_URI."
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--notes", type=Path, help="notes file or folder (default: bundled)")
    source.add_argument("--kb", type=Path, help="a KB JSON built by `python -m knowledge build`")
    args = parser.parse_args(argv)
    stage = chosen_stage(parser, args)
    try:
        text, count = _kb_text(args.notes, args.kb)
    except FileNotFoundError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # pydantic's ValidationError: not a KB we wrote
        print(f"publish: {args.kb} is not a KB built by this version: {exc}", file=sys.stderr)
        return 2
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        etag = publish_kb(text, stage.kb_uri, stage.region)
    except (BotoCoreError, ClientError) as exc:
        hint = f" (run `python -m bot aws-setup --stage {stage.name}` first)"
        missing = "NoSuchBucket" in str(exc)
        print(f"publish: could not upload to {stage.kb_uri}: {exc}{hint if missing else ''}",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"published {count} entries to {stage.kb_uri} ({stage.region}, ETag {etag})")
    return 0

"""The Lambda zip's size, and a smoke test that answers /til from the zip alone.

    .venv/bin/python bench/package_size.py [--stage dev] [--smoke]

Builds the zip with `python -m bot package` (bot/package.py: a Lambda-only venv, `zappa
package` with dummy credentials, bytecode added), prints its size and what takes the room, and
with --smoke answers a signed /til docker from the unzipped package, AWS in a moto server.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.package import PackageError, package  # noqa: E402
from bot.stages import ZAPPA_SETTINGS, load_stage  # noqa: E402


def smoke(path: Path, workdir: Path) -> bool:
    """Answer a signed /til docker from the unzipped package alone, AWS in a moto server.

    The interpreter runs with -S (no site-packages): only the zip and the boto3 family that
    the Lambda runtime provides are importable, so a module missing from the zip fails here.
    """
    from bench.bench_coldstart import SIGNING_SECRET, setup_aws
    from tests.aws_fixtures import moto_endpoint, run_container, slash_command_event, unpack_zip

    task, pythonpath = unpack_zip(path, workdir)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    endpoint = moto_endpoint()
    setup_aws(endpoint)
    event = slash_command_event("docker", SIGNING_SECRET, "https://hooks.slack.invalid/x")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": pythonpath,
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke",
        "TIL_KB_CACHE": str(workdir / "tmp"),
    }
    try:
        outcome = run_container(task, [event], env, isolated=True)
    except RuntimeError as exc:
        print(f"smoke: the zip did not run: {exc}")
        return False
    result = outcome["results"][0]
    response = result.get("result") or {}
    ok = response.get("statusCode") == 200 and "Docker" in (response.get("body") or "")
    seconds = result.get("seconds", 0.0)
    print(f"smoke: /til docker from the zip alone -> {response.get('statusCode')} in "
          f"{seconds * 1000:.0f} ms: {'answered' if ok else 'FAILED'}")  # fmt: skip
    if not ok:
        print(result.get("error") or outcome["log"][-3000:])
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--smoke", action="store_true", help="then answer /til from the zip")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stage = load_stage(args.stage)
    out = ROOT / "build" / f"tilbot-{stage.name}.zip"
    try:
        lines = package(stage, ZAPPA_SETTINGS, out)
    except PackageError as exc:
        print(f"package: {exc}")
        return 1
    print(f"built in {time.perf_counter() - started:.0f} s\nzip: {out}")
    print("\n".join(lines))
    if args.smoke:
        with tempfile.TemporaryDirectory(prefix="tilbot-smoke-") as tmp:
            return 0 if smoke(out, Path(tmp)) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

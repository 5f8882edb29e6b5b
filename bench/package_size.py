"""The Lambda zip's size, and a smoke test that answers /til from the zip alone.

    .venv/bin/python bench/package_size.py [--stage dev] [--smoke] [--write-readme]

Builds the zip with `python -m bot package` (bot/package.py: a Lambda-only venv, `zappa
package` with dummy credentials, bytecode added), prints its size and what takes the room, and
with --smoke answers a signed /til docker from the unzipped package, AWS in a moto server.
--write-readme puts the figures in README.md's bench:package region.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.readme import write_region  # noqa: E402
from bot.package import BUDGET_MIB, PackageError, largest_parts, package  # noqa: E402
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


def readme_text(path: Path, zappa_bytes: int, stage: str, smoked: bool) -> str:
    """The bench:package region: sizes as measured, what takes the room."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    parts = ", ".join(f"{name} {n / 2**20:.2f}" for name, n in largest_parts(infos)[:4])
    smoke_line = " The smoke test answered a signed `/til docker` from the unzipped zip alone."
    checked = smoke_line if smoked else ""
    return (
        f"Stage {stage}, measured {dt.date.today().isoformat()}: the zip is "
        f"**{path.stat().st_size / 2**20:.2f} MiB** with bytecode ({len(infos):,} files; "
        f"{zappa_bytes / 2**20:.2f} MiB as Zappa writes it), budget {BUDGET_MIB:.0f} MiB. "
        f"Largest parts (MiB, compressed): {parts}.{checked}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--smoke", action="store_true", help="then answer /til from the zip")
    parser.add_argument("--write-readme", action="store_true", help="write figures to README")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stage = load_stage(args.stage)
    out = ROOT / "build" / f"tilbot-{stage.name}.zip"
    try:
        packaged = package(stage, ZAPPA_SETTINGS, out)
    except PackageError as exc:
        print(f"package: {exc}")
        return 1
    print(f"built in {time.perf_counter() - started:.0f} s\nzip: {out}")
    print("\n".join(packaged.lines))
    if args.smoke:
        with tempfile.TemporaryDirectory(prefix="tilbot-smoke-") as tmp:
            if not smoke(out, Path(tmp)):
                return 1
    if args.write_readme:
        write_region("package", readme_text(out, packaged.zappa_bytes, stage.name, args.smoke))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the Lambda zip the way a deploy would and print its size.

    .venv/bin/python bench/package_size.py [--stage dev] [--out build/tilbot-dev.zip]

Zappa zips the *active virtualenv*, so packaging from the dev venv would ship pytest, moto and
friends. This creates a fresh venv holding only requirements.txt plus zappa (which `zappa
package` itself needs), runs `zappa package` from it with dummy AWS credentials and an
unreachable AWS endpoint (packaging must never touch AWS), then prints the zip size and what
takes the room. Exit status 1 if the zip is over the budget or ships dev/test files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MIB = 20.0
ZAPPA = "zappa==0.63.0"
# Paths that must never reach the Lambda zip.
FORBIDDEN_PREFIXES = ("tests/", "bench/", ".venv/", ".ci/", ".git/", "deploy/", "pytest", "moto/")


def run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def build(stage: str, out: Path, workdir: Path) -> Path:
    env_dir = workdir / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(ROOT / "requirements.txt"), ZAPPA])  # fmt: skip
    env = {
        **os.environ,
        "VIRTUAL_ENV": str(env_dir),
        "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "AWS_ACCESS_KEY_ID": "dummy-key-id",
        "AWS_SECRET_ACCESS_KEY": "dummy-secret",
        "AWS_DEFAULT_REGION": "ap-northeast-2",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # nothing listens: any AWS call would fail
    }
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "PYTHONPATH"):
        env.pop(var, None)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    run([str(env_dir / "bin" / "zappa"), "package", stage, "-o", str(out)], cwd=ROOT, env=env)
    return out


def report(path: Path) -> int:
    size = path.stat().st_size
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    by_top: Counter[str] = Counter()
    for info in infos:
        by_top[info.filename.split("/", 1)[0]] += info.compress_size
    mib = size / 2**20
    print(f"\nzip: {path}")
    print(f"size: {mib:.2f} MiB ({size} bytes), {len(infos)} files, budget {BUDGET_MIB} MiB")
    print("largest top-level entries (compressed):")
    for name, n in by_top.most_common(12):
        print(f"  {n / 2**20:7.2f} MiB  {name}")
    bad = sorted({i.filename for i in infos if i.filename.startswith(FORBIDDEN_PREFIXES)})
    if bad:
        print(f"dev/test files in the zip: {bad[:10]}{' …' if len(bad) > 10 else ''}")
    return 1 if bad or mib > BUDGET_MIB else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "tilbot-dev.zip")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tilbot-package-") as tmp:
        path = build(args.stage, args.out.resolve(), Path(tmp))
    print(f"built in {time.perf_counter() - started:.0f} s")
    return report(path)


if __name__ == "__main__":
    sys.exit(main())

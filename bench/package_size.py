"""Build the Lambda zip the way a deploy would and print its size.

    .venv/bin/python bench/package_size.py [--stage dev] [--out build/tilbot-dev.zip] [--smoke]

Zappa zips the *active virtualenv*, so packaging from the dev venv would ship pytest, moto and
friends. This creates a fresh venv holding only requirements.txt plus zappa (which `zappa
package` itself needs), runs `zappa package` from it with dummy AWS credentials and an
unreachable AWS endpoint (packaging must never touch AWS), then prints the zip size and what
takes the room. Exit status 1 if the zip is over the budget or ships dev/test files.

It then adds bytecode: /var/task is read-only and Zappa's zip entries all carry a 1980
timestamp, so ordinary .pyc files never match their sources on Lambda and every cold start
would compile every module again. Unchecked-hash .pyc files are used as they are. The result is
what to deploy: `zappa update dev --zip build/tilbot-dev.zip` (or `deploy`), from the venv.
"""

from __future__ import annotations

import argparse
import compileall
import json
import logging
import os
import py_compile
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
    # Bundle a built KB: a cold start then loads JSON instead of parsing the notes.
    run([str(py), "-m", "knowledge", "build"], cwd=ROOT, env=env)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    run([str(env_dir / "bin" / "zappa"), "package", stage, "-o", str(out)], cwd=ROOT, env=env)
    return out


def add_bytecode(path: Path, workdir: Path) -> int:
    """Add unchecked-hash __pycache__/*.pyc for every module in the zip; returns how many."""
    runtime = json.loads((ROOT / "zappa_settings.json").read_text())["dev"]["runtime"]
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != here:
        raise SystemExit(f"bytecode must be compiled by {runtime}, this is {here}")
    tree = workdir / "unzipped"
    with zipfile.ZipFile(path) as z:
        z.extractall(tree)
    compileall.compile_dir(
        tree,
        quiet=2,
        ddir="/var/task",  # tracebacks on Lambda name the real paths
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    added = 0
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        for pyc in sorted(tree.rglob("*.pyc")):
            info = zipfile.ZipInfo(pyc.relative_to(tree).as_posix())
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, pyc.read_bytes())
            added += 1
    return added


def smoke(path: Path, workdir: Path) -> bool:
    """Answer a signed /til docker from the unzipped package alone, AWS in a moto server.

    The interpreter runs with -S (no site-packages): only the zip and the boto3 family that
    the Lambda runtime provides are importable, so a module missing from the zip fails here.
    """
    sys.path.insert(0, str(ROOT))
    from bench.bench_coldstart import SIGNING_SECRET, setup_aws
    from tests.aws_fixtures import RUNNER, moto_endpoint, slash_command_event

    task = workdir / "var-task"
    with zipfile.ZipFile(path) as z:
        z.extractall(task)
    runtime = workdir / "var-runtime"
    runtime.mkdir()
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    for name in ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"):
        (runtime / name).symlink_to(site / "site-packages" / name)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    endpoint = moto_endpoint()
    setup_aws(endpoint)
    event = slash_command_event("docker", SIGNING_SECRET, "https://hooks.slack.invalid/x")
    (workdir / "events.json").write_text(json.dumps([event]))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": f"{task}{os.pathsep}{runtime}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke",
        "TIL_KB_CACHE": str(workdir / "tmp"),
    }
    out = workdir / "out.json"
    proc = subprocess.run(
        [sys.executable, "-S", str(RUNNER), str(task), str(workdir / "events.json"), str(out)],
        cwd=task, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    result = json.loads(out.read_text())["results"][0] if out.exists() else {}
    response = result.get("result") or {}
    ok = response.get("statusCode") == 200 and "Docker" in (response.get("body") or "")
    seconds = result.get("seconds", 0.0)
    print(f"smoke: /til docker from the zip alone -> {response.get('statusCode')} in "
          f"{seconds * 1000:.0f} ms: {'answered' if ok else 'FAILED'}")  # fmt: skip
    if not ok:
        print(result.get("error") or proc.stderr[-3000:])
    return ok


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
    parser.add_argument("--no-bytecode", action="store_true", help="leave the zip as Zappa made it")
    parser.add_argument("--smoke", action="store_true", help="then answer /til from the zip")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tilbot-package-") as tmp:
        path = build(args.stage, args.out.resolve(), Path(tmp))
        zappa_size = path.stat().st_size
        if not args.no_bytecode:
            added = add_bytecode(path, Path(tmp))
            print(f"added {added} unchecked-hash .pyc files "
                  f"({zappa_size / 2**20:.2f} MiB without them)")  # fmt: skip
        print(f"built in {time.perf_counter() - started:.0f} s")
        status = report(path)
        if args.smoke and not smoke(path, Path(tmp)):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

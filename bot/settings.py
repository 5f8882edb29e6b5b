"""Every setting the bot reads, in one pydantic-settings object (environment variables)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class MissingSetting(RuntimeError):
    """A required setting is absent: the message names the environment variable to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""  # Socket Mode only
    slack_api_url: str = "https://slack.com/api/"
    # When set, the three Slack secrets above are read from this AWS Secrets Manager secret.
    slack_secret_id: str = ""

    til_lang: Literal["ko", "en"] = "ko"
    # The slash command the Slack app declares (manifest.json's "/til"). A second app in the
    # same workspace (a dev app beside the team's) needs a name of its own, and every help
    # text names the one people type. Slack's rule: a slash, then at most 31 lower-case
    # letters, digits, "-" or "_".
    til_command: str = Field(default="/til", pattern=r"^/[a-z0-9_-]{1,31}$")
    til_notes: Path | None = None  # a notes file or folder instead of knowledge/notes
    til_kb: Path | None = None  # a KB built by `python -m knowledge build` (not the bundled)
    til_kb_uri: str = ""  # s3://bucket/key of a published KB (overrides til_kb)
    # How often a running bot asks S3 whether a new KB was published (0: only at start).
    til_kb_refresh_seconds: float = Field(default=300, ge=0)

    til_state: Literal["sqlite", "dynamodb"] = "sqlite"
    til_sqlite_path: Path = Path("local-state.sqlite3")
    til_table: str = "tilbot-dev"
    # Sources as links: "https://github.com/org/til/blob/main/{path}#L{line}", where {path} is
    # the note's path inside the notes folder and {line} the entry's first line.
    til_source_url: str = ""
    til_daily_channels: str = ""  # comma-separated channel ids configured at deploy time
    # The daily-tip run's time budget: under the Lambda timeout (30 s), so the run can release
    # what it did not reach and fail cleanly for Lambda's retry instead of being killed.
    til_tip_deadline_seconds: float = Field(default=25, gt=0)
    # Log questions the bot could not answer well (for /til gaps, the weekly digest, the Home
    # tab); "off" keeps only counts, no question text. Logged questions expire after 90 days.
    til_question_log: bool = True
    # Saving a TIL from Slack also opens a pull request adding its file to this repository
    # (owner/name) when a token is set too (TIL_GITHUB_TOKEN, or the key of the same name in
    # the SLACK_SECRET_ID secret). The API URL is for GitHub Enterprise (and tests).
    til_github_repo: str = ""
    til_github_token: str = ""
    til_github_api_url: str = "https://api.github.com"

    aws_region: str = Field(default="ap-northeast-2", validation_alias="AWS_REGION")

    def require(self, *names: str) -> None:
        """Raise MissingSetting naming every listed setting that is empty."""
        missing = [n.upper() for n in names if not getattr(self, n)]
        if missing:
            raise MissingSetting(
                "missing setting(s): " + ", ".join(missing) + " (set them in the environment)"
            )

    @property
    def replies(self) -> str:
        """The key of the texts the bot replies with (`bot.messages.get`): TIL_LANG's, naming
        TIL_COMMAND wherever they name the command."""
        from bot import messages

        return messages.for_command(self.til_lang, self.til_command)

    @property
    def daily_channels(self) -> list[str]:
        return [c.strip() for c in self.til_daily_channels.split(",") if c.strip()]


def load_settings(**overrides: object) -> Settings:
    """Read the environment; a malformed value becomes MissingSetting naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        names = ", ".join(str(e["loc"][0]).upper() for e in exc.errors() if e.get("loc"))
        raise MissingSetting(f"invalid setting(s): {names}: {exc.errors()[0]['msg']}") from None

"""`python -m bot`: ask from the terminal, serve locally, set up AWS."""

from __future__ import annotations

import os
import sys

USAGE = """usage: python -m bot COMMAND [options]

commands:
  ask [--json|--full] [--notes PATH | --kb FILE] QUERY...
                                      answer a question from the notes (QUERY '-' reads stdin)
  serve [--port 3000] [--socket]      run the Slack app locally (HTTP or Socket Mode)
  export-saved --out DIR              write the TILs saved from Slack as markdown files

deploying (each takes --stage dev|prod; the values come from zappa_settings.json):
  aws-setup --stage dev [--with-secret]  create the table, KB bucket (and secret), idempotently
  package --stage dev                 build build/tilbot-dev.zip for `zappa deploy|update`
  publish --stage dev [--notes PATH | --kb FILE]
                                      build the KB (or take a built one) and upload it where
                                      the stage reads it
  doctor --stage dev [--url URL]      check a deployed stage end to end
  iam --stage dev [--deployer|--publisher|--write]  IAM policies generated from the stage
  stage --stage dev                   the stage's region and resource names

`python -m bot COMMAND --help` tells more.
"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "ask":
        from bot.cli_ask import main as run
    elif command == "serve":
        from bot.server import main as run
    elif command == "aws-setup":
        from bot.aws_setup import main as run
    elif command == "export-saved":
        from bot.export_saved import main as run
    elif command == "package":
        from bot.package import main as run
    elif command == "publish":
        from bot.publish import main as run
    elif command == "doctor":
        from bot.doctor import main as run
    elif command == "iam":
        from bot.stages import iam_main as run
    elif command == "stage":
        from bot.stages import stage_main as run
    else:
        print(f"unknown command: {command}\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        return run(rest)
    except BrokenPipeError:
        # Output piped into `head` and closed early: stop quietly, as other CLI tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

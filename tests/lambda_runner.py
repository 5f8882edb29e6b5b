"""Play one Lambda container: a fresh Python process that feeds events to Zappa's handler.

    python tests/lambda_runner.py TASK_ROOT EVENTS_JSON OUT_JSON

TASK_ROOT holds the zappa_settings.py that `zappa save-python-settings-file` generated (what
`zappa package` puts in the zip); the project and its packages come from PYTHONPATH, as they
come from /var/task on Lambda. Every event goes through `zappa.handler.lambda_handler`, in
order, in this one process (a warm container after the first). OUT_JSON receives each result
and the seconds from process start to each result, so cold starts can be timed.

Standalone on purpose (stdlib + zappa only): tests and bench/bench_coldstart.py both run it.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from types import SimpleNamespace  # noqa: E402
from typing import Any  # noqa: E402


def context(function_name: str) -> SimpleNamespace:
    deadline = time.monotonic() + 30

    def remaining() -> int:
        return int((deadline - time.monotonic()) * 1000)

    return SimpleNamespace(
        function_name=function_name,
        function_version="$LATEST",
        aws_request_id=str(uuid.uuid4()),
        memory_limit_in_mb=512,
        invoked_function_arn=f"arn:aws:lambda:ap-northeast-2:123456789012:function:{function_name}",
        get_remaining_time_in_millis=remaining,
    )


def main(argv: list[str]) -> int:
    task_root, events_path, out_path = argv
    sys.path.insert(0, task_root)
    events: list[dict[str, Any]] = json.loads(Path(events_path).read_text())
    from zappa.handler import lambda_handler

    imported = time.perf_counter() - STARTED
    results: list[dict[str, Any]] = []
    for event in events:
        try:
            result = lambda_handler(event, context("tilbot-dev"))
            error = None
        except Exception as exc:  # Lambda would report it and retry the event
            result, error = None, f"{type(exc).__name__}: {exc}"
        results.append(
            {
                "result": result,
                "error": error,
                "seconds": time.perf_counter() - STARTED,
                # CPU time since the process started: what other processes on a busy machine
                # add to the wall time does not count here.
                "cpu_seconds": time.process_time(),
            }
        )
    Path(out_path).write_text(
        json.dumps({"import_seconds": imported, "results": results}, default=str)
    )
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Lambda freezes and later kills a container; it never runs interpreter teardown, which
    # would add 100+ ms of freeing modules to every measured "cold start".
    os._exit(code)

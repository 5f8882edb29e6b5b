"""Work over numbered items split across forked processes, for the index build.

The build's work per entry is pure Python, so threads would take turns on one core; forked
children share the parent's entries without copying them in, and each sends back only what it
found in its run of consecutive entries. Results come back in run order, so a caller that merges
them in order gets what one process would have built.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import mmap
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
Progress = Callable[[Iterable[int], int], Iterable[int]]

# How often (in items) a child reports how far it got, and the parent looks.
_REPORT = 64


# Items a forked worker is worth starting for: below it, forking and sending the result back
# cost more than the worker saves (a 300-entry build was slower with two processes).
PER_WORKER = 2000


def available() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_count(size: int) -> int:
    """Workers for `size` items when none were asked for: the cores available, at most one per
    `PER_WORKER` items."""
    return max(1, min(available(), size // PER_WORKER))


def runs(size: int, workers: int, costs: Sequence[int] = ()) -> list[range]:
    """0..size-1 cut into `workers` runs of consecutive numbers, as even as they go: in number
    of items, or in the sum of their `costs` when given."""
    if not costs:
        return [range(size * k // workers, size * (k + 1) // workers) for k in range(workers)]
    total = [0, *itertools.accumulate(costs)]  # total[i]: the cost of items before i

    def cut(share: float) -> int:
        i = bisect.bisect_left(total, share)  # the first cut at or past the share
        return i if i == 0 or total[i] - share <= share - total[i - 1] else i - 1

    cuts = [0, *(cut(total[-1] * k / workers) for k in range(1, workers)), size]
    return [range(a, b) for a, b in itertools.pairwise(cuts)]


def split_map(
    work: Callable[[Iterable[int]], T],
    size: int,
    workers: int | None = 1,
    progress: Progress | None = None,
    costs: Sequence[int] = (),
) -> list[T]:
    """`work` over each run of 0..size-1 (`runs`): the first in this process, each other in a
    forked child that pickles its result back; the results in run order. `progress` wraps an
    iterable of `size` items and is advanced as any process finishes an item. `workers` None:
    `default_count`; `costs`: what each item costs, to even out the runs' work."""
    workers = max(1, min(default_count(size) if workers is None else workers, size))
    if workers == 1 or not hasattr(os, "fork"):
        numbers: Iterable[int] = range(size)
        return [work(progress(numbers, size) if progress else numbers)]
    own, *others = runs(size, workers, costs)
    # Each child's count of items done, in memory the children share with the parent.
    done = mmap.mmap(-1, 8 * len(others))
    # Forked before the progress bar exists: a child holds no copy of its display thread.
    children: list[_Child] = []
    for k, run in enumerate(others):
        children.append(_fork(work, run, done, k, children))
    try:
        bar = _Bar(progress, size)
        seen = 0

        def reported() -> int:
            return sum(_count(done, k) for k in range(len(others)))

        def own_numbers() -> Iterator[int]:
            nonlocal seen
            for i in own:
                yield i
                bar.advance(1)
                if i % _REPORT == 0:
                    now = reported()
                    bar.advance(now - seen)
                    seen = now

        results = [work(own_numbers())]
        while (now := reported()) < size - len(own) and all(c.alive() for c in children):
            bar.advance(now - seen)
            seen = now
            time.sleep(0.05)
        results += [child.result() for child in children]
        bar.finish()
        return results
    finally:
        for child in children:
            child.stop()


class _Bar:
    """A progress wrapper driven by counts: each `advance` pulls that many items through it."""

    def __init__(self, progress: Progress | None, size: int) -> None:
        numbers: Iterable[int] = range(size)
        self._items = iter(progress(numbers, size)) if progress else None

    def advance(self, count: int) -> None:
        if self._items is not None and count > 0:
            next(itertools.islice(self._items, count - 1, None), None)

    def finish(self) -> None:
        # Exhausting the wrapper is what lets it close (tqdm prints its last line then).
        if self._items is not None:
            for _ in self._items:
                pass


def _count(done: mmap.mmap, k: int) -> int:
    return int.from_bytes(done[8 * k : 8 * k + 8], "little")


class _Child:
    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader
        self._status: int | None = None

    def alive(self) -> bool:
        if self._status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._status = status
        return self._status is None

    def result(self) -> Any:
        reader, self.reader = self.reader, -1
        with os.fdopen(reader, "rb") as pipe:
            try:
                found = pickle.load(pipe)
            except EOFError:
                found = None
        if self._status is None:
            _, self._status = os.waitpid(self.pid, 0)
        if found is None or self._status != 0:
            raise RuntimeError(f"an index worker failed (exit status {self._status})")
        return found

    def stop(self) -> None:
        """Reap the child; killed first when the parent gave up on it (an error, Ctrl-C)."""
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _, self._status = os.waitpid(self.pid, 0)
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1


def _fork(
    work: Callable[[Iterable[int]], T],
    run: range,
    done: mmap.mmap,
    k: int,
    earlier: list[_Child],
) -> _Child:
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(writer)
        return _Child(pid, reader)
    status = 1
    try:
        # Ctrl-C reaches the whole process group: the parent stops its workers itself.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.close(reader)
        for child in earlier:  # their pipes are the parent's to read
            os.close(child.reader)

        def numbers() -> Iterator[int]:
            for count, i in enumerate(run, 1):
                yield i
                if count % _REPORT == 0 or count == len(run):
                    done[8 * k : 8 * k + 8] = count.to_bytes(8, "little")

        found = work(numbers())
        with os.fdopen(writer, "wb") as pipe:
            pickle.dump(found, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:
        traceback.print_exc()
    finally:
        # No cleanup of the parent's state copied into the child (atexit, buffers, files).
        os._exit(status)

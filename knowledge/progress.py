"""Progress over many notes or entries, for the command lines that build a KB."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def progress_bar(unit: str) -> Callable[[Iterable[T], int], Iterable[T]]:
    """A progress bar over many notes or entries when tqdm is installed (it is a dev tool, not
    in the Lambda package) and stderr is a terminal; the items as they are otherwise."""

    def wrap(items: Iterable[T], total: int) -> Iterable[T]:
        if total < 200 or not sys.stderr.isatty():
            return items
        try:
            from tqdm import tqdm
        except ImportError:
            return items
        return tqdm(items, total=total, unit=unit, file=sys.stderr)

    return wrap

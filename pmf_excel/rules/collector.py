"""Work that makes many objects at once, run with Python's cycle collector paused and resumed after it.

CPython's collector walks every tracked object of the oldest generation each time their number grows by a
quarter. Judging a 10,000-row range, or consolidating a hundred returns, makes tens of thousands to millions of
lists, tuples and models that live until the work ends and hold no cycles: the collector walked them again and
again for nothing to collect (a third of a spilling ``=PMF_RAG``'s time, a fifth of a consolidation's).
Reference counting still frees everything as it goes; the collector runs as usual once the work is done.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

Arguments = ParamSpec("Arguments")
Result = TypeVar("Result")


def collector_paused(work: Callable[Arguments, Result]) -> Callable[Arguments, Result]:
    """``work`` with the cycle collector paused while it runs (left as it is when already paused)."""
    @functools.wraps(work)
    def paused(*args: Arguments.args, **kwargs: Arguments.kwargs) -> Result:
        if not gc.isenabled():
            return work(*args, **kwargs)
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            gc.enable()
    return paused

"""Work that makes many objects at once, run with Python's cycle collector paused and resumed after it.

CPython's collector walks every tracked object of the oldest generation each time their number grows by a
quarter. Judging a 10,000-row range, or consolidating a hundred returns, makes tens of thousands to millions of
lists, tuples and models that live until the work ends and hold no cycles: the collector walked them again and
again for nothing to collect (a third of a spilling ``=PMF_RAG``'s time, a fifth of a consolidation's).
Reference counting still frees everything as it goes; the collector runs as usual once the work is done.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused for the work inside (``with collector_paused():``, or ``@collector_paused()``
    on a function), and resumed after it, however it ends; left as it is when already paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

"""Read the polarity column: which way is better.

Seed 004 writes it as ``Bigger is better``, ``smaller is better``, the typo
``smaller in better``, ``NA - dependent`` (a range target) and ``NA - awaiting
strategy`` (no direction). Unknown text is an error, never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import PMFValueError
from .models import Polarity
from .text import clean

EXPECTED_POLARITY = (
    "Expected Bigger is better, Smaller is better (or Higher/Lower is better), "
    "NA - dependent for a range target, or NA when the measure has no direction."
)

_DIRECTIONAL = re.compile(
    r"^(bigger|higher|larger|greater|smaller|lower|less)\s+(?:is|in|=)\s+better\.?$", re.IGNORECASE
)
_BETTER = {"bigger": Polarity.BIGGER, "higher": Polarity.BIGGER, "larger": Polarity.BIGGER,
           "greater": Polarity.BIGGER, "smaller": Polarity.SMALLER, "lower": Polarity.SMALLER,
           "less": Polarity.SMALLER}
_RANGE = re.compile(r"^n/?a\s*-\s*dependent$", re.IGNORECASE)
_NONE = re.compile(r"^(?:n/?a|tbc|none|no direction)(?:\s*-\s*.*)?$", re.IGNORECASE)


def read_polarity(raw: object) -> Polarity:
    """Read a polarity cell; anything but the forms above raises :class:`PMFValueError`."""
    if isinstance(raw, Polarity):
        return raw
    if not isinstance(raw, str):
        raise PMFValueError("a polarity", raw, EXPECTED_POLARITY)
    return _read_polarity_text(raw)


@lru_cache(maxsize=1024)
def _read_polarity_text(raw: str) -> Polarity:
    text = clean(raw)
    if match := _DIRECTIONAL.match(text):
        return _BETTER[match.group(1).lower()]
    if _RANGE.match(text):
        return Polarity.RANGE
    if _NONE.match(text):
        return Polarity.NONE
    raise PMFValueError("a polarity", raw, EXPECTED_POLARITY)

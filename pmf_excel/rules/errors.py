"""The one exception the engine raises, the location it can carry, and the two kinds every error is.

Every unreadable input ends here so that callers (the Excel functions, the
command line, Consolidate) have exactly one thing to catch, and so that a
co-ordinator always sees the offending text and what was expected instead of
a traceback.

Every layer's errors are one of two kinds, which the ``pmf`` command turns into
its exit status without knowing each error: :class:`PMFInputError` (bad input a
person can correct: exit 2) and :class:`PMFBlocked` (something outside the
input stops the work, such as a workbook open in Excel: exit 3).
"""

from __future__ import annotations


class PMFInputError(ValueError):
    """Input that cannot be used as it is; the message names the file, sheet, cell and text, and what to do."""


class PMFBlocked(Exception):
    """Something outside the input stops the work (a workbook open in Excel, another consolidation running, a
    program that is not installed); the message says what to do, and nothing was changed."""


class PMFValueError(PMFInputError):
    """A value, target, tolerance, polarity or status the framework cannot read.

    ``text`` is the input as it was given, ``expected`` says in plain English
    what would have been accepted, and ``location`` (workbook › sheet › cell),
    when the caller knows it, makes the message point at the cell to fix.
    """

    def __init__(self, what: str, text: object, expected: str, location: str | None = None):
        self.what = what
        self.text = text
        self.expected = expected
        self.location = location
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f'{where}{quote(self.text)} is not {self.what} the framework can read. {self.expected}'

    def at(self, location: str) -> "PMFValueError":
        """The same error, pointing at a workbook cell (e.g. ``Housing.xlsx › Measures › F14``)."""
        return PMFValueError(self.what, self.text, self.expected, location)


def quote(text: object, limit: int = 80) -> str:
    """Quote an input for a message, cut short so one bad cell cannot flood a log."""
    shown = as_text(text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f'"{shown}"'


def as_text(value: object) -> str:
    """``str(value)``, or what it is when Python will not write it out: an integer of more than 4,300 digits
    (Python's guard against the time writing one takes) or an object whose own text fails is described."""
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a message about an input must never fail on the input
        if isinstance(value, int):
            return f"a whole number of about {int(value.bit_length() * 0.30103):,} digits"
        return f"a {type(value).__name__} that cannot be written out"

"""Reporting quarters as the council writes them (``2023/24 Q2``): checking, ordering, stepping.

A financial year runs April to March, so Q1 of 2023/24 follows Q4 of
2022/23; every module that compares or steps quarters does it here.
"""

from __future__ import annotations

import datetime as dt
import re

from ..rules.errors import PMFValueError

_QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")


def check_quarter(quarter: str) -> str:
    """A reporting quarter as the council writes it: ``2023/24 Q2``."""
    match = _QUARTER.match(quarter.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise PMFValueError("a quarter", quarter, "Expected a financial year and quarter such as 2023/24 Q2.")
    return quarter.strip()


def _parts(quarter: str) -> tuple[int, int]:
    match = _QUARTER.match(check_quarter(quarter))
    return int(match.group(1)), int(match.group(3))


def _quarter(year: int, number: int) -> str:
    return f"{year}/{(year + 1) % 100:02d} Q{number}"


def previous_quarter(quarter: str) -> str:
    """The quarter before: 2023/24 Q1 follows 2022/23 Q4."""
    year, number = _parts(quarter)
    return _quarter(year, number - 1) if number > 1 else _quarter(year - 1, 4)


def next_quarter(quarter: str) -> str:
    """The quarter after: 2023/24 Q4 is followed by 2024/25 Q1."""
    year, number = _parts(quarter)
    return _quarter(year, number + 1) if number < 4 else _quarter(year + 1, 1)


def same_quarter_last_year(quarter: str) -> str:
    year, number = _parts(quarter)
    return _quarter(year - 1, number)


def quarter_key(quarter: str) -> tuple[int, int]:
    """Sorts quarters in time: 2022/23 Q4 before 2023/24 Q1; anything else first."""
    match = _QUARTER.match(quarter)
    return (int(match.group(1)), int(match.group(3))) if match else (0, 0)


def quarter_start(quarter: str) -> dt.date:
    """The first day of a financial quarter: 2023/24 Q1 starts on 1 April 2023."""
    year, number = _parts(quarter)
    month = 4 + 3 * (number - 1)
    return dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)


def quarter_end(quarter: str) -> dt.date:
    """The last day of a financial quarter: 2023/24 Q3 ends on 31 December 2023."""
    year, number = _parts(quarter)
    month = 3 * number + 3  # Q1 ends in June
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)

"""CSV files that a spreadsheet opens safely: what Excel would run as a formula is written as text.

Excel runs a CSV cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=cmd|' /C calc'!A0`` starts a program), so
text a co-ordinator typed could run on the machine of whoever opens an
export. Following OWASP's advice on CSV injection, such a cell is written
with a leading apostrophe: it shows as typed and runs nothing. A number
written with a sign (``-14.9``) is data and is left alone. Every CSV is
UTF-8 with a byte order mark, so that Excel shows £ and › as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported only to write a CSV, so consolidating without one never loads it (100 MB)
    import pandas as pd

ENCODING = "utf-8-sig"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """Text a spreadsheet would run as a formula, with a leading apostrophe so that it shows as typed; a
    number written with a sign (-14.9, +3) is data, not a formula, and is left alone."""
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def write_csv(table: pd.DataFrame, path: Path, **options) -> Path:
    """A table as CSV, every text cell neutralised; ``options`` go to :meth:`pandas.DataFrame.to_csv`."""
    import pandas as pd

    safe = table.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda cell: neutralised(cell) if isinstance(cell, str) else cell)
    safe.to_csv(path, index=False, encoding=ENCODING, **options)
    return path

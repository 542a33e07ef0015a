"""Undo what PDFs and copy-paste do to council text before anything reads it.

Seed 004 holds ``ТВС`` and the refs ``В3с``/``В6с`` in Cyrillic, hyphenation
spaces (``Strengthenin g``), en dashes in ranges and line breaks inside cells.
Reading them as their plain twins here means no parser further on has to know.
"""

from __future__ import annotations

import re
import unicodedata

#: Cyrillic and Greek capitals and small letters that print exactly like Latin ones.
LOOK_ALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K",
        "М": "M", "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y",
        "а": "a", "с": "c", "е": "e", "і": "i", "ј": "j", "о": "o", "р": "p", "ѕ": "s",
        "х": "x", "у": "y", "ı": "i",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    }
)

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


#: What a message says of a formula saved without its result (by a tool other than Excel), which the reader
#: recovers from the sheet as the formula's text: its result is not known, whatever words the formula holds.
FORMULA_WITHOUT_RESULT = ("It is a formula saved without its result (by a program other than Excel): open the "
                          "workbook in Excel so that it calculates, save it and consolidate again, or type the "
                          "entry itself. ")


def is_formula(text: object) -> bool:
    """Whether a cell's text is a formula rather than its result: ``="On Track"`` must not read as On Track."""
    return isinstance(text, str) and text.lstrip().startswith("=")


def clean(text: str) -> str:
    """Text with look-alike letters made Latin, dashes made hyphens and whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(LOOK_ALIKES)
    return _SPACES.sub(" ", text).strip()


def squash(text: str) -> str:
    """Lower-case letters and digits only: how labels and keywords are compared.

    Dropping spaces and punctuation makes ``Strengthenin g Families``,
    ``strengthening families`` and ``Strengthening-Families`` the same key,
    which is what a PDF's hyphenation spaces need.
    """
    return _NOT_WORD.sub("", clean(text).lower())

"""The xlsxwriter workbook every file is written with: xlsxwriter's own, less two costs our files do not need.

xlsxwriter runs some thirty regular expressions over every formula written, to prefix the newer functions
(``FILTER``, ``XLOOKUP``, ``LAMBDA``…) with the ``_xlfn.`` Excel stores them under, whether or not the formula
names any, and some 150 over the formula of every conditional format and validation: a fifth of the time a
500-return report takes, its formulas being tens of thousands. A formula that names none of them comes out of
those expressions unchanged, so one search for their names decides whether xlsxwriter's own preparation is
needed; each expression ends with the function's ``(``, so a formula without one (a conditional format's
``"Red"``) needs none.

And it escapes every attribute it writes by searching it for ``&``, ``<`` and quotes, a cell's style number
too, which makes the search raise the TypeError it then catches: once for every formatted cell of a report. A
number, or a text with none of them (a cell's address), needs no escaping and is passed as it is.

What is written is the same either way (tests/test_same_outputs.py); the two methods are xlsxwriter's own,
taken over here.

And in its in-memory mode xlsxwriter holds every part's XML in a ``StringIO`` until the last is made, then zips
them: for a 500-return report some 50 MB of XML, held as Python text (two or four bytes a character once a sheet
has one character beyond Latin-1), which was more than a quarter of the consolidation's peak memory.
:meth:`Workbook.close_spooling_into` writes each part into a file of a folder the caller owns as it is made and
reads it back when it is zipped, one at a time; the file is the same, byte for byte, as in-memory mode writes
(xlsxwriter's own file mode is not used: it dates the zip's entries differently).
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.worksheet import Worksheet

#: The functions xlsxwriter prefixes in every formula (its ``Worksheet._prepare_formula``); a formula naming
#: none of them needs nothing of it but the leading ``=`` taken off. ``INGLE`` stands for ``SINGLE``, which
#: xlsxwriter matches after any character.
_PREFIXED = re.compile(r"(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|"
                       r"MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|INGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|"
                       r"TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\(")
#: What xlsxwriter escapes in an attribute: an attribute without any is written as it is.
_ESCAPED = re.compile('["&<>\n]')


class _Worksheet(Worksheet):
    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        every_function = self.use_future_functions or expand_future_functions  # a rule's or validation's formula
        if "(" in formula and (every_function or _PREFIXED.search(formula)):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")

    def _write_string(self, row: int, col: int, string: str, cell_format=None):
        """xlsxwriter's own, but cells of the same text and format are one tuple: a report repeats its RAG words,
        units, directorates and headings in most of its text cells (128,000 text cells of 100 returns are
        9,300 different), and a tuple is 56 bytes."""
        written = super()._write_string(row, col, string, cell_format)
        if written != -1 and not self.constant_memory:  # -1: out of the sheet, nothing stored
            self._share_cell(row, col)
        return written

    def _write_blank(self, row: int, col: int, blank: object, cell_format=None):
        """xlsxwriter's own, but every blank cell of a format is one tuple (a report's formatted blanks are a
        third of its cells)."""
        written = super()._write_blank(row, col, blank, cell_format)
        if written == 0 and cell_format is not None and not self.constant_memory:
            self._share_cell(row, col)
        return written

    def _share_cell(self, row: int, col: int) -> None:
        cells = self.table[row]
        cell = cells[col]
        cells[col] = self.__dict__.setdefault("_shared_cells", {}).setdefault(cell, cell)

    def _escape_attributes(self, attribute: object) -> object:
        if isinstance(attribute, str) and _ESCAPED.search(attribute):
            return super()._escape_attributes(attribute)
        return attribute


class _Spool(StringIO):
    """A part's XML, written to a file as xlsxwriter makes it (a ``StringIO`` to xlsxwriter, which writes only to
    one) and given back as its bytes when it is zipped."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by getvalue
        self.write = self._file.write  # the file's own method: no Python call between xlsxwriter and the file

    def getvalue(self) -> bytes:
        self._file.close()
        return self._path.read_bytes()


class _Packager(Packager):
    """xlsxwriter's packager, every XML part spooled into ``tmpdir`` when one is given in in-memory mode."""

    def _filename(self, xml_filename: str):
        if not (self.in_memory and self.tmpdir):
            return super()._filename(xml_filename)
        spool = _Spool(Path(self.tmpdir) / f"part{len(self.filenames)}.xml")
        self.filenames.append((spool, xml_filename, True))  # zipped as the bytes getvalue gives
        return spool


class Workbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook``, its worksheets preparing formulas as above, its parts spooled when asked."""

    worksheet_class = _Worksheet

    def _get_packager(self) -> Packager:
        return _Packager()

    def close_spooling_into(self, folder: Path) -> None:
        """Write the file as :meth:`close` does in in-memory mode, each part's XML spooled into ``folder`` (which
        must exist, and is the caller's to remove) rather than held in memory until every part is made."""
        self.tmpdir = str(folder)
        self.close()

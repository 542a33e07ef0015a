"""The xlsxwriter workbook every file is written with: xlsxwriter's own, less time and memory our files do not need.

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
has one character beyond Latin-1), which was more than a quarter of the consolidation's peak memory. A workbook
given a folder for its ``parts`` writes each part into a file there as it is made and reads it back when it is
zipped, one at a time; the file is the same, byte for byte, as in-memory mode writes (xlsxwriter's own file mode
is not used: it dates the zip's entries differently).

And it holds every cell of every sheet until the file is closed: for 500 returns some 77 MB, though most sheets
are complete long before. :meth:`Workbook.write_out` writes a complete sheet's XML into the parts folder there and
then, and lets its cells go; its XML is what closing would have written (only the order in which formats are
numbered in the styles part follows the order the sheets are written in), and a cell or setting given to it
afterwards is refused, not lost.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import NoReturn

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

    def _drawn_on(self) -> bool:
        """Whether closing the workbook still has to number and link something drawn on the sheet (a chart,
        image, shape, table, comment or button), which the sheet's XML refers to."""
        return bool(self.charts or self.images or self.shapes or self.tables or self.header_images
                    or self.background_image or self.has_vml or self.buttons_list)


class _WrittenOut:
    """The cells of a sheet already written out: writing to it (a cell, a row's height, a column's width, a
    validation or conditional format, a setting such as its panes or page set-up), or reading its cells (a
    chart's cached figures), is a mistake in the code writing the workbook, said as such rather than quietly
    left out of the file."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *_: object) -> NoReturn:
        raise RuntimeError(f"the sheet {self._name!r} was already written out: nothing more can be written to "
                           "it or read from its cells")

    __getitem__ = __contains__ = __iter__ = get = _refuse


class _WrittenOutSheet(_Worksheet):
    """A worksheet once written out: its cells refused by :class:`_WrittenOut`, and every setting, since one
    changed now would never reach the file: the attributes it would set, and the check of dimensions every
    write, row, column, format and rule goes through (those kept in dictionaries and lists)."""

    def __setattr__(self, name: str, value: object) -> NoReturn:
        self.table._refuse()

    def _check_dimensions(self, *_: object) -> NoReturn:
        self.table._refuse()


class _Spool(StringIO):
    """A part's XML, written to a file as xlsxwriter makes it (a ``StringIO`` to xlsxwriter, which writes only to
    one) and given back as its bytes when it is zipped."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by getvalue
        self.write = self._file.write  # the file's own method: no Python call between xlsxwriter and the file

    def finish(self) -> None:
        """Close the file: the part is complete."""
        self._file.close()

    def getvalue(self) -> bytes:
        self.finish()
        return self._path.read_bytes()


class _Packager(Packager):
    """xlsxwriter's packager, every XML part spooled into ``tmpdir`` when one is given in in-memory mode, and the
    sheets written out before the workbook was closed taken as they were spooled."""

    def _filename(self, xml_filename: str):
        if not (self.in_memory and self.tmpdir):
            return super()._filename(xml_filename)
        spool = _Spool(Path(self.tmpdir) / f"part{len(self.filenames)}.xml")
        self.filenames.append((spool, xml_filename, True))  # zipped as the bytes getvalue gives
        return spool

    def _write_worksheet_files(self) -> None:
        """xlsxwriter's own (a worksheet's part is named by its place among the worksheets), but a sheet
        written out already is zipped from its spool rather than assembled again."""
        worksheets = [sheet for sheet in self.workbook.worksheets() if not sheet.is_chartsheet]
        for index, worksheet in enumerate(worksheets, start=1):
            name = f"xl/worksheets/sheet{index}.xml"
            if worksheet.name in self.workbook.written_out:
                self.filenames.append((self.workbook.written_out[worksheet.name], name, True))
                continue
            if worksheet.constant_memory:
                worksheet._opt_reopen()
                worksheet._write_single_row()
            worksheet._set_xml_writer(self._filename(name))
            worksheet._assemble_xml_file()


class Workbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook``, its worksheets preparing formulas as above.

    Given ``parts`` (a folder that exists, the caller's to remove), it is
    written as in in-memory mode but each part's XML is spooled into the
    folder, and complete sheets can be written out before it is closed.
    ``code_names`` gives every sheet its VBA code name (``Sheet1``…) as it is
    added, as closing would for a workbook given a VBA project, so that a
    sheet written out early carries it too.
    """

    worksheet_class = _Worksheet

    def __init__(self, filename: str, options: dict | None = None, *, parts: Path | None = None,
                 code_names: bool = False) -> None:
        if parts is not None:
            options = {**(options or {}), "in_memory": True, "tmpdir": str(parts)}
        super().__init__(filename, options)
        self.code_names = code_names
        #: The sheets written out, by name: their spooled XML.
        self.written_out: dict[str, _Spool] = {}

    def _get_packager(self) -> Packager:
        return _Packager()

    def add_worksheet(self, name: str | None = None, worksheet_class=None) -> Worksheet:
        sheet = super().add_worksheet(name, worksheet_class)
        if self.code_names:
            sheet.set_vba_name()
        return sheet

    def write_out(self, sheet: _Worksheet) -> None:
        """Write a complete sheet's XML into the parts folder now and let its cells go.

        For a sheet nothing is drawn on (a chart's figures, an image or a
        comment are numbered and linked when the workbook is closed), in a
        workbook spooling its parts; its rows, columns, formats, validations,
        conditional formats and sparklines must all be set already: any given
        afterwards is refused (:class:`_WrittenOutSheet`).
        """
        if not (self.in_memory and self.tmpdir):
            raise ValueError("only a workbook spooling its parts into a folder writes a sheet out early")
        if sheet._drawn_on():
            raise ValueError(f"the sheet {sheet.name!r} has something drawn on it: it is written when the "
                             "workbook is closed")
        spool = _Spool(Path(self.tmpdir) / f"sheet{sheet.index}.xml")
        sheet._set_xml_writer(spool)
        sheet._assemble_xml_file()
        spool.finish()
        sheet.table = _WrittenOut(sheet.name)
        sheet.__dict__.pop("_shared_cells", None)
        sheet.__class__ = _WrittenOutSheet
        self.written_out[sheet.name] = spool

    def close(self) -> None:
        """xlsxwriter's own, once the sheets written out are known to need nothing more of it: closing marks the
        sheet the workbook opens at (the first, unless another was activated) and names every sheet for VBA in a
        workbook given a VBA project, which a sheet written out would not show."""
        for name in self.written_out:
            sheet = self.get_worksheet_by_name(name)
            if sheet.index == self.worksheet_meta.activesheet:
                raise ValueError(f"the sheet {name!r} is the one the workbook opens at, which is marked when it is "
                                 "closed: activate another, or write it at the close")
            if self.vba_project and sheet.vba_codename is None:
                raise ValueError(f"the sheet {name!r} was written out before it had its VBA code name: give the "
                                 "workbook code_names")
        super().close()

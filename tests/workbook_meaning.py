"""Everything a workbook shows and does, read back part by part, so that two workbooks can be compared by
meaning rather than by bytes (xlsxwriter may order its styles, strings and sparkline groups differently for
the same workbook).

openpyxl reads the cells (value or formula, type, number format, font, fill, border, alignment, protection),
each sheet's rows, columns, merged ranges, panes, data validations, conditional formats, print set-up,
protection, tables and comments, and the workbook's sheets, names and properties. What openpyxl does not
read is taken from the file's own XML: every sparkline with its group's settings, each chart and drawing
(canonical XML), and the VBA project's bytes.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.xml.functions import tostring

_SPARKLINES = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}sparklineGroup"
_MAIN = "{http://schemas.microsoft.com/office/excel/2006/main}"


def _xml(serialisable) -> str:
    """An openpyxl object as the XML it stands for ("" for none)."""
    if serialisable is None:
        return ""
    tree = serialisable.to_tree()
    return "" if tree is None else tostring(tree).decode()


def meaning(path: Path) -> dict:
    """What ``path`` shows and does, as plain data that compares equal exactly when the workbooks do."""
    with warnings.catch_warnings():  # openpyxl drops the sparklines it cannot read: they are read below
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=False)
    styles: dict[tuple, tuple] = {}

    def style(cell) -> tuple:
        key = tuple(cell._style)  # an index into the workbook's own style lists, whose order may differ
        if key not in styles:
            styles[key] = (cell.number_format, _xml(cell.font), _xml(cell.fill), _xml(cell.border),
                           _xml(cell.alignment), _xml(cell.protection))
        return styles[key]

    content: dict = {"sheets": [sheet.title for sheet in book.worksheets + book.chartsheets],
                     "active": book.active.title if book.active else None,
                     "names": sorted((name, _xml(defined)) for name, defined in book.defined_names.items()),
                     "properties": _xml(book.properties)}
    for sheet in book.worksheets:
        content[sheet.title] = {
            "cells": {cell.coordinate: (cell.value, cell.data_type, style(cell))
                      for row in sheet.iter_rows() for cell in row
                      if cell.value is not None or cell.has_style},
            "rows": {index: _dimension(dimension, style) for index, dimension in sheet.row_dimensions.items()},
            "columns": {key: _dimension(dimension, style) for key, dimension in sheet.column_dimensions.items()},
            "merged": sorted(str(cells) for cells in sheet.merged_cells.ranges),
            "validations": sorted(_xml(validation) for validation in sheet.data_validations.dataValidation),
            "conditional formats": sorted((str(formats.sqref), _xml(rule), _xml(rule.dxf))
                                          for formats in sheet.conditional_formatting for rule in formats.rules),
            "view": [_xml(view) for view in sheet.views.sheetView],
            "print": (_xml(sheet.page_setup), _xml(sheet.print_options), _xml(sheet.page_margins),
                      _xml(sheet.HeaderFooter), str(sheet.print_title_rows), str(sheet.print_title_cols),
                      str(sheet.print_area), _xml(sheet.row_breaks), _xml(sheet.col_breaks)),
            "properties": (_xml(sheet.sheet_properties), _xml(sheet.sheet_format), sheet.sheet_state),
            "protection": _xml(sheet.protection),
            "filter": _xml(sheet.auto_filter),
            "tables": sorted(_xml(table) for table in sheet.tables.values()),
            "comments": {cell.coordinate: (cell.comment.text, cell.comment.author)
                         for row in sheet.iter_rows() for cell in row if cell.comment},
            "images": len(sheet._images),
        }
    content["parts"] = _parts(path)
    return content


def _dimension(dimension, style) -> tuple:
    """A row's or column's settings, its style by what it is rather than by its index."""
    return tuple(sorted((key, value) for key, value in dict(dimension).items() if key != "s")), style(dimension)


def _parts(path: Path) -> dict:
    """What openpyxl does not read: sparklines, charts and drawings, the VBA project."""
    parts: dict = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            if re.fullmatch(r"xl/(worksheets|chartsheets)/\w+\.xml", name):
                parts[name] = {"sparklines": _sparklines(data)}
            elif re.fullmatch(r"xl/(charts|drawings)/\w+\.xml|xl/(charts|drawings|chartsheets)/_rels/.*", name):
                parts[name] = ET.canonicalize(data.decode("utf-8"))
            elif name.endswith(".bin"):
                parts[name] = data
    return parts


def _sparklines(xml: bytes) -> list[tuple[str, str, str]]:
    """Every sparkline of a sheet as (where, over what, its group's settings), in address order: the same
    sparklines read alike however they are grouped."""
    found = []
    for group in ET.fromstring(xml).iter(_SPARKLINES):
        settings = ET.canonicalize(ET.tostring(_without(group, "sparklines")))
        for sparkline in group.iter("{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}sparkline"):
            over = sparkline.find(f"{_MAIN}f")
            where = sparkline.find(f"{_MAIN}sqref")
            found.append((where.text if where is not None else "", over.text if over is not None else "", settings))
    return sorted(found)


def _without(element: ET.Element, local_name: str) -> ET.Element:
    """A copy of ``element`` without its children named ``local_name`` (in any namespace)."""
    kept = ET.Element(element.tag, element.attrib)
    kept.extend(child for child in element if not child.tag.endswith("}" + local_name))
    return kept


def differences(expected: dict, actual: dict, where: str = "") -> list[str]:
    """Where two meanings differ, as readable lines (the first few hundred)."""
    found: list[str] = []
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [key for key in actual if key not in expected]:
            if key not in actual or key not in expected:
                found.append(f"{where}/{key}: only in {'expected' if key in expected else 'actual'}")
            else:
                found.extend(differences(expected[key], actual[key], f"{where}/{key}"))
            if len(found) > 300:
                break
    elif expected != actual:
        found.append(f"{where}: expected {str(expected)[:400]!s}, got {str(actual)[:400]!s}")
    return found
